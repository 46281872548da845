// Sampling settings shared by the browser tests, in the test page's JSON form.
import type { TestSampling } from '../../web/test-pages/engine-page.js';

/** Bans byte tokens 128-255 (ids 0..255 are bytes in the generated models): no invalid UTF-8. */
export const BYTE_BAN: Array<[number, number]> = Array.from({ length: 128 }, (_, i) => [128 + i, -100]);

export const GREEDY: TestSampling = {
  temperature: 0,
  topP: 1,
  topK: 0,
  repeatPenalty: 1,
  presencePenalty: 0,
  frequencyPenalty: 0,
  logitBias: BYTE_BAN,
};

/** GREEDY plus a ban on the generated models' end tokens, <|endoftext|> (576) and <|im_end|> (578). */
export const GREEDY_NO_EOG: TestSampling = { ...GREEDY, logitBias: [...BYTE_BAN, [576, -100], [578, -100]] };
