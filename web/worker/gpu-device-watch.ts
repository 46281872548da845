// Watches the GPUDevice that llama.cpp's WebGPU backend uses. wllama runs llama.cpp in a nested
// worker that it starts from a script Blob, so that device lives where we cannot reach it; while
// wllama starts, we prefix its script with a few lines that wrap GPUAdapter.requestDevice and
// report the device's loss and uncaptured errors (out-of-memory, validation, internal) on a
// BroadcastChannel of their own. The model then knows its GPU failed before a request hangs on it.
//
// The same lines obey one message on TEST_CHANNEL, `{ type: 'destroy-device' }`, which calls
// device.destroy(), and announce `{ type: 'device-lost' }` there: tests use them to force a device
// loss and to wait for it. It is harmless: any script of this origin
// could already stop the page's work, and a lost device only makes the model reload on WASM.

export const TEST_CHANNEL = 'hearth-webgpu-test';

export type GpuFailure = { kind: 'lost' | 'error'; message: string };

let nextChannel = 1;
/** One wllama start at a time may swap the Blob constructor. */
let queue: Promise<unknown> = Promise.resolve();

function watchSource(channel: string): string {
  return `;(() => {
  const proto = globalThis.GPUAdapter && GPUAdapter.prototype;
  if (!proto || proto.__hearthWatched) return;
  proto.__hearthWatched = true;
  const requestDevice = proto.requestDevice;
  proto.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    const report = new BroadcastChannel(${JSON.stringify(channel)});
    const test = new BroadcastChannel(${JSON.stringify(TEST_CHANNEL)});
    device.lost.then((info) => {
      report.postMessage({ kind: 'lost', message: 'the GPU device was lost (' + info.reason + (info.message ? ': ' + info.message : '') + ')' });
      test.postMessage({ type: 'device-lost' });
    });
    device.addEventListener('uncapturederror', (event) => report.postMessage({ kind: 'error', message: 'the GPU reported an error: ' + (event.error && event.error.message) }));
    test.onmessage = (event) => { if (event.data && event.data.type === 'destroy-device') device.destroy(); };
    return device;
  };
})();
`;
}

/**
 * Runs `start` (which makes wllama create its worker) with that worker's script prefixed by the
 * device watch; `onFailure` hears the first loss or error of that worker's device.
 */
export async function withDeviceWatch<T>(start: () => Promise<T>, onFailure: (failure: GpuFailure) => void): Promise<{ value: T; stop: () => void }> {
  const channelName = `hearth-webgpu-device-${nextChannel++}`;
  const channel = new BroadcastChannel(channelName);
  let failed = false;
  channel.onmessage = (event: MessageEvent<GpuFailure>) => {
    if (failed) return;
    failed = true;
    onFailure(event.data);
  };
  const stop = (): void => channel.close();
  const run = queue.then(async () => {
    const OriginalBlob = globalThis.Blob;
    const prefix = watchSource(channelName);
    class WatchedBlob extends OriginalBlob {
      constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
        const script = options?.type === 'text/javascript' && parts?.length === 1 && typeof parts[0] === 'string';
        super(script ? [prefix, ...parts] : parts, options);
      }
    }
    globalThis.Blob = WatchedBlob;
    try {
      return await start();
    } finally {
      globalThis.Blob = OriginalBlob;
    }
  });
  queue = run.catch(() => undefined);
  try {
    return { value: await run, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
