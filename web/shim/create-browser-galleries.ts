// Wires the shared gallery/install core to browser storage (OPFS), the network (CORS) and the
// pure-TS sha256: the browser's counterpart of sidecar/create-model-galleries.ts, same code paths.
import type { Logger } from '../../shared/base/logger.js';
import { huggingFaceAutoInstaller, type AutoInstaller } from '../../shared/galleries/auto-installer.js';
import type { GalleryRef } from '../../shared/galleries/gallery-types.js';
import type { HubAccess } from '../../shared/galleries/hub-access.js';
import { ModelGalleries } from '../../shared/galleries/model-galleries.js';
import { createSha256 } from '../../shared/hash/sha256.js';
import type { ModelStore } from '../../shared/models/model-store.js';
import { browserHubFetch } from '../models/browser-hub-fetch.js';
import { OpfsModelFileWriter } from '../models/opfs-model-file-writer.js';

export interface BrowserGalleriesOptions {
  galleries: readonly GalleryRef[];
  /** The hub base URL now (the Models panel setting can change it at any time). */
  hubUrl: () => string;
  store: ModelStore;
  log: Logger;
  /** Called after a model is installed or removed, so an engine loaded under that name is released. */
  onModelChanged: (name: string) => Promise<void>;
}

export interface BrowserGalleries {
  galleries: ModelGalleries;
  autoInstaller: AutoInstaller;
}

export function createBrowserGalleries(options: BrowserGalleriesOptions): BrowserGalleries {
  const hub: HubAccess = {
    fetch: browserHubFetch(),
    get hfEndpoint() {
      return options.hubUrl();
    },
  };
  const galleries = new ModelGalleries({
    galleries: options.galleries,
    hub,
    store: options.store,
    files: new OpfsModelFileWriter(),
    createHash: createSha256,
    log: options.log,
    now: () => Date.now(),
    onModelChanged: options.onModelChanged,
  });
  // Built per call so that a changed hub URL applies to the next request.
  const autoInstaller: AutoInstaller = {
    canInstall: (model) => huggingFaceAutoInstaller(galleries.installer, hub.hfEndpoint).canInstall(model),
    install: (model) => huggingFaceAutoInstaller(galleries.installer, hub.hfEndpoint).install(model),
  };
  return { galleries, autoInstaller };
}
