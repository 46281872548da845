// The engine badge: where the selected model runs, in the words the load log and /readyz use
// (formatDevice): "wasm, 1 thread" for a tab model, the sidecar's own report for a sidecar model.
import type { EngineDescription } from '../../shared/engine/engine.js';
import { formatDevice } from '../../shared/engine/format-device.js';
import { element } from './dom.js';

// A sidecar model's `device` is what the sidecar's /readyz reports; unknown until it is loaded there.
export type BadgeState =
  | { kind: 'tab'; engine: EngineDescription }
  | { kind: 'sidecar'; device?: string }
  | { kind: 'pending'; note: string };

export function badgeText(state: BadgeState): string {
  switch (state.kind) {
    case 'tab':
      return formatDevice(state.engine);
    case 'sidecar':
      return state.device === undefined ? 'sidecar (native)' : `sidecar: ${state.device}`;
    case 'pending':
      return state.note;
  }
}

/** A stable token for styling and tests: the device kind ("wasm", "webgpu"), "sidecar" or "pending". */
function badgeKind(state: BadgeState): string {
  return state.kind === 'tab' ? (state.engine.device.split(':')[0] ?? state.engine.device) : state.kind;
}

export function showEngine(state: BadgeState): void {
  const badge = element('engine-badge', HTMLSpanElement);
  badge.textContent = badgeText(state);
  badge.dataset['engine'] = badgeKind(state);
  badge.title = crossOriginIsolated ? 'This page is cross-origin isolated: WASM may use several threads.' : 'This page is not cross-origin isolated: WASM runs on one thread.';
}
