// Launches Debian's headless Chromium through playwright-core with the flags measured to work on
// this machine (TESTING.md), in a fresh profile that is deleted on close.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { WebGpuRig } from './webgpu-rig/rig.js';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Keep the page's timers and renderer at full priority even when Chromium considers it hidden
  // (headless, occluded): WASM decode runs in workers of this renderer and must not be throttled.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

export interface LaunchedChromium {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** An HTTP proxy every request goes through, loopback included (Playwright forces that), e.g. a logging proxy. */
  proxy?: string;
  /** More command-line switches, after CHROMIUM_ARGS. */
  extraArgs?: readonly string[];
  /** Launch through the software-Vulkan WebGPU rig (webgpu-rig/rig.ts) instead of plain headless Chromium. */
  webgpu?: WebGpuRig;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  // A persistent context is the only way to give Chromium its own --user-data-dir.
  const userDataDir = await mkdtemp(join(tmpdir(), 'hearth-chromium-'));
  const rig = options.webgpu;
  // The rig needs Chromium's GPU process, which --disable-gpu would turn off.
  const baseArgs = rig === undefined ? CHROMIUM_ARGS : [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), ...rig.args];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: rig?.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...baseArgs, ...(options.extraArgs ?? [])],
    ...(rig === undefined ? {} : { env: { ...process.env, ...rig.env } }),
    ...(options.proxy === undefined ? {} : { proxy: { server: options.proxy } }),
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
