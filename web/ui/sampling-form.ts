// The generation settings the user controls. Empty fields mean "the model's default" (its YAML,
// then Hearth's), so they are left out of the request rather than sent as 0.
import { element } from './dom.js';

export interface SamplingValues {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  max_tokens?: number;
  logit_bias?: Record<string, number>;
}

const FIELDS = [
  ['temperature', 'temperature'],
  ['top-p', 'top_p'],
  ['top-k', 'top_k'],
  ['max-tokens', 'max_tokens'],
] as const;

export function readSampling(): SamplingValues {
  const values: SamplingValues = {};
  for (const [id, key] of FIELDS) {
    const input = element(id, HTMLInputElement);
    if (input.value.trim() === '' || !input.checkValidity()) continue;
    values[key] = Number(input.value);
  }
  const bias = readLogitBias(element('logit-bias', HTMLTextAreaElement).value);
  if (bias !== undefined) values.logit_bias = bias;
  return values;
}

/** OpenAI's logit_bias: a JSON object from token id to a bias in [-100, 100]. Throws a readable Error. */
export function readLogitBias(text: string): Record<string, number> | undefined {
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const valid =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) &&
    Object.entries(parsed).every(([id, bias]) => /^\d+$/.test(id) && typeof bias === 'number' && bias >= -100 && bias <= 100);
  if (!valid) throw new Error('Logit bias must be a JSON object from token id to a number between -100 and 100, like {"128": -100}.');
  return parsed as Record<string, number>;
}

export function readSystemPrompt(): string {
  return element('system-prompt', HTMLTextAreaElement).value;
}
