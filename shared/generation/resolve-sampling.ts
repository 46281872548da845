// Request values override the model's YAML parameters, which override built-in defaults.
import type { SamplingSettings } from '../engine/engine.js';
import type { ConfigParameters } from '../models/model-config.js';

/** Sampling fields as a request gave them; undefined ones fall back to the YAML, then to the defaults. */
export interface RequestedSampling {
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  repeatPenalty?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  logitBias: ReadonlyMap<number, number>;
  minP?: number;
  typicalP?: number;
  repeatLastN?: number;
  mirostat?: { mode: 1 | 2; tau: number; eta: number };
  ignoreEos?: boolean;
}

/** LocalAI's defaults for llama.cpp models. */
export const DEFAULT_SAMPLING = {
  temperature: 0.9,
  topP: 0.95,
  topK: 40,
  repeatPenalty: 1,
  presencePenalty: 0,
  frequencyPenalty: 0,
} as const;

export function resolveSampling(requested: RequestedSampling, parameters: ConfigParameters, choiceIndex: number): SamplingSettings {
  const settings: SamplingSettings = {
    temperature: requested.temperature ?? parameters.temperature ?? DEFAULT_SAMPLING.temperature,
    topP: requested.topP ?? parameters.topP ?? DEFAULT_SAMPLING.topP,
    topK: requested.topK ?? parameters.topK ?? DEFAULT_SAMPLING.topK,
    repeatPenalty: requested.repeatPenalty ?? parameters.repeatPenalty ?? DEFAULT_SAMPLING.repeatPenalty,
    presencePenalty: requested.presencePenalty ?? parameters.presencePenalty ?? DEFAULT_SAMPLING.presencePenalty,
    frequencyPenalty: requested.frequencyPenalty ?? parameters.frequencyPenalty ?? DEFAULT_SAMPLING.frequencyPenalty,
    logitBias: requested.logitBias,
  };
  // Off unless asked for: engines without these features must still serve the default request.
  if (requested.minP !== undefined) settings.minP = requested.minP;
  if (requested.typicalP !== undefined) settings.typicalP = requested.typicalP;
  if (requested.repeatLastN !== undefined) settings.repeatLastN = requested.repeatLastN;
  if (requested.mirostat !== undefined) settings.mirostat = requested.mirostat;
  if (requested.ignoreEos !== undefined) settings.ignoreEos = requested.ignoreEos;
  const seed = requested.seed ?? parameters.seed;
  // LocalAI treats a negative seed as "random". Choices of one request get consecutive seeds so
  // that n > 1 gives different answers while a fixed seed still reproduces all of them.
  if (seed !== undefined && seed >= 0) settings.seed = (seed + choiceIndex) >>> 0;
  return settings;
}
