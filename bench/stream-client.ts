// The parent side of stream-client-process: one long-lived child, so starting a process never
// lands inside a measurement.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StreamReply, StreamRequest, StreamTiming } from './stream-client-process.js';

export type { StreamTiming } from './stream-client-process.js';

export interface StartedStreams {
  /** Resolves once every request has received its first byte. */
  firstBytes: Promise<void>;
  /** Each request's timing, in the order of the bodies. */
  done: Promise<StreamTiming[]>;
}

export interface StreamClient {
  /** Starts `count` identical streaming requests at once and resolves with each one's timing. */
  run(url: string, body: string, count: number): Promise<StreamTiming[]>;
  /** Starts one streaming request per body, all at once, and resolves with each one's timing. */
  runAll(url: string, bodies: readonly string[]): Promise<StreamTiming[]>;
  /** As runAll, and also says when every request has its first byte (to send others meanwhile). */
  start(url: string, bodies: readonly string[]): StartedStreams;
  close(): void;
}

interface Waiter {
  firstBytes: () => void;
  resolve: (timings: StreamTiming[]) => void;
  reject: (error: Error) => void;
}

export function startStreamClient(): StreamClient {
  // Built (dist) next to this file as .js; under tsx as .ts.
  const js = fileURLToPath(new URL('./stream-client-process.js', import.meta.url));
  const script = existsSync(js) ? js : fileURLToPath(new URL('./stream-client-process.ts', import.meta.url));
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [] });
  let next = 0;
  const pending = new Map<number, Waiter>();
  child.on('message', (message: StreamReply) => {
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    if ('firstBytes' in message) return waiter.firstBytes();
    pending.delete(message.id);
    if ('error' in message) waiter.reject(new Error(message.error));
    else waiter.resolve(message.timings);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the stream client exited (${code ?? 'signal'})`));
    pending.clear();
  });

  const start = (url: string, bodies: readonly string[], reportFirstBytes: boolean): StartedStreams => {
    const id = next++;
    let firstBytes: () => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const first = new Promise<void>((resolve, reject) => {
      firstBytes = resolve;
      failed = reject;
    });
    const done = new Promise<StreamTiming[]>((resolve, reject) => {
      pending.set(id, {
        firstBytes,
        resolve: (timings) => {
          firstBytes();
          resolve(timings);
        },
        reject: (error) => {
          failed(error);
          reject(error);
        },
      });
      child.send({ id, url, bodies, reportFirstBytes } satisfies StreamRequest);
    });
    // Whoever awaits only `done` must not get an unhandled rejection from `firstBytes`.
    first.catch(() => undefined);
    return { firstBytes: first, done };
  };
  return {
    run: (url, body, count) => start(url, Array.from({ length: count }, () => body), false).done,
    runAll: (url, bodies) => start(url, bodies, false).done,
    start: (url, bodies) => start(url, bodies, true),
    close() {
      child.disconnect();
      child.kill();
    },
  };
}
