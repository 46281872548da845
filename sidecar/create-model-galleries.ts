// Wires the shared gallery/install core to the models folder on disk, the network and node:crypto.
// The server, preloading and the `hearth models` command all build it here, so they share one path.
import type { Logger } from '../shared/base/logger.js';
import { huggingFaceAutoInstaller, type AutoInstaller } from '../shared/galleries/auto-installer.js';
import { ModelGalleries } from '../shared/galleries/model-galleries.js';
import type { HubAccess } from '../shared/galleries/hub-access.js';
import { DEFAULT_HF_ENDPOINT, resolveUri } from '../shared/galleries/resolve-uri.js';
import { DownloadGuard } from './downloads/download-guard.js';
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
  /** The hub as installs reach it (guarded fetch, token), for autogptq repos fetched on first load; absent with --no-auto-download. */
  hub?: HubAccess;
}

export function createModelGalleries(
  options: Pick<SidecarOptions, 'galleries' | 'hfEndpoint' | 'hfToken' | 'autoDownload' | 'allowPrivateDownloads'>,
  store: ModelsFolder,
  log: Logger,
  extra: {
    onModelChanged?: (name: string) => Promise<void>;
    fetch?: typeof fetch;
    /** More URLs the operator configured (PRELOAD_MODELS): their servers are trusted like the galleries'. */
    operatorUrls?: readonly string[];
  } = {},
): SidecarGalleries {
  const hfEndpoint = options.hfEndpoint ?? DEFAULT_HF_ENDPOINT;
  const galleryRefs = options.galleries ?? DEFAULT_GALLERIES;
  const guard = new DownloadGuard({ trustedOrigins: trustedOrigins([...galleryRefs.map((gallery) => gallery.url), ...(extra.operatorUrls ?? [])], hfEndpoint), allowPrivate: options.allowPrivateDownloads ?? false });
  const hub: HubAccess = {
    fetch: modelsFolderFetch(store.location, guard.wrap(extra.fetch ?? guard.connectionCheckedFetch())),
    checkUrl: (url) => guard.refuseIfPrivate(url),
    hfEndpoint,
    ...defined({ hfToken: options.hfToken }),
  };
  const galleries = new ModelGalleries({
    galleries: galleryRefs,
    hub,
    store,
    files: new ModelsFolderWriter(store.location),
    createHash: createSha256,
    log,
    now: () => Date.now(),
    ...defined({ onModelChanged: extra.onModelChanged }),
  });
  if (options.autoDownload === false) return { galleries };
  return { galleries, autoInstaller: huggingFaceAutoInstaller(galleries.installer, hfEndpoint), hub };
}

/** The operator's own download sources: the hub and each gallery's server (a LAN or loopback mirror works). */
function trustedOrigins(urls: readonly string[], hfEndpoint: string): string[] {
  const origins = new Set<string>();
  for (const url of [hfEndpoint, ...urls]) {
    try {
      const origin = new URL(resolveUri(url, hfEndpoint).url).origin;
      if (origin.startsWith('http')) origins.add(origin);
    } catch {
      // A gallery URL that does not resolve is reported when the gallery is read.
    }
  }
  return [...origins];
}
