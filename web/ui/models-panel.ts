// The Models panel: installed models with delete, adding by URL / Hugging Face name / local file
// (picker or drag-and-drop) with progress, pause/resume (downloads) and cancel, and the storage quota.
// A paused download keeps its bytes in `<name>.partial` and its entry in 'pendingInstalls', so it is
// listed as paused after a reload too; Resume continues it with Range, Cancel deletes the bytes.
import { DEFAULT_HUB_URL, resolveHubName } from '../models/hub-url.js';
import { fileNameFromUrl } from '../models/model-file-name.js';
import { defined } from '../../shared/base/defined.js';
import { pendingDownloads, savePending, type PendingDownload } from './pending-installs.js';
import { pausedDownloadText } from './paused-download-text.js';
import type { ByteProgress } from '../models/checked-model-stream.js';
import { formatBytes } from '../models/model-limits.js';
import type { ModelLibrary } from '../models/model-library.js';
import type { StoredRepo } from '../models/stored-repos.js';
import { fitVerdict, type DeviceRoom } from '../models/fit-verdict.js';
import { RECOMMENDED_MODELS, type RecommendedModel } from '../models/recommended-models.js';
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
  readonly #pause = element('download-pause', HTMLButtonElement);
  readonly #paused = element('paused-downloads', HTMLUListElement);
  readonly #message = element('models-message', HTMLParagraphElement);
  readonly #quota = element('quota', HTMLParagraphElement);
  readonly #recommended = element('recommended-list', HTMLUListElement);
  #running: { controller: AbortController; pausing: boolean; download: PendingDownload | undefined } | undefined;

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
    this.#cancel.addEventListener('click', () => this.#running?.controller.abort());
    this.#pause.addEventListener('click', () => {
      if (this.#running === undefined) return;
      this.#running.pausing = true;
      this.#running.controller.abort();
    });
  }

  async refresh(): Promise<void> {
    const models = await this.#library.list();
    const repos = await this.#library.listRepos();
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
      ...repos.map((repo) => this.#repoItem(repo)),
    );
    await this.#showPaused();
    const quota = await this.showQuota();
    this.#showRecommended(new Set(models.map((model) => model.name)), {
      storageAvailable: quota.available,
      deviceMemoryGb: (navigator as { deviceMemory?: number }).deviceMemory,
    });
  }

  /** A Hugging Face repo a config's first load stored (autogptq): one row, its size, and Delete for all its files. */
  #repoItem(repo: StoredRepo): HTMLLIElement {
    const item = make('li');
    item.dataset['repo'] = repo.name;
    const count = `${repo.fileCount} ${repo.fileCount === 1 ? 'file' : 'files'}`;
    item.append(make('span', repo.name, 'model-name'), make('span', `${formatBytes(repo.bytes)} · ${count}`, 'model-size'));
    const remove = make('button', 'Delete');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Delete ${repo.name}`);
    remove.addEventListener('click', () => void this.#removeRepo(repo.name));
    item.append(remove);
    return item;
  }

  /** The curated models, each with its verdict for this device, computed from its size before any download. */
  #showRecommended(installed: ReadonlySet<string>, room: DeviceRoom): void {
    this.#recommended.replaceChildren(...RECOMMENDED_MODELS.map((model) => this.#recommendedItem(model, installed, room)));
  }

  #recommendedItem(model: RecommendedModel, installed: ReadonlySet<string>, room: DeviceRoom): HTMLLIElement {
    const verdict = fitVerdict(model.bytes, room);
    const fileName = model.hubName.split('/').at(-1) ?? model.hubName;
    const item = make('li');
    item.dataset['hub'] = model.hubName;
    item.dataset['verdict'] = verdict.kind;
    const text = make('div', '', 'gallery-text');
    text.append(
      make('span', model.title, 'model-name'),
      make('span', `about ${formatBytes(model.bytes)} · ${Math.round(model.context / 1024)}K context · ${model.licence}`, 'model-size'),
      make('span', model.note, 'gallery-description'),
      make('span', verdict.reason, `verdict verdict-${verdict.kind}`),
    );
    if (verdict.kind === 'sidecar') text.append(make('code', `hearth models install ${model.hubName}`, 'hint'));
    item.append(text);
    if (installed.has(fileName)) {
      item.append(make('span', 'installed', 'model-size'));
    } else if (verdict.kind === 'tab') {
      const install = make('button', 'Install');
      install.type = 'button';
      install.setAttribute('aria-label', `Install ${model.title}`);
      install.addEventListener('click', () => {
        const hub = this.#hubUrl.value.trim() || DEFAULT_HUB_URL;
        void this.#startDownload(model.title, () => resolveHubName(model.hubName, hub));
      });
      item.append(install);
    }
    return item;
  }

  async showQuota(): Promise<{ available: number | undefined }> {
    const quota = await readStorageQuota();
    if (quota.usage === undefined || quota.quota === undefined) {
      this.#quota.textContent = 'This browser does not report its storage quota.';
      return { available: undefined };
    }
    const persisted = quota.persisted ? 'persistent' : 'may be cleared by the browser when space runs low';
    this.#quota.textContent = `Storage: ${formatBytes(quota.usage)} used, ${formatBytes(quota.available ?? 0)} available (${persisted}).`;
    return { available: quota.available };
  }

  async #addFromSource(): Promise<void> {
    const value = this.#source.value.trim();
    if (value === '') return;
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    const hub = this.#hubUrl.value.trim() || DEFAULT_HUB_URL;
    const added = await this.#startDownload(value, () => (isUrl ? value : resolveHubName(value, hub)));
    if (added) this.#source.value = '';
  }

  /** Downloads `url()` (a URL, or a hub name resolved to one) with pause, resume and cancel. */
  #startDownload(label: string, url: () => string, resume?: PendingDownload): Promise<boolean> {
    let download: PendingDownload | undefined = resume;
    if (download === undefined) {
      try {
        const href = url();
        const fileName = fileNameFromUrl(href);
        // Adding a paused download again resumes it, with what it knew about the file.
        download = pendingDownloads().find((paused) => paused.fileName === fileName && paused.url === href) ?? { kind: 'download', url: href, fileName, label };
      } catch {
        // Not a URL or hub name: the library says why.
        download = undefined;
      }
    }
    if (download === undefined) return this.#add(label, (options) => this.#library.addFromUrl(url(), options));
    let entry = download;
    return this.#add(
      label,
      (options) =>
        this.#library.addFromUrl(entry.url, {
          ...options,
          // What the partial bytes came from; the library restarts from 0 if the server's file differs.
          ...(entry.validator === undefined && entry.total === undefined ? {} : { resume: defined({ validator: entry.validator, total: entry.total }) }),
          onIdentity: (identity) => {
            // A start from byte 0 (a new file, or the server's changed) replaces what the entry knew.
            entry = { kind: 'download', url: entry.url, fileName: entry.fileName, label: entry.label, ...identity };
            savePending(entry, true);
          },
        }),
      entry,
    );
  }

  /** Runs one add with progress and cancel (and pause, for a download); returns whether it succeeded. */
  async #add(label: string, run: (options: { signal: AbortSignal; onProgress: (p: ByteProgress) => void }) => Promise<string>, download?: PendingDownload): Promise<boolean> {
    if (this.#running !== undefined) {
      this.#say('Another model is being added; wait for it or cancel it first.');
      return false;
    }
    // Asked here, on a user gesture, where browsers are most willing to grant it.
    void requestPersistentStorage().then(() => this.showQuota());
    const running = { controller: new AbortController(), pausing: false, download };
    this.#running = running;
    // Kept before the first byte, so a reload mid-download lists it as paused instead of losing it.
    if (download !== undefined) savePending(download, true);
    this.#download.hidden = false;
    this.#pause.hidden = download === undefined;
    this.#progress.removeAttribute('value');
    this.#status.textContent = `Adding ${label}…`;
    this.#say('');
    await this.#showPaused();
    try {
      const started = performance.now();
      // A resumed download starts at its partial size; the speed counts only this visit's bytes.
      let first: number | undefined;
      const name = await run({
        signal: running.controller.signal,
        onProgress: (p) => {
          first ??= p.received;
          this.#showProgress(label, p, p.received - first, performance.now() - started);
        },
      });
      if (download !== undefined) savePending(download, false);
      this.#say(`${name} is ready.`);
      this.#onChange();
      return true;
    } catch (error) {
      if (running.pausing && download !== undefined) {
        this.#say(`Paused ${label}. Resume continues where it stopped, even after a reload.`);
      } else {
        if (download !== undefined) await this.#forget(download);
        this.#say(running.controller.signal.aborted ? `Cancelled: ${label} was not added.` : describeError(error));
      }
      return false;
    } finally {
      this.#running = undefined;
      this.#download.hidden = true;
      this.#pause.hidden = true;
      // A finished or failed add leaves no "Adding …" line behind for the next one to show.
      this.#status.textContent = '';
      await this.refresh();
    }
  }

  /** Drops a download's partial bytes and its entry (Cancel, or a failure). */
  async #forget(download: PendingDownload): Promise<void> {
    savePending(download, false);
    await this.#library.discardDownload(download.fileName).catch(() => undefined);
  }

  /** Paused (or reload-interrupted) downloads, each with Resume and Cancel. */
  async #showPaused(): Promise<void> {
    const running = this.#running?.download?.fileName;
    const rows = await Promise.all(
      pendingDownloads()
        .filter((download) => download.fileName !== running)
        .map(async (download) => {
          const received = await this.#library.downloadedSoFar(download.fileName).catch(() => 0);
          const item = make('li');
          item.dataset['file'] = download.fileName;
          item.append(make('span', download.label, 'model-name'), make('span', pausedDownloadText(received, download.total), 'model-size'));
          const resume = make('button', 'Resume');
          resume.type = 'button';
          resume.setAttribute('aria-label', `Resume ${download.label}`);
          resume.addEventListener('click', () => void this.#startDownload(download.label, () => download.url, download));
          const cancel = make('button', 'Cancel');
          cancel.type = 'button';
          cancel.setAttribute('aria-label', `Cancel ${download.label}`);
          cancel.addEventListener('click', () => void this.#cancelPaused(download));
          item.append(resume, cancel);
          return item;
        }),
    );
    this.#paused.replaceChildren(...rows);
  }

  async #cancelPaused(download: PendingDownload): Promise<void> {
    await this.#forget(download);
    this.#say(`Cancelled: ${download.label} was not added.`);
    await this.refresh();
  }

  #showProgress(label: string, { received, total }: ByteProgress, receivedNow: number, elapsedMs: number): void {
    const perSecond = elapsedMs > 500 ? receivedNow / (elapsedMs / 1000) : undefined;
    const speed = perSecond === undefined ? '' : `, ${formatBytes(perSecond)}/s`;
    if (total !== undefined && total > 0) {
      this.#progress.max = total;
      this.#progress.value = received;
      const left = perSecond === undefined || perSecond === 0 ? '' : `, ${formatDuration((total - received) / perSecond)} left`;
      this.#status.textContent = `${label}: ${formatBytes(received)} of ${formatBytes(total)} (${Math.floor((received / total) * 100)}%${speed}${left})`;
    } else {
      this.#status.textContent = `${label}: ${formatBytes(received)}${speed}`;
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

  async #removeRepo(name: string): Promise<void> {
    try {
      await this.#library.removeRepo(name);
      this.#say(`${name} was deleted: its files and its converted copy. A model that uses it downloads it again on its next load.`);
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

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
