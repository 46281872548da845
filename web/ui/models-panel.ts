// The Models panel: installed models with delete, adding by URL / Hugging Face name / local file
// (picker or drag-and-drop) with progress and cancel, and the storage quota.
import { DEFAULT_HUB_URL } from '../models/hub-url.js';
import type { ByteProgress } from '../models/checked-model-stream.js';
import { formatBytes } from '../models/model-limits.js';
import type { ModelLibrary } from '../models/model-library.js';
import { readStorageQuota, requestPersistentStorage } from '../models/storage-quota.js';
import { describeError } from './describe-error.js';
import { element, make } from './dom.js';
import { loadSetting, saveSetting } from './settings-storage.js';

export class ModelsPanel {
  readonly #list = element('model-list', HTMLUListElement);
  readonly #source = element('model-source', HTMLInputElement);
  readonly #hubUrl = element('hub-url', HTMLInputElement);
  readonly #download = element('download', HTMLDivElement);
  readonly #progress = element('download-progress', HTMLProgressElement);
  readonly #status = element('download-status', HTMLSpanElement);
  readonly #cancel = element('download-cancel', HTMLButtonElement);
  readonly #message = element('models-message', HTMLParagraphElement);
  readonly #quota = element('quota', HTMLParagraphElement);
  #running: AbortController | undefined;

  readonly #library: ModelLibrary;
  readonly #onChange: () => void;

  constructor(
    library: ModelLibrary,
    /** Called after the installed models change (the model picker reloads). */
    onChange: () => void,
  ) {
    this.#library = library;
    this.#onChange = onChange;
    this.#hubUrl.value = loadSetting('hubUrl') ?? DEFAULT_HUB_URL;
    this.#hubUrl.addEventListener('change', () => saveSetting('hubUrl', this.#hubUrl.value.trim()));
    element('add-model', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#addFromSource();
    });
    const picker = element('model-file', HTMLInputElement);
    picker.addEventListener('change', () => {
      const file = picker.files?.[0];
      picker.value = '';
      if (file !== undefined) void this.#add(file.name, (options) => this.#library.addFromFile(file, options));
    });
    this.#setUpDrop(element('drop-zone', HTMLElement));
    this.#cancel.addEventListener('click', () => this.#running?.abort());
  }

  async refresh(): Promise<void> {
    const models = await this.#library.list();
    this.#list.replaceChildren(
      ...models.map((model) => {
        const item = make('li');
        item.append(make('span', model.name, 'model-name'), make('span', model.bundled ? 'built in' : model.size === undefined ? '' : formatBytes(model.size), 'model-size'));
        if (!model.bundled) {
          const remove = make('button', 'Delete');
          remove.type = 'button';
          remove.setAttribute('aria-label', `Delete ${model.name}`);
          remove.addEventListener('click', () => void this.#remove(model.name));
          item.append(remove);
        }
        return item;
      }),
    );
    await this.showQuota();
  }

  async showQuota(): Promise<void> {
    const quota = await readStorageQuota();
    if (quota.usage === undefined || quota.quota === undefined) {
      this.#quota.textContent = 'This browser does not report its storage quota.';
      return;
    }
    const persisted = quota.persisted ? 'persistent' : 'may be cleared by the browser when space runs low';
    this.#quota.textContent = `Storage: ${formatBytes(quota.usage)} used, ${formatBytes(quota.available ?? 0)} available (${persisted}).`;
  }

  async #addFromSource(): Promise<void> {
    const value = this.#source.value.trim();
    if (value === '') return;
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    const hub = this.#hubUrl.value.trim() || DEFAULT_HUB_URL;
    const added = await this.#add(value, (options) => (isUrl ? this.#library.addFromUrl(value, options) : this.#library.addFromHub(value, hub, options)));
    if (added) this.#source.value = '';
  }

  /** Runs one add with progress and cancel; returns whether it succeeded. */
  async #add(label: string, run: (options: { signal: AbortSignal; onProgress: (p: ByteProgress) => void }) => Promise<string>): Promise<boolean> {
    if (this.#running !== undefined) {
      this.#say('Another model is being added; wait for it or cancel it first.');
      return false;
    }
    // Asked here, on a user gesture, where browsers are most willing to grant it.
    void requestPersistentStorage().then(() => this.showQuota());
    const controller = new AbortController();
    this.#running = controller;
    this.#download.hidden = false;
    this.#progress.removeAttribute('value');
    this.#status.textContent = `Adding ${label}…`;
    this.#say('');
    try {
      const name = await run({ signal: controller.signal, onProgress: (p) => this.#showProgress(label, p) });
      this.#say(`${name} is ready.`);
      this.#onChange();
      return true;
    } catch (error) {
      this.#say(controller.signal.aborted ? `Cancelled: ${label} was not added.` : describeError(error));
      return false;
    } finally {
      this.#running = undefined;
      this.#download.hidden = true;
      // A finished or failed add leaves no "Adding …" line behind for the next one to show.
      this.#status.textContent = '';
      await this.refresh();
    }
  }

  #showProgress(label: string, { received, total }: ByteProgress): void {
    if (total !== undefined && total > 0) {
      this.#progress.max = total;
      this.#progress.value = received;
      this.#status.textContent = `${label}: ${formatBytes(received)} of ${formatBytes(total)} (${Math.floor((received / total) * 100)}%)`;
    } else {
      this.#status.textContent = `${label}: ${formatBytes(received)}`;
    }
  }

  async #remove(name: string): Promise<void> {
    try {
      await this.#library.remove(name);
      this.#say(`${name} was deleted.`);
      this.#onChange();
    } catch (error) {
      this.#say(describeError(error));
    }
    await this.refresh();
  }

  #setUpDrop(zone: HTMLElement): void {
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      const file = event.dataTransfer?.files[0];
      if (file !== undefined) void this.#add(file.name, (options) => this.#library.addFromFile(file, options));
    });
  }

  #say(text: string): void {
    this.#message.textContent = text;
  }
}
