// Where the tab runs models: the setting chosen in the UI, kept in localStorage. `auto` (the
// default) uses WebGPU when the adapter can run llama.cpp's WebGPU backend, else WASM.
import { DEVICE_PREFERENCES, type DevicePreference } from '../worker/protocol.js';

const KEY = 'hearth.device';

export function devicePreference(): DevicePreference {
  try {
    const stored = globalThis.localStorage?.getItem(KEY);
    return DEVICE_PREFERENCES.find((p) => p === stored) ?? 'auto';
  } catch {
    // Storage can be blocked (privacy settings); the default still works.
    return 'auto';
  }
}

/** Applies to models loaded afterwards. */
export function setDevicePreference(preference: DevicePreference): void {
  try {
    globalThis.localStorage?.setItem(KEY, preference);
  } catch {
    // Not remembered across reloads, which is all we can do.
  }
}
