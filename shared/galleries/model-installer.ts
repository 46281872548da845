// Carries out install plans: downloads each file (resumable, verified), writes templates, the
// install record and, last, the model's YAML config, which is the moment the model appears.
// One install per model at a time (a second request joins the first), one download per file.
import { stringify } from 'yaml';
import { ApiError } from '../base/api-error.js';
import type { Logger } from '../base/logger.js';
import { downloadFile } from '../downloads/download-file.js';
import type { HashFactory, ModelFileWriter } from '../downloads/download-io.js';
import { loadCatalog } from '../models/model-catalog.js';
import type { ModelStore } from '../models/model-store.js';
import { parseHuggingFaceModelName } from './hf-model-name.js';
import { hubHeaders, type HubAccess } from './hub-access.js';
import { installName, type InstallPlan, type PlannedFile } from './install-plan.js';
import { readAllInstallRecords, readInstallRecord, recordFileName, type InstallRecord } from './install-record.js';
import type { Job, JobTracker } from './job-tracker.js';
import { errorMessage } from '../base/error-message.js';
import { defined } from '../base/defined.js';

export interface InstallerOptions {
  hub: HubAccess;
  /** Reads the models folder (records, configs). */
  store: ModelStore;
  /** Writes it. */
  files: ModelFileWriter;
  createHash: HashFactory;
  jobs: JobTracker;
  log: Logger;
  /**
   * Called after a model is installed or removed, once for its name and once for each model file
   * it wrote or removed, so every engine loaded under one of those names or from one of those
   * files is released.
   */
  onModelChanged?: (name: string) => Promise<void>;
  /** Passed to downloadFile (tests shorten the waits). */
  downloadRetries?: number;
  sleep?: (milliseconds: number) => Promise<void>;
}

export interface StartedInstall {
  job: Job;
  /** Settles when the job ends; rejects with the ApiError that failed it. */
  done: Promise<void>;
}

/** The file stem a model name installs under; refuses names that are not plain (400). */
export function stemForName(name: string): string {
  return parseHuggingFaceModelName(name)?.fileName ?? installName(name).stem;
}

export class ModelInstaller {
  readonly #running = new Map<string, StartedInstall>();
  readonly #fileLocks = new Map<string, Promise<void>>();

  readonly #options: InstallerOptions;

  constructor(options: InstallerOptions) {
    this.#options = options;
  }

  /** Starts a job for the plan, or returns the job already installing the same model. */
  start(plan: InstallPlan): StartedInstall {
    const existing = this.#running.get(plan.stem);
    if (existing) return existing;
    const job = this.#options.jobs.create(plan.source, plan.name);
    const done = this.#run(plan, job)
      .then(
        async () => {
          // A reinstall may change the config or weights behind a name that is already loaded.
          for (const name of [plan.name, ...plan.files.map((file) => file.fileName)]) {
            await Promise.resolve(this.#options.onModelChanged?.(name)).catch(() => undefined);
          }
          job.succeed();
          this.#options.log('info', `installed model ${plan.name} from ${plan.source}`);
        },
        (error: unknown) => {
          job.fail(errorMessage(error));
          this.#options.log('error', `could not install model ${plan.name} from ${plan.source}: ${errorMessage(error)}`);
          throw error;
        },
      )
      .finally(() => this.#running.delete(plan.stem));
    // Callers that care await `done`; nobody awaiting must not crash the process.
    done.catch(() => undefined);
    const started = { job, done };
    this.#running.set(plan.stem, started);
    return started;
  }

  isInstalling(stem: string): boolean {
    return this.#running.has(stem);
  }

  /** Serialises work on one file name across concurrent installs (two models sharing weights). */
  async #withFileLock(fileName: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#fileLocks.get(fileName) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    const tail = current.catch(() => undefined);
    this.#fileLocks.set(fileName, tail);
    try {
      await current;
    } finally {
      if (this.#fileLocks.get(fileName) === tail) this.#fileLocks.delete(fileName);
    }
  }

  async #hashOf(fileName: string): Promise<string> {
    const hash = this.#options.createHash();
    for await (const chunk of this.#options.files.read(fileName)) hash.update(chunk);
    return hash.digestHex();
  }

  /** Downloads one file unless a complete, matching copy is there. Returns true when it wrote the file. */
  async #fetchFile(file: PlannedFile, job: Job, index: number, count: number): Promise<boolean> {
    const { files, log } = this.#options;
    if (await files.exists(file.fileName)) {
      if (file.sha256 === undefined || (await this.#hashOf(file.fileName)) === file.sha256) {
        job.fileProgress({ fileName: file.fileName, index, count, downloaded: 1, total: 1 });
        return false;
      }
      log('warn', `${file.fileName} is already in the models folder but its sha256 differs from the gallery's; downloading it again`);
    }
    await downloadFile({
      fetch: this.#options.hub.fetch,
      files,
      createHash: this.#options.createHash,
      url: file.url,
      headers: hubHeaders(this.#options.hub, { url: file.url, hub: file.hub }),
      fileName: file.fileName,
      ...defined({ sha256: file.sha256, retries: this.#options.downloadRetries, sleep: this.#options.sleep }),
      onProgress: ({ downloaded, total }) => job.fileProgress({ fileName: file.fileName, index, count, downloaded, total }),
    });
    return true;
  }

  /**
   * Checks every destination of the plan (names, symlinks) and source (the hub's checkUrl) without writing: callers run it before
   * starting a job so that an unsafe plan is a 400 with nothing written. Jobs check again.
   */
  async preflight(plan: InstallPlan): Promise<void> {
    const names = [...plan.files.map((f) => f.fileName), ...plan.templates.map((t) => `${t.name}.tmpl`), `${plan.stem}.yaml`, recordFileName(plan.stem)];
    for (const name of names) await this.#options.files.checkWritable(name);
    for (const file of plan.files) await this.#options.hub.checkUrl?.(file.url);
  }

  async #run(plan: InstallPlan, job: Job): Promise<void> {
    const { files, store } = this.#options;
    const configFile = `${plan.stem}.yaml`;
    const templateFiles = plan.templates.map((template) => `${template.name}.tmpl`);
    await this.preflight(plan);

    const previous = await readInstallRecord(store, plan.stem);
    const sharedWithOthers = new Set((await readAllInstallRecords(store)).filter((r) => r.stem !== plan.stem).flatMap((r) => r.files));
    const recorded = new Set(previous?.files ?? []);
    const created: string[] = [];
    try {
      for (const [index, file] of plan.files.entries()) {
        await this.#withFileLock(file.fileName, async () => {
          const wrote = await this.#fetchFile(file, job, index, plan.files.length);
          if (wrote) created.push(file.fileName);
          // A file that was already there is ours to delete later only if another install wrote it.
          if (wrote || sharedWithOthers.has(file.fileName)) recorded.add(file.fileName);
        });
      }
      job.setMessage('writing config');
      for (const [index, template] of plan.templates.entries()) {
        const name = templateFiles[index] ?? `${template.name}.tmpl`;
        if (!(await files.exists(name))) created.push(name);
        await files.writeText(name, template.content);
        recorded.add(name);
      }
      recorded.add(configFile);
      const record: InstallRecord = { name: plan.name, stem: plan.stem, source: plan.source, files: [...recorded] };
      await files.writeText(recordFileName(plan.stem), `${JSON.stringify(record, null, 2)}\n`);
      await files.writeText(configFile, `# Installed by Hearth from ${plan.source}\n${stringify(plan.config)}`);
    } catch (error) {
      // Nothing half-installed stays visible: complete files this job created go. Partial
      // downloads stay (they are never read as models) so a retry resumes them.
      for (const name of created) await files.remove(name).catch(() => undefined);
      throw error;
    }
  }

  /** Removes a model this installer installed: exactly the files its record lists. */
  async remove(name: string): Promise<string[]> {
    const { files, store } = this.#options;
    const stem = stemForName(name);
    const record = await readInstallRecord(store, stem);
    if (record === undefined || record.name !== name) {
      const catalog = await loadCatalog(store);
      if (catalog.entries.some((entry) => entry.name === name)) {
        throw new ApiError('invalid_request', `"${name}" was not installed by Hearth, so Hearth does not know which files are its own. Remove its files from ${store.location} yourself.`, {
          param: 'name',
          code: 'not_installed_by_hearth',
        });
      }
      throw new ApiError('not_found', `No installed model is named "${name}".`, { param: 'name', code: 'model_not_found' });
    }
    if (this.#running.has(stem)) {
      throw new ApiError('invalid_request', `"${name}" is still being installed; delete it when its job has finished.`, { param: 'name', code: 'install_running' });
    }
    const others = new Set((await readAllInstallRecords(store)).filter((r) => r.stem !== stem).flatMap((r) => r.files));
    // The config goes first, so the model stops being served before its weights disappear.
    const ordered = [...record.files].sort((a, b) => Number(b === `${stem}.yaml`) - Number(a === `${stem}.yaml`));
    const removed: string[] = [];
    for (const file of ordered) {
      if (others.has(file)) continue;
      await files.checkWritable(file);
      await files.remove(file);
      removed.push(file);
    }
    await files.remove(recordFileName(stem));
    for (const changed of [name, ...removed]) await this.#options.onModelChanged?.(changed);
    return removed;
  }
}
