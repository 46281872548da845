// The `hearth` command itself: --help, usage errors, and --preload holding /readyz until loaded.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/test-models.js';
import { startHarness } from './harness.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/sidecar/cli.js');

describe('hearth CLI', () => {
  it('--help explains every option and exits 0', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--help'], { timeout: 10_000 });
    for (const flag of ['--address', '--models-path', '--context-size', '--threads', '--parallel', '--api-keys', '--log-level', '--preload']) {
      expect(stdout).toContain(flag);
    }
  });

  it('a bad flag is a usage error with exit code 2', async () => {
    const error = await run(process.execPath, [CLI, '--parallel', 'many'], { timeout: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toMatch(/--parallel must be a whole number/);
  });

  it('--preload loads models before /readyz says ready', async () => {
    const harness = await startHarness({ sidecar: { preload: true } });
    try {
      await harness.sidecar.ready;
      expect(harness.sidecar.models.isLoaded('tiny.gguf')).toBe(true);
      const root = harness.baseURL.replace(/\/v1$/, '');
      expect((await fetch(`${root}/readyz`)).status).toBe(200);
      expect(harness.log.some((line) => /loaded model tiny\.gguf/.test(line))).toBe(true);
    } finally {
      await harness.close();
    }
  });
});
