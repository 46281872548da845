// A request that asks for something its model's engine cannot do gets a 400 naming the field,
// never a reply generated without it. Engines declare what they can do (Engine.features).
import { ApiError } from '../../base/api-error.js';
import type { Engine, EngineFeature } from '../../engine/engine.js';
import type { GenerationFields } from '../parse/generation-fields.js';

/** The features a request needs, each with the request field that asked for it. */
export function requiredFeatures(request: GenerationFields): Array<{ feature: EngineFeature; param: string }> {
  const { sampling } = request;
  const needed: Array<{ feature: EngineFeature; param: string }> = [];
  // Each only when it asks for something: min_p 0, typical_p 1 and mirostat 0 are "off".
  if (sampling.minP !== undefined && sampling.minP > 0) needed.push({ feature: 'min_p', param: 'min_p' });
  if (sampling.typicalP !== undefined && sampling.typicalP < 1) needed.push({ feature: 'typical_p', param: 'typical_p' });
  if (sampling.repeatLastN !== undefined) needed.push({ feature: 'repeat_last_n', param: 'repeat_last_n' });
  if (sampling.mirostat !== undefined) needed.push({ feature: 'mirostat', param: 'mirostat' });
  if (sampling.ignoreEos === true) needed.push({ feature: 'ignore_eos', param: 'ignore_eos' });
  if (request.logprobs !== undefined) needed.push({ feature: 'logprobs', param: 'logprobs' });
  return needed;
}

export function requireFeatures(engine: Engine, request: GenerationFields, surface: string): void {
  for (const { feature, param } of requiredFeatures(request)) {
    if (engine.features?.has(feature) === true) continue;
    throw new ApiError(
      'invalid_request',
      `'${param}' is not supported by this model's engine (${engine.describe().backend}) ${surface}. Leave it out, or use a surface whose engine has it (see the README's field table).`,
      { param, code: 'unsupported_parameter' },
    );
  }
}
