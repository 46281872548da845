// The parent side of stream-client-process: one long-lived child, so starting a process never
// lands inside a measurement.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StreamRequest, StreamTiming } from './stream-client-process.js';

export interface StreamClient {
  /** Starts `count` identical streaming requests at once and resolves with each one's timing. */
  run(url: string, body: string, count: number): Promise<StreamTiming[]>;
  close(): void;
}

export function startStreamClient(): StreamClient {
  // Built (dist) next to this file as .js; under tsx as .ts.
  const js = fileURLToPath(new URL('./stream-client-process.js', import.meta.url));
  const script = existsSync(js) ? js : fileURLToPath(new URL('./stream-client-process.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [] });
  let next = 0;
  const pending = new Map<number, { resolve: (t: StreamTiming[]) => void; reject: (e: Error) => void }>();
  child.on('message', (message: { id: number; timings?: StreamTiming[]; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.timings ?? []);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the stream client exited (${code ?? 'signal'})`));
    pending.clear();
  });
  return {
    run(url, body, count) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, url, body, count } satisfies StreamRequest);
      });
    },
    close() {
      child.disconnect();
      child.kill();
    },
  };
}
