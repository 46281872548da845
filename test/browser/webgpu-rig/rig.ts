// The software-Vulkan WebGPU rig for browser tests (see the handbook's WEBGPU.md): Mesa 25's
// lavapipe unpacked from Debian packages into a private folder, a small Vulkan layer built here
// from C, and Chromium started in a private mount namespace where its bundled SwiftShader Vulkan
// driver is hidden. Nothing of this is installed system-wide or shipped in the app.
//
// `.ci/run` downloads the packages (test/browser/webgpu-rig/fetch-packages.sh); this module
// unpacks them, compiles the layer and writes the two json manifests into an ignored cache folder.
// When a step cannot run here, `prepareWebGpuRig()` says which, and the WebGPU tests skip with it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const ROOT = resolve(import.meta.dirname, '../../..');
export const RIG_CACHE = join(ROOT, '.cache/webgpu-rig');
const DEBS = join(RIG_CACHE, 'debs');
const UNPACKED = join(RIG_CACHE, 'root');
const LAYER_SOURCE = join(import.meta.dirname, 'fake-semaphore-fd-layer.c');
const LAYER_LIBRARY = join(RIG_CACHE, 'libhearth_rig_layer.so');
const LAYER_NAME = 'VK_LAYER_HEARTH_rig_semaphore_fd';
const CHROMIUM_BINARY = '/usr/lib/chromium/chromium';
const SWIFTSHADER_ICD = '/usr/lib/chromium/libvk_swiftshader.so';
const MESA_LIBS = join(UNPACKED, 'usr/lib/x86_64-linux-gnu');

/** Switches that made Dawn offer lavapipe (WEBGPU.md: removing any of the first five gave no adapter). */
export const WEBGPU_RIG_ARGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--ignore-gpu-blocklist',
  '--use-angle=vulkan',
  '--enable-features=Vulkan',
  '--disable-vulkan-surface',
  // lavapipe computes on the CPU, so one long dispatch on a busy machine could outlast Chromium's GPU
  // watchdog. (Every device was lost twice, "A valid external Instance reference no longer exists",
  // in long runs of the tools cases: once with the watchdog on and once with it off, so the cause is
  // still unknown. The engine fell back to WASM as designed; see webgpu-conformance.test.ts.)
  '--disable-gpu-watchdog',
];

export interface WebGpuRig {
  /** A wrapper script that enters the private mount namespace and execs Chromium. */
  readonly executablePath: string;
  readonly env: Readonly<Record<string, string>>;
  readonly args: readonly string[];
}

export type RigResult = { ok: true; rig: WebGpuRig } | { ok: false; reason: string };

let prepared: Promise<RigResult> | undefined;

/** Prepares the rig once per process; never throws (a failure is the skip reason). */
export function prepareWebGpuRig(): Promise<RigResult> {
  prepared ??= prepare().catch((error: unknown) => ({ ok: false, reason: `the WebGPU test rig could not be prepared: ${String(error)}` }));
  return prepared;
}

async function prepare(): Promise<RigResult> {
  if (!existsSync(CHROMIUM_BINARY) || !existsSync(SWIFTSHADER_ICD)) {
    return { ok: false, reason: `Debian's Chromium (${CHROMIUM_BINARY} with ${SWIFTSHADER_ICD}) is not installed` };
  }
  const debs = existsSync(DEBS) ? (await readdir(DEBS)).filter((f) => f.endsWith('.deb')) : [];
  if (!debs.some((f) => f.startsWith('mesa-vulkan-drivers_25.')) || !debs.some((f) => f.startsWith('libvulkan-dev_'))) {
    return { ok: false, reason: `the Mesa 25 packages are missing from ${DEBS}; run test/browser/webgpu-rig/fetch-packages.sh (as .ci/run does)` };
  }
  await unpack(debs);
  await buildLayer();
  const icd = join(RIG_CACHE, 'lvp_icd.json');
  await writeFile(
    icd,
    JSON.stringify({ file_format_version: '1.0.1', ICD: { library_path: join(MESA_LIBS, 'libvulkan_lvp.so'), api_version: '1.4.305' } }, null, 2),
  );
  const layerDir = join(RIG_CACHE, 'layers');
  await mkdir(layerDir, { recursive: true });
  await writeFile(
    join(layerDir, 'hearth_rig_layer.json'),
    JSON.stringify(
      {
        file_format_version: '1.1.2',
        layer: {
          name: LAYER_NAME,
          type: 'GLOBAL',
          library_path: LAYER_LIBRARY,
          api_version: '1.3.239',
          implementation_version: '1',
          description: 'Hearth test rig: lets Chromium accept lavapipe (fakes VK_KHR_external_semaphore_fd)',
          functions: { vkGetInstanceProcAddr: 'hearth_rig_GetInstanceProcAddr', vkGetDeviceProcAddr: 'hearth_rig_GetDeviceProcAddr' },
        },
      },
      null,
      2,
    ),
  );
  const wrapper = join(RIG_CACHE, 'chromium-without-swiftshader.sh');
  await writeFile(
    wrapper,
    [
      '#!/bin/sh',
      '# Hides Chromium\'s bundled SwiftShader Vulkan driver from this Chromium only (a private mount namespace).',
      `exec unshare -m --propagation private /bin/sh -c 'mount --bind /dev/null ${SWIFTSHADER_ICD} && exec ${CHROMIUM_BINARY} "$@"' chromium "$@"`,
      '',
    ].join('\n'),
  );
  await chmod(wrapper, 0o755);
  try {
    await run(wrapper, ['--version'], { timeout: 20_000 });
  } catch (error) {
    return { ok: false, reason: `Chromium cannot start in a private mount namespace here (unshare -m needs root or user namespaces): ${String(error)}` };
  }
  return {
    ok: true,
    rig: {
      executablePath: wrapper,
      args: WEBGPU_RIG_ARGS,
      env: {
        VK_DRIVER_FILES: icd,
        VK_ICD_FILENAMES: icd,
        VK_ADD_LAYER_PATH: layerDir,
        VK_INSTANCE_LAYERS: LAYER_NAME,
        LD_LIBRARY_PATH: [MESA_LIBS, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      },
    },
  };
}

async function unpack(debs: string[]): Promise<void> {
  const marker = join(UNPACKED, '.unpacked');
  if (existsSync(marker) && (await stat(marker)).mtimeMs >= Math.max(...(await Promise.all(debs.map(async (d) => (await stat(join(DEBS, d))).mtimeMs))))) return;
  await mkdir(UNPACKED, { recursive: true });
  for (const deb of debs) await run('dpkg-deb', ['-x', join(DEBS, deb), UNPACKED]);
  await writeFile(marker, debs.join('\n'));
}

async function buildLayer(): Promise<void> {
  if (existsSync(LAYER_LIBRARY) && (await stat(LAYER_LIBRARY)).mtimeMs >= (await stat(LAYER_SOURCE)).mtimeMs) return;
  await run('cc', ['-shared', '-fPIC', '-O2', '-fvisibility=hidden', '-Wall', '-Werror', '-I', join(UNPACKED, 'usr/include'), '-o', LAYER_LIBRARY, LAYER_SOURCE]);
}
