import type OpenAI from 'openai';

/**
 * A surface under test: the sidecar over HTTP, or the browser's fetch shim. The cases only use the
 * official `openai` client and a raw `fetch` aimed at the same API.
 */
export interface ConformanceTarget {
  client: OpenAI;
  /** Raw requests to the API root (".../v1"), for status codes and wire details the SDK hides. */
  rawFetch(route: string, init?: RequestInit): Promise<Response>;
  /** Raw requests to the server's root (no /v1): the prefix-less aliases, /healthz and /readyz. */
  rootFetch(path: string, init?: RequestInit): Promise<Response>;
  /** A generation model served by the target (a generated tiny random model). */
  model: string;
}
