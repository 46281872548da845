// Where the tab runs models: the setting chosen in the UI (Settings → "Run in-tab models on", kept
// by settings-storage under `hearth.device`), passed to the worker as stored; the worker reads
// anything but `wasm` or `webgpu` as `auto`. Read directly rather than through settings-storage:
// this runs in the engine code, which is part of the first-load JS, and must stay small.
export function devicePreference(): string | undefined {
  try {
    return localStorage.getItem('hearth.device') ?? undefined;
  } catch {
    // Storage can be blocked (privacy settings); `auto` still works.
    return undefined;
  }
}
