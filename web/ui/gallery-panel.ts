// The gallery part of the Models panel: entries of the configured galleries (name, description,
// license, installed) with Install and Remove, each install's progress from the job API, and errors. It talks
// to the in-tab API over HTTP like any client, so it shows exactly what /models/* serves.
// Installs still running when the page goes away are started again on the next visit: their
// partial downloads are kept, so they resume with Range where they stopped.
import type { GalleryRef } from '../../shared/galleries/gallery-types.js';
import type { JobStatus } from '../../shared/galleries/job-tracker.js';
import type { AvailableModel } from '../../shared/galleries/model-galleries.js';
import type { InstallPlan } from '../../shared/galleries/install-plan.js';
import type { FitVerdict } from '../models/fit-verdict.js';
import { describeError } from './describe-error.js';
import { galleryFit } from './gallery-fit.js';
import { element, make } from './dom.js';
import { loadSetting, saveSetting } from './settings-storage.js';
import { loadPendingInstalls, savePending } from './pending-installs.js';

export { parseGalleriesSetting } from './galleries-setting.js';

/** How often a running job is asked for progress. */
const POLL_MS = 250;

async function errorOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? `HTTP ${response.status}`;
}

function pendingInstalls(): string[] {
  return loadPendingInstalls().filter((entry): entry is string => typeof entry === 'string');
}

function setPending(id: string, pending: boolean): void {
  savePending(id, pending);
}

export class GalleryPanel {
  readonly #list = element('gallery-list', HTMLUListElement);
  readonly #jobs = element('gallery-jobs', HTMLUListElement);
  readonly #message = element('gallery-message', HTMLParagraphElement);
  readonly #setting = element('galleries', HTMLTextAreaElement);
  readonly #running = new Set<string>();
  /** Verdicts by entry id, each checked once (a HEAD per file), when the entry first comes into view. */
  readonly #fits = new Map<string, Promise<FitVerdict | undefined>>();
  readonly #visible = new IntersectionObserver((seen) => {
    for (const entry of seen) {
      if (!entry.isIntersecting) continue;
      this.#visible.unobserve(entry.target);
      void this.#showFit(entry.target as HTMLLIElement);
    }
  });

  readonly #fetch: typeof globalThis.fetch;
  readonly #onInstalled: () => void;
  readonly #plan: ((id: string) => Promise<InstallPlan>) | undefined;

  constructor(
    /** Reaches the in-tab API (hearthFetch). */
    fetch: typeof globalThis.fetch,
    /** Called after a model was installed or removed (the model list and picker reload). */
    onInstalled: () => void,
    /** Why the galleries setting could not be used, if it could not. */
    settingProblem: string | undefined,
    /** The install plan of an entry (its files), for the fit verdict; no verdicts without it. */
    plan?: (id: string) => Promise<InstallPlan>,
  ) {
    this.#fetch = fetch;
    this.#plan = plan;
    this.#onInstalled = onInstalled;
    this.#setting.value = loadSetting('galleries') ?? '';
    this.#setting.addEventListener('change', () => saveSetting('galleries', this.#setting.value.trim()));
    if (settingProblem !== undefined) this.#say(settingProblem);
  }

  /** Lists the gallery entries, then resumes installs a previous visit left unfinished. */
  async start(): Promise<void> {
    await this.refresh();
    for (const id of pendingInstalls()) void this.install(id, true);
  }

  async refresh(): Promise<void> {
    const galleries = (await (await this.#fetch('/models/galleries')).json()) as GalleryRef[];
    if (galleries.length === 0) {
      this.#list.replaceChildren(make('li', 'No gallery is configured. Add one in the Galleries setting below, then reload.', 'hint'));
      return;
    }
    const response = await this.#fetch('/models/available');
    if (!response.ok) {
      this.#say(`The galleries could not be read: ${await errorOf(response)}`);
      return;
    }
    const models = (await response.json()) as AvailableModel[];
    this.#list.replaceChildren(...models.map((model) => this.#entry(model)));
    if (models.length === 0) this.#list.replaceChildren(make('li', 'The configured galleries list no models (or could not be reached).', 'hint'));
  }

  #entry(model: AvailableModel): HTMLLIElement {
    const item = make('li');
    item.dataset['id'] = model.id;
    const text = make('div', '', 'gallery-text');
    text.append(make('span', model.id, 'model-name'));
    if (model.description !== undefined) text.append(make('span', model.description, 'gallery-description'));
    if (model.license !== undefined) text.append(make('span', `License: ${model.license}`, 'hint'));
    item.append(text);
    if (model.installed) {
      const remove = make('button', 'Remove');
      remove.type = 'button';
      remove.setAttribute('aria-label', `Remove ${model.name}`);
      remove.addEventListener('click', () => void this.#remove(model.name));
      item.append(make('span', 'installed', 'model-size'), remove);
    } else {
      const install = make('button', this.#running.has(model.id) ? 'Installing…' : 'Install');
      install.type = 'button';
      install.disabled = this.#running.has(model.id);
      install.setAttribute('aria-label', `Install ${model.id}`);
      install.addEventListener('click', () => void this.install(model.id, false));
      item.append(install);
      if (this.#plan !== undefined) {
        text.append(make('span', 'Checking whether it fits…', 'verdict'));
        this.#visible.observe(item);
      }
    }
    return item;
  }

  /** Shows an entry's verdict; one that cannot run in the tab cannot be installed here. */
  async #showFit(item: HTMLLIElement): Promise<void> {
    const id = item.dataset['id'] ?? '';
    const plan = this.#plan;
    if (plan === undefined) return;
    let fit = this.#fits.get(id);
    if (fit === undefined) {
      fit = galleryFit(() => plan(id)).catch(() => undefined);
      this.#fits.set(id, fit);
    }
    const verdict = await fit;
    const line = item.querySelector('.verdict');
    if (line === null) return;
    if (verdict === undefined) {
      line.textContent = 'Size unknown: checked when the download starts.';
      return;
    }
    line.textContent = verdict.reason;
    line.className = `verdict verdict-${verdict.kind}`;
    item.dataset['verdict'] = verdict.kind;
    const install = item.querySelector('button');
    if (install !== null && verdict.kind !== 'tab') install.disabled = true;
  }

  /** Starts an install through POST /models/apply and follows its job until it ends. */
  async install(id: string, resumed: boolean): Promise<void> {
    if (this.#running.has(id)) return;
    this.#running.add(id);
    setPending(id, true);
    const line = make('li', '', 'progress-line');
    line.dataset['id'] = id;
    const bar = make('progress');
    bar.max = 100;
    const status = make('span', `${resumed ? 'Resuming' : 'Starting'} ${id}…`);
    bar.setAttribute('aria-label', `Progress of ${id}`);
    line.append(bar, status);
    this.#jobs.append(line);
    await this.refresh().catch(() => undefined);
    try {
      const response = await this.#fetch('/models/apply', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
      if (!response.ok) {
        // Refused before anything was downloaded: retrying after a reload would not help.
        setPending(id, false);
        throw new Error(await errorOf(response));
      }
      const { uuid } = (await response.json()) as { uuid: string };
      const job = await this.#follow(uuid, (s) => {
        bar.value = s.progress;
        const size = s.file_size === '' ? s.downloaded_size : `${s.downloaded_size} of ${s.file_size}`;
        status.textContent = `${id}: ${s.message}${s.file_name === '' ? '' : ` ${size}`} (${Math.floor(s.progress)}%)`;
      });
      setPending(id, false);
      if (job.error !== null) throw new Error(job.error);
      this.#say(`${job.installed_name} is installed.`);
      this.#onInstalled();
    } catch (error) {
      this.#say(`Could not install ${id}: ${describeError(error)}`);
    } finally {
      this.#running.delete(id);
      line.remove();
      await this.refresh().catch((error: unknown) => this.#say(describeError(error)));
    }
  }

  /** POST /models/delete/:name: removes exactly the files the install wrote. */
  async #remove(name: string): Promise<void> {
    try {
      const response = await this.#fetch(`/models/delete/${encodeURIComponent(name)}`, { method: 'POST' });
      if (!response.ok) throw new Error(await errorOf(response));
      this.#say(`${name} was removed.`);
      this.#onInstalled();
    } catch (error) {
      this.#say(`Could not remove ${name}: ${describeError(error)}`);
    }
    await this.refresh().catch((error: unknown) => this.#say(describeError(error)));
  }

  async #follow(uuid: string, show: (status: JobStatus) => void): Promise<JobStatus> {
    for (;;) {
      const response = await this.#fetch(`/models/jobs/${encodeURIComponent(uuid)}`);
      if (!response.ok) throw new Error(await errorOf(response));
      const status = (await response.json()) as JobStatus;
      show(status);
      if (status.processed) return status;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  #say(text: string): void {
    this.#message.textContent = text;
  }
}
