// An install job's progress as Ollama's pull statuses: "pulling manifest", then
// "downloading <file>" with digest/total/completed while bytes arrive, then "success". Ends with
// the job; a failed job throws its ApiError (sent as an {"error"} line).
import type { Job, JobStatus } from '../../galleries/job-tracker.js';

export interface PullStatus {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

/** One job status as Ollama's progress line; undefined when it says nothing new to a puller. */
export function pullStatusOf(status: JobStatus): PullStatus | undefined {
  if (status.file_name === '' || status.processed) return undefined;
  return {
    status: `downloading ${status.file_name}`,
    // Ollama names each layer by digest; an install's files are named by their file name.
    digest: status.file_name,
    ...(status.file_size_bytes === null ? {} : { total: status.file_size_bytes }),
    completed: status.downloaded_size_bytes,
  };
}

export async function* pullProgress(job: Job, done: Promise<void>, signal: AbortSignal): AsyncGenerator<PullStatus> {
  yield { status: 'pulling manifest' };
  const pending: PullStatus[] = [];
  let wake: (() => void) | undefined;
  const stop = job.onChange((status) => {
    const line = pullStatusOf(status);
    if (line !== undefined) pending.push(line);
    wake?.();
  });
  let finished = false;
  let failure: { error: unknown } | undefined;
  done.then(
    () => (finished = true),
    (error: unknown) => (failure = { error }),
  ).finally(() => wake?.());
  const aborted = (): void => wake?.();
  signal.addEventListener('abort', aborted, { once: true });
  try {
    for (;;) {
      // Progress events are many; a client only needs the newest per wake-up.
      const next = pending.splice(0).at(-1);
      if (next !== undefined) yield next;
      if (failure !== undefined) throw failure.error;
      if (finished) break;
      if (signal.aborted) return;
      if (pending.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    stop();
    signal.removeEventListener('abort', aborted);
  }
  yield { status: 'verifying sha256 digest' };
  yield { status: 'writing manifest' };
  yield { status: 'success' };
}
