// The fields added for llama.cpp sampling, logprobs and grammar_json_functions, the engine feature
// check, and how token logprobs follow the text the stop-word filter lets out.
import { describe, expect, it } from 'vitest';
import type { Engine, EngineFeature, TokenLogprob } from '../../shared/engine/engine.js';
import { LogprobAligner } from '../../shared/generation/logprob-aligner.js';
import { chatLogprobs, completionLogprobs } from '../../shared/generation/logprob-shapes.js';
import { parseChatRequest } from '../../shared/http/parse/parse-chat-request.js';
import { parseCompletionRequest } from '../../shared/http/parse/parse-completion-request.js';
import { readGenerationFields } from '../../shared/http/parse/generation-fields.js';
import { requireFeatures } from '../../shared/http/routes/require-features.js';
import type { JsonObject } from '../../shared/base/field-readers.js';
import { apiErrorOf } from '../fixtures/api-error-of.js';

const messages = [{ role: 'user', content: 'Hi' }];

function entry(token: string, logprob = -0.5): TokenLogprob {
  return { token, bytes: [...new TextEncoder().encode(token)], logprob, top: [{ token, bytes: [], logprob }] };
}

function engineWith(features: EngineFeature[]): Engine {
  return { features: new Set(features), describe: () => ({ backend: 'test', device: 'cpu', threads: 0 }) } as unknown as Engine;
}

describe('llama.cpp sampling fields', () => {
  it.each<[JsonObject, string]>([
    [{ min_p: 1.5 }, 'min_p'],
    [{ typical_p: 0 }, 'typical_p'],
    [{ repeat_last_n: -2 }, 'repeat_last_n'],
    [{ ignore_eos: 'yes' }, 'ignore_eos'],
    [{ n_keep: 1.5 }, 'n_keep'],
    [{ mirostat: 3 }, 'mirostat'],
    [{ mirostat_tau: 0 }, 'mirostat_tau'],
  ])('%j is a 400 naming %s', (body, param) => {
    expect(apiErrorOf(() => readGenerationFields(body))).toMatchObject({ status: 400, param });
  });

  it('mirostat 0 asks for nothing; mirostat 1 gets llama.cpp\'s tau and eta defaults', () => {
    expect(readGenerationFields({ mirostat: 0 }).sampling.mirostat).toBeUndefined();
    expect(readGenerationFields({ mirostat: 1 }).sampling.mirostat).toEqual({ mode: 1, tau: 5, eta: 0.1 });
  });

  it.each<[JsonObject, string]>([
    [{ tfz: 0.9 }, 'tfz'],
    [{ negative_prompt: 'ugly' }, 'negative_prompt'],
    [{ xtc_probability: 0.5 }, 'xtc_probability'],
    [{ dry_multiplier: 0.8 }, 'dry_multiplier'],
    [{ best_of: 2 }, 'best_of'],
    [{ suffix: 'end' }, 'suffix'],
    [{ audio: { voice: 'alloy' } }, 'audio'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
    [{ web_search_options: {} }, 'web_search_options'],
  ])('known but unhonoured %j is a 400 unsupported_parameter naming %s', (body, param) => {
    expect(apiErrorOf(() => readGenerationFields(body))).toMatchObject({ status: 400, param, code: 'unsupported_parameter' });
  });

  it('their "off" values pass', () => {
    expect(() => readGenerationFields({ tfz: 1, negative_prompt: '', best_of: 1, suffix: '', modalities: ['text'], xtc_probability: 0, dry_multiplier: 0 })).not.toThrow();
  });
});

describe('unknown fields', () => {
  it('are listed (names only) for the debug log, and known ones are not', () => {
    const chat = parseChatRequest({ messages, store: true, metadata: { a: 1 }, service_tier: 'auto', frobnicate: 1, seed: 3 });
    expect(chat.ignoredFields).toEqual(['frobnicate']);
    const completion = parseCompletionRequest({ prompt: 'x', echo: true, logprobs: 1, banana: true });
    expect(completion.ignoredFields).toEqual(['banana']);
  });
});

describe('logprobs fields', () => {
  it('chat: logprobs true with top_logprobs, or 0 alternatives; false means none', () => {
    expect(parseChatRequest({ messages, logprobs: true, top_logprobs: 5 }).logprobs).toBe(5);
    expect(parseChatRequest({ messages, logprobs: true }).logprobs).toBe(0);
    expect(parseChatRequest({ messages, logprobs: false }).logprobs).toBeUndefined();
    expect(parseChatRequest({ messages, logprobs: false, top_logprobs: 0 }).logprobs).toBeUndefined();
  });

  it('chat: top_logprobs needs logprobs; tools and logprobs do not mix here', () => {
    expect(apiErrorOf(() => parseChatRequest({ messages, top_logprobs: 3 }))).toMatchObject({ param: 'top_logprobs' });
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    expect(apiErrorOf(() => parseChatRequest({ messages, tools, logprobs: true }))).toMatchObject({ param: 'logprobs', code: 'unsupported_parameter' });
  });

  it('completions: the number of alternatives, 0 to 20', () => {
    expect(parseCompletionRequest({ prompt: 'x', logprobs: 0 }).logprobs).toBe(0);
    expect(apiErrorOf(() => parseCompletionRequest({ prompt: 'x', logprobs: 21 }))).toMatchObject({ param: 'logprobs' });
  });
});

describe('grammar_json_functions', () => {
  it('becomes a grammar named after its field; with grammar too it is a 400', () => {
    const request = parseChatRequest({ messages, grammar_json_functions: { oneOf: [{ type: 'object', properties: { function: { const: 'f' } } }] } });
    expect(request.grammarParam).toBe('grammar_json_functions');
    expect(request.grammar).toContain('root');
    expect(apiErrorOf(() => parseChatRequest({ messages, grammar: 'root ::= "x"', grammar_json_functions: { oneOf: [] } }))).toMatchObject({ param: 'grammar_json_functions' });
    expect(apiErrorOf(() => parseChatRequest({ messages, grammar_json_functions: 'nope' }))).toMatchObject({ param: 'grammar_json_functions' });
  });
});

describe('requireFeatures', () => {
  const ask = (body: JsonObject) => parseChatRequest({ messages, ...body });

  it('refuses what the engine does not declare, naming the field', () => {
    const engine = engineWith(['min_p']);
    expect(() => requireFeatures(engine, ask({ min_p: 0.1 }), 'here')).not.toThrow();
    expect(apiErrorOf(() => requireFeatures(engine, ask({ typical_p: 0.5 }), 'here'))).toMatchObject({ param: 'typical_p', code: 'unsupported_parameter' });
    expect(apiErrorOf(() => requireFeatures(engine, ask({ logprobs: true }), 'here'))).toMatchObject({ param: 'logprobs' });
    expect(apiErrorOf(() => requireFeatures(engineWith([]), ask({ ignore_eos: true }), 'here'))).toMatchObject({ param: 'ignore_eos' });
  });

  it('lets the "off" values through on any engine', () => {
    expect(() => requireFeatures(engineWith([]), ask({ min_p: 0, typical_p: 1, mirostat: 0, ignore_eos: false }), 'here')).not.toThrow();
  });
});

describe('LogprobAligner', () => {
  it('lets an entry out with the text that completes its token', () => {
    const aligner = new LogprobAligner();
    aligner.add('Hel', entry('Hel'));
    aligner.add('lo', entry('lo'));
    // The filter held "lo" back (a possible stop word start): only "Hel" is out.
    expect(aligner.release(3).map((e) => e.token)).toEqual(['Hel']);
    expect(aligner.release(2).map((e) => e.token)).toEqual(['lo']);
  });

  it('an empty-text token (an unfinished UTF-8 character) goes with the next text', () => {
    const aligner = new LogprobAligner();
    aligner.add('', entry(''));
    aligner.add('é', entry('é'));
    expect(aligner.release(1)).toHaveLength(2);
  });

  it('rest() hands over what is left at a non-stop end', () => {
    const aligner = new LogprobAligner();
    aligner.add('ab', entry('ab'));
    expect(aligner.release(1)).toEqual([]);
    expect(aligner.rest().map((e) => e.token)).toEqual(['ab']);
  });
});

describe('logprob shapes', () => {
  it('chat: content[] with top_logprobs', () => {
    expect(chatLogprobs([entry('a', -1)])).toEqual({
      content: [{ token: 'a', logprob: -1, bytes: [97], top_logprobs: [{ token: 'a', bytes: [], logprob: -1 }] }],
      refusal: null,
    });
  });

  it('completions: parallel lists and offsets from where the text starts', () => {
    expect(completionLogprobs([entry('ab', -1), entry('c', -2)], 5)).toEqual({
      tokens: ['ab', 'c'],
      token_logprobs: [-1, -2],
      top_logprobs: [{ ab: -1 }, { c: -2 }],
      text_offset: [5, 7],
    });
  });
});
