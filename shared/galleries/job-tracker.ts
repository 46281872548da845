// Install and delete jobs, as LocalAI's /models/jobs shows them. In memory: a restart forgets
// jobs, but not downloads (their partial files resume).
import { formatBytes } from '../downloads/format-bytes.js';

/** LocalAI's job status fields, plus exact byte counts and the installed name. */
export interface JobStatus {
  uuid: string;
  processed: boolean;
  deletion: boolean;
  /** Percent, 0-100, over all files of the job. */
  progress: number;
  message: string;
  error: string | null;
  file_name: string;
  /** Human-readable size of the file downloading now ("1.5 MB"), as LocalAI shows it. */
  file_size: string;
  downloaded_size: string;
  file_size_bytes: number | null;
  downloaded_size_bytes: number;
  gallery_model_name: string;
  /** The `model` name clients use once installed. */
  installed_name: string;
}

export interface FileProgress {
  fileName: string;
  /** Index of this file among the job's files, and their count. */
  index: number;
  count: number;
  downloaded: number;
  total: number | undefined;
}

export class Job {
  readonly status: JobStatus;
  readonly #listeners = new Set<(status: JobStatus) => void>();

  constructor(uuid: string, source: string, installedName: string, deletion: boolean) {
    this.status = {
      uuid,
      processed: false,
      deletion,
      progress: 0,
      message: 'queued',
      error: null,
      file_name: '',
      file_size: '',
      downloaded_size: '',
      file_size_bytes: null,
      downloaded_size_bytes: 0,
      gallery_model_name: source,
      installed_name: installedName,
    };
  }

  /** Called on every change; returns a function that stops listening. */
  onChange(listener: (status: JobStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener(this.status);
  }

  setMessage(message: string): void {
    this.status.message = message;
    this.#changed();
  }

  fileProgress({ fileName, index, count, downloaded, total }: FileProgress): void {
    const fraction = total !== undefined && total > 0 ? Math.min(1, downloaded / total) : 0;
    Object.assign(this.status, {
      message: `downloading ${fileName}`,
      file_name: fileName,
      file_size: total === undefined ? '' : formatBytes(total),
      file_size_bytes: total ?? null,
      downloaded_size: formatBytes(downloaded),
      downloaded_size_bytes: downloaded,
      progress: Math.floor(((index + fraction) / Math.max(1, count)) * 1000) / 10,
    });
    this.#changed();
  }

  succeed(message = 'completed'): void {
    Object.assign(this.status, { processed: true, progress: 100, message, error: null });
    this.#changed();
  }

  fail(error: string): void {
    Object.assign(this.status, { processed: true, message: 'error', error });
    this.#changed();
  }
}

/** Finished jobs kept for GET /models/jobs; older ones are forgotten first. */
const MAX_JOBS = 500;

export class JobTracker {
  readonly #jobs = new Map<string, Job>();

  constructor(private readonly newId: () => string = () => crypto.randomUUID()) {}

  create(source: string, installedName: string, deletion = false): Job {
    const job = new Job(this.newId(), source, installedName, deletion);
    this.#jobs.set(job.status.uuid, job);
    for (const [uuid, old] of this.#jobs) {
      if (this.#jobs.size <= MAX_JOBS) break;
      if (old.status.processed) this.#jobs.delete(uuid);
    }
    return job;
  }

  get(uuid: string): Job | undefined {
    return this.#jobs.get(uuid);
  }

  all(): Job[] {
    return [...this.#jobs.values()];
  }
}
