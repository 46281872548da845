// The few settings that survive a reload (hub URL, sidecar URL, galleries, chosen model, installs
// to resume, the device in-tab models run on, the open chat's id), in localStorage.
type SettingName = 'hubUrl' | 'sidecarUrl' | 'model' | 'galleries' | 'pendingInstalls' | 'device' | 'chat';

const PREFIX = 'hearth.';

export function loadSetting(name: SettingName): string | undefined {
  try {
    return localStorage.getItem(PREFIX + name) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveSetting(name: SettingName, value: string): void {
  try {
    if (value === '') localStorage.removeItem(PREFIX + name);
    else localStorage.setItem(PREFIX + name, value);
  } catch {
    // Storage can be disabled; the setting then lasts for this visit only.
  }
}
