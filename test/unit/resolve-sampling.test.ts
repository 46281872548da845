import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING, resolveSampling, type RequestedSampling } from '../../shared/generation/resolve-sampling.js';
import type { ConfigParameters } from '../../shared/models/model-config.js';

const noBias = new Map<number, number>();

describe('resolveSampling', () => {
  it('uses LocalAI defaults when neither request nor YAML sets a value', () => {
    expect(resolveSampling({ logitBias: noBias }, {}, 0)).toEqual({
      temperature: 0.9,
      topP: 0.95,
      topK: 40,
      repeatPenalty: 1,
      presencePenalty: 0,
      frequencyPenalty: 0,
      logitBias: noBias,
    });
    expect(DEFAULT_SAMPLING).toEqual({ temperature: 0.9, topP: 0.95, topK: 40, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0 });
  });

  const yaml: ConfigParameters = {
    model: 'm.gguf',
    temperature: 0.2,
    topP: 0.5,
    topK: 10,
    repeatPenalty: 1.3,
    presencePenalty: 0.4,
    frequencyPenalty: 0.6,
    maxTokens: 100,
  };

  it('YAML parameters override the defaults', () => {
    expect(resolveSampling({ logitBias: noBias }, yaml, 0)).toEqual({
      temperature: 0.2,
      topP: 0.5,
      topK: 10,
      repeatPenalty: 1.3,
      presencePenalty: 0.4,
      frequencyPenalty: 0.6,
      logitBias: noBias,
    });
  });

  it('request values override the YAML parameters, field by field', () => {
    const bias = new Map([[13, -100]]);
    const requested: RequestedSampling = { temperature: 0, topK: 0, frequencyPenalty: -1, logitBias: bias };
    expect(resolveSampling(requested, yaml, 0)).toEqual({
      temperature: 0,
      topP: 0.5,
      topK: 0,
      repeatPenalty: 1.3,
      presencePenalty: 0.4,
      frequencyPenalty: -1,
      logitBias: bias,
    });
  });

  it.each<{ name: string; requested?: number; yamlSeed?: number; choice: number; seed: number | undefined }>([
    { name: 'no seed anywhere: random', choice: 0, seed: undefined },
    { name: 'request seed, first choice', requested: 42, choice: 0, seed: 42 },
    { name: 'request seed, third choice', requested: 42, choice: 2, seed: 44 },
    { name: 'YAML seed', yamlSeed: 7, choice: 1, seed: 8 },
    { name: 'request seed beats YAML seed', requested: 5, yamlSeed: 7, choice: 0, seed: 5 },
    { name: 'seed 0 is a fixed seed', requested: 0, choice: 0, seed: 0 },
    { name: 'negative request seed: random', requested: -1, choice: 0, seed: undefined },
    { name: 'negative request seed beats YAML seed and means random', requested: -1, yamlSeed: 7, choice: 0, seed: undefined },
    { name: 'negative YAML seed (LocalAI gallery default): random', yamlSeed: -1, choice: 3, seed: undefined },
    { name: 'seed wraps to 32 bits', requested: 4294967295, choice: 1, seed: 0 },
  ])('$name', ({ requested, yamlSeed, choice, seed }) => {
    const req: RequestedSampling = { logitBias: noBias };
    if (requested !== undefined) req.seed = requested;
    const params: ConfigParameters = {};
    if (yamlSeed !== undefined) params.seed = yamlSeed;
    const settings = resolveSampling(req, params, choice);
    if (seed === undefined) expect(settings).not.toHaveProperty('seed');
    else expect(settings.seed).toBe(seed);
  });

  it('choices of one seeded request get distinct, reproducible seeds', () => {
    const req: RequestedSampling = { seed: 1000, logitBias: noBias };
    const seeds = [0, 1, 2, 3].map((i) => resolveSampling(req, {}, i).seed);
    expect(seeds).toEqual([1000, 1001, 1002, 1003]);
    expect([0, 1, 2, 3].map((i) => resolveSampling(req, {}, i).seed)).toEqual(seeds);
  });
});
