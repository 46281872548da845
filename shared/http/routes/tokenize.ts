// LocalAI's POST /v1/tokenize ({model, content} -> {tokens}) and llama-server's detokenize
// ({model, tokens} -> {content}), with the model's own tokenizer. Tokenizing is as a prompt is:
// special tokens parsed, BOS added when the model wants one.
import { ApiError } from '../../base/api-error.js';
import { invalid, isAbsent, readOptionalString, readRequiredString, type JsonObject } from '../../base/field-readers.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { selectModel } from '../select-model.js';
import type { RouteOptions } from './route-options.js';

/** More ids than this in one detokenize request is not a prompt anybody sends. */
const MAX_TOKENS = 1_000_000;

export async function handleTokenize(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = await parseJsonBody(request, options.maxBodyBytes);
  const content = readRequiredString(body, 'content');
  const model = readModel(body);
  const { engine, slot } = await selectModel(api, request, model, options.tokenMayNameModel);
  try {
    return Response.json({ tokens: await engine.tokenize(content) });
  } finally {
    slot.release();
  }
}

export async function handleDetokenize(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = await parseJsonBody(request, options.maxBodyBytes);
  const tokens = readTokens(body);
  const model = readModel(body);
  const { engine, slot } = await selectModel(api, request, model, options.tokenMayNameModel);
  try {
    if (engine.detokenize === undefined) {
      throw new ApiError('invalid_request', `The model's engine (${engine.describe().backend}) cannot detokenize.`, { code: 'tokenize_unsupported' });
    }
    return Response.json({ content: await engine.detokenize(tokens) });
  } finally {
    slot.release();
  }
}

function readModel(body: JsonObject): string | undefined {
  const model = readOptionalString(body, 'model');
  return model === '' ? undefined : model;
}

function readTokens(body: JsonObject): number[] {
  const value = body['tokens'];
  if (isAbsent(value)) {
    throw new ApiError('invalid_request', "'tokens' is required: a list of token ids.", { param: 'tokens', code: 'missing_required_parameter' });
  }
  if (!Array.isArray(value) || value.some((token) => typeof token !== 'number' || !Number.isSafeInteger(token) || token < 0)) {
    throw invalid('tokens', "'tokens' must be a list of token ids (non-negative integers).");
  }
  if (value.length > MAX_TOKENS) throw invalid('tokens', `'tokens' may hold at most ${MAX_TOKENS} ids.`);
  return value as number[];
}
