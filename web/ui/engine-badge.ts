// The engine badge: where the selected model runs. Browser engines report their backend and CPU
// threads once loaded (threads > 1 only when the page is cross-origin isolated).
import type { Engine } from '../../shared/engine/engine.js';
import type { EngineInfo } from '../engine/worker-engine.js';
import { element } from './dom.js';

export type EngineDescription = { kind: 'sidecar' } | { kind: 'browser'; info: EngineInfo } | { kind: 'pending'; note: string };

function hasEngineInfo(engine: Engine): engine is Engine & { engineInfo(): EngineInfo } {
  return typeof (engine as { engineInfo?: unknown }).engineInfo === 'function';
}

export function describeEngine(engine: Engine): EngineDescription {
  return hasEngineInfo(engine) ? { kind: 'browser', info: engine.engineInfo() } : { kind: 'pending', note: 'in this tab' };
}

export function badgeText(description: EngineDescription): string {
  switch (description.kind) {
    case 'sidecar':
      return 'sidecar (native)';
    case 'pending':
      return description.note;
    case 'browser':
      if (description.info.backend === 'webgpu') return 'WebGPU';
      return description.info.threads === 1 ? 'WASM, 1 thread' : `WASM threads ${description.info.threads}`;
  }
}

export function showEngine(description: EngineDescription): void {
  const badge = element('engine-badge', HTMLSpanElement);
  badge.textContent = badgeText(description);
  badge.dataset['engine'] = description.kind === 'browser' ? description.info.backend : description.kind;
  badge.title = crossOriginIsolated ? 'This page is cross-origin isolated: WASM may use several threads.' : 'This page is not cross-origin isolated: WASM runs on one thread.';
}
