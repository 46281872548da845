// The one engine worker of the page, started on first use and shared by every WorkerEngine.
import { wrap, type Remote } from 'comlink';
import type { EngineWorkerApi } from '../worker/protocol.js';

let client: Remote<EngineWorkerApi> | undefined;

export function engineWorkerClient(): Remote<EngineWorkerApi> {
  // `new URL(..., import.meta.url)` inside `new Worker()` is the form Vite bundles as a worker.
  client ??= wrap<EngineWorkerApi>(new Worker(new URL('../worker/wllama-worker.ts', import.meta.url), { type: 'module', name: 'hearth-engine' }));
  return client;
}

let nextId = 1;
/** Ids for models and generations, unique within the page. */
export function nextWorkerId(): number {
  return nextId++;
}
