// Wires the shared gallery/install core to the models folder on disk, the network and node:crypto.
// The server, preloading and the `hearth models` command all build it here, so they share one path.
import type { Logger } from '../shared/base/logger.js';
import { huggingFaceAutoInstaller, type AutoInstaller } from '../shared/galleries/auto-installer.js';
import { ModelGalleries } from '../shared/galleries/model-galleries.js';
import { DEFAULT_HF_ENDPOINT } from '../shared/galleries/resolve-uri.js';
import { DEFAULT_GALLERIES, type SidecarOptions } from './cli-options.js';
import { modelsFolderFetch } from './downloads/models-folder-fetch.js';
import { ModelsFolderWriter } from './downloads/models-folder-writer.js';
import { createSha256 } from './downloads/node-sha256.js';
import type { ModelsFolder } from './models-folder.js';
import { defined } from '../shared/base/defined.js';

export interface SidecarGalleries {
  galleries: ModelGalleries;
  /** Absent with --no-auto-download. */
  autoInstaller?: AutoInstaller;
}

export function createModelGalleries(
  options: Pick<SidecarOptions, 'galleries' | 'hfEndpoint' | 'hfToken' | 'autoDownload'>,
  store: ModelsFolder,
  log: Logger,
  extra: { onModelChanged?: (name: string) => Promise<void>; fetch?: typeof fetch } = {},
): SidecarGalleries {
  const hfEndpoint = options.hfEndpoint ?? DEFAULT_HF_ENDPOINT;
  const galleries = new ModelGalleries({
    galleries: options.galleries ?? DEFAULT_GALLERIES,
    hub: {
      fetch: modelsFolderFetch(store.location, extra.fetch),
      hfEndpoint,
      ...defined({ hfToken: options.hfToken }),
    },
    store,
    files: new ModelsFolderWriter(store.location),
    createHash: createSha256,
    log,
    now: () => Date.now(),
    ...defined({ onModelChanged: extra.onModelChanged }),
  });
  if (options.autoDownload === false) return { galleries };
  return { galleries, autoInstaller: huggingFaceAutoInstaller(galleries.installer, hfEndpoint) };
}
