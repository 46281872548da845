// The messages tabs of one origin exchange on the BroadcastChannel to share one engine: a follower
// tab sends its API requests to the host tab, which answers them with its own in-tab API and
// streams the response back. Every message names its sender and, where it is for one tab, the tab.
import type { EngineDescription } from '../../../shared/engine/engine.js';

export const CHANNEL_NAME = 'hearth-engine';
export const HOST_LOCK_NAME = 'hearth-engine-host';

export type ShareMessage =
  /** A tab asks which tab is the host (sent when it starts). */
  | { type: 'who-is-host'; from: string }
  /** The host says it is the host (on taking over, and in answer to who-is-host). */
  | { type: 'host'; from: string }
  /** The host's page is going away: its in-flight requests will not be answered. */
  | { type: 'bye'; from: string }
  | { type: 'request'; from: string; to: string; id: string; method: string; url: string; headers: Array<[string, string]>; body: ArrayBuffer | null }
  | { type: 'abort'; from: string; to: string; id: string }
  | { type: 'head'; from: string; to: string; id: string; status: number; statusText: string; headers: Array<[string, string]> }
  | { type: 'chunk'; from: string; to: string; id: string; data: Uint8Array }
  | { type: 'end'; from: string; to: string; id: string }
  | { type: 'fail'; from: string; to: string; id: string; message: string }
  /** Where the host runs a model, for the follower's engine badge (undefined: not loaded). */
  | { type: 'describe'; from: string; to: string; id: string; model: string }
  | { type: 'described'; from: string; to: string; id: string; engine: EngineDescription | undefined };
