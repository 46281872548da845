// The engine badge: where the selected model runs, in the words the load log and /readyz use
// (formatDevice): "wasm, 1 thread" or "webgpu: <adapter>, 3/3 layers" for a tab model, the
// sidecar's own report for a sidecar model. Why a tab model is not on the GPU is in its tooltip.
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
      // A note (the GPU failed, or WebGPU was asked for and is not possible) is shown, not hidden in a tooltip.
      return formatDevice(state.engine) + (state.engine.note ? ` — ${state.engine.note}` : '');
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
  const why = state.kind === 'tab' && state.engine.reason ? `${state.engine.reason}. ` : '';
  badge.title = why + (crossOriginIsolated ? 'Cross-origin isolated page: WASM may use several threads.' : 'Not a cross-origin isolated page: WASM runs on one thread.');
}
