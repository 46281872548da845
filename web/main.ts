// Composition root of the browser app: the in-tab API (shim), the model library and the chat UI.
// `window.hearthPage` exposes the shim to devtools and tests (see README "In the browser").
import type OpenAI from 'openai';
import type { GalleryRef } from '../shared/galleries/gallery-types.js';
import { loadCatalog } from '../shared/models/model-catalog.js';
import { resolveModel } from '../shared/models/resolve-model.js';
import { hearthFetch, startHearth, type Hearth } from './shim/hearth.js';
import { describeError } from './ui/describe-error.js';
import { element } from './ui/dom.js';
import { showError } from './ui/error-box.js';
import { showEngine } from './ui/engine-badge.js';
import { loadProgressReporter } from './ui/load-progress.js';
import { ModelPicker, type PickedModel } from './ui/model-picker.js';
import { parseGalleriesSetting } from './ui/galleries-setting.js';
import { setUpSidePanel } from './ui/side-panel.js';
import { DEFAULT_HUB_URL } from './models/hub-url.js';
import { loadSetting, saveSetting } from './ui/settings-storage.js';
import { defined } from '../shared/base/defined.js';

export interface HearthPage {
  /** Resolves when the app is ready and /v1/* on this origin is answered in the tab. */
  ready: Promise<void>;
  hearth: Hearth;
  hearthFetch: typeof fetch;
  /** The official SDK class, so page scripts (and tests) can make their own clients. Set once `ready` resolves. */
  OpenAI: typeof OpenAI;
}

declare global {
  interface Window {
    hearthPage?: HearthPage;
  }
}

async function start(): Promise<void> {
  setUpSidePanel();
  // A model's first load may have stored files (a Hugging Face repo, autogptq): the Models panel shows them.
  let refreshModelsPanel = (): void => undefined;
  const reporter = loadProgressReporter(() => {
    void refreshBadge();
    refreshModelsPanel();
  });
  const sidecarUrl = loadSetting('sidecarUrl');
  let galleries: GalleryRef[] = [];
  let galleriesProblem: string | undefined;
  try {
    galleries = parseGalleriesSetting(loadSetting('galleries'));
  } catch (error) {
    galleriesProblem = describeError(error);
  }
  const hearth = await startHearth({
    serviceWorker: true,
    reporter,
    galleries,
    // The Models panel's hub URL setting, read at each download so a change applies at once.
    hubUrl: () => loadSetting('hubUrl') ?? DEFAULT_HUB_URL,
    ...defined({ sidecarUrl }),
  });
  let picked: PickedModel = { id: '', owner: 'browser' };

  async function refreshBadge(): Promise<void> {
    if (picked.owner === 'sidecar') return showSidecarDevice(picked.id);
    // A remote model (backend: openai) runs on its upstream servers: nothing loads in the tab.
    if (picked.owner === 'remote') return showEngine({ kind: 'pending', note: `${picked.id} runs on its upstream servers` });
    if (hearth.share.role === 'follower') {
      // Another tab of this app runs the engine for this one (one model copy per browser).
      const engine = await hearth.share.describe(picked.id);
      return showEngine(engine === undefined ? { kind: 'pending', note: `${picked.id} loads on first use (in another tab)` } : { kind: 'tab', engine });
    }
    const catalog = await loadCatalog(hearth.store);
    const entry = resolveModel(catalog, { requested: picked.id }, hearth.store.location);
    if (!hearth.models.isLoaded(entry.name)) return showEngine({ kind: 'pending', note: `${entry.name} loads on first use` });
    showEngine({ kind: 'tab', engine: (await hearth.models.engineFor(entry.config)).describe() });
  }

  /** The sidecar says where a model runs once it has loaded it (after the first request for it). */
  async function showSidecarDevice(id: string): Promise<void> {
    showEngine({ kind: 'sidecar' });
    const device = await hearth.sidecar?.sidecarDevice(id).catch(() => undefined);
    if (device !== undefined && picked.id === id) showEngine({ kind: 'sidecar', device });
  }

  /** Loads the chosen in-tab model right away, so the first message does not wait for it. */
  async function warmUp(model: PickedModel): Promise<void> {
    if (model.owner === 'sidecar' || model.owner === 'remote' || model.id === '' || hearth.share.role === 'follower') return refreshBadge();
    const entry = resolveModel(await loadCatalog(hearth.store), { requested: model.id }, hearth.store.location);
    showEngine({ kind: 'tab', engine: (await hearth.models.engineFor(entry.config)).describe() });
  }

  const picker = new ModelPicker(hearthFetch, (model) => {
    picked = model;
    warmUp(model).catch((error: unknown) => showError(describeError(error)));
  });
  // The host tab closed and this one took over: load the model now, so the next request does not wait.
  hearth.share.onRoleChange(() => void warmUp(picked).catch((error: unknown) => showError(describeError(error))));
  // The side panel's model and gallery parts load off the path to the first chat (the initial JS has a size budget).
  const panel = import('./ui/models-panel.js').then(({ ModelsPanel }) => new ModelsPanel(hearth.library, () => void picker.refresh()));
  refreshModelsPanel = () => void panel.then((models) => models.refresh()).catch(() => undefined);
  const galleryPanel = import('./ui/gallery-panel.js').then(
    ({ GalleryPanel }) =>
      new GalleryPanel(
        hearthFetch,
        () => {
          void picker.refresh();
          void panel.then((models) => models.refresh());
        },
        galleriesProblem,
        (id) => hearth.galleries.plan(id),
      ),
  );
  const chat = import('./ui/chat-app.js').then(({ startChat }) =>
    startChat({ fetch: hearthFetch, selectedModel: () => picked.id, onReplyEnd: () => void refreshBadge() }),
  );

  // Read by the engine (web/engine/device-preference.ts) when it loads a model.
  const deviceSelect = element('device', HTMLSelectElement);
  deviceSelect.value = loadSetting('device') ?? 'auto';
  deviceSelect.onchange = () => saveSetting('device', deviceSelect.value);

  const sidecarInput = element('sidecar-url', HTMLInputElement);
  sidecarInput.value = sidecarUrl ?? '';
  sidecarInput.addEventListener('change', () => saveSetting('sidecarUrl', sidecarInput.value.trim()));

  // Not part of `ready`: a slow or unreachable gallery must not hold up the app.
  galleryPanel.then((gallery) => gallery.start()).catch((error: unknown) => console.warn(`[hearth] galleries: ${describeError(error)}`));
  // Only a sidecar serving this page has pairing routes; elsewhere the panel stays hidden. Loaded
  // off the first paint, like the SDK (the initial JS has a size budget).
  import('./ui/pairing-panel.js')
    .then(({ PairingPanel }) => new PairingPanel().start())
    .catch((error: unknown) => console.warn(`[hearth] pairing: ${describeError(error)}`));
  // The SDK is for page scripts, not the UI: it loads off the path to the first chat.
  let sdkClass: typeof OpenAI | undefined;
  const sdk = import('openai').then((module) => {
    sdkClass = module.default;
  });
  const ready = Promise.all([chat, picker.refresh(), panel.then((models) => models.refresh()), hearth.serviceWorkerReady, sdk]).then(() => undefined);
  window.hearthPage = {
    ready,
    hearth,
    hearthFetch,
    get OpenAI(): typeof OpenAI {
      if (sdkClass === undefined) throw new Error('hearthPage.OpenAI is available once hearthPage.ready has resolved.');
      return sdkClass;
    },
  };
  await ready;
  document.documentElement.dataset['ready'] = 'true';
}

start().catch((error: unknown) => {
  const box = document.getElementById('error');
  if (box !== null) {
    box.hidden = false;
    box.textContent = `Hearth could not start: ${describeError(error)}`;
  }
  document.documentElement.dataset['ready'] = 'failed';
});
