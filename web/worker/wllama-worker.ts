// Entry point of the engine worker: exposes a WorkerHost to the page with comlink.
import { expose } from 'comlink';
import { WorkerHost } from './worker-host.js';

expose(new WorkerHost());
