// vitest globalSetup for browser tests: builds the web app into dist/web once per test run, so the
// tests exercise the same bundle (worker, wasm asset, test pages) that ships.
import { resolve } from 'node:path';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  await build({ configFile: resolve(root, 'vite.config.ts'), root: resolve(root, 'web'), logLevel: 'warn' });
}
