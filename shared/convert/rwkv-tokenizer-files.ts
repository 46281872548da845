// Which file beside an rwkv.cpp model is its tokenizer: the one rule both surfaces use (the sidecar
// looks in the model's folder, the tab in browser storage). A World model needs the RWKV World
// vocabulary text, under the model's own name or the name rwkv.cpp ships it as; LocalAI's rwkv
// backend paired models with `<model>.tokenizer.json` instead, which is found only to be refused
// with a clear reason (llama.cpp's RWKV tokenizer is the World one only).

/** The World vocabulary as rwkv.cpp and ChatRWKV ship it. */
export const RWKV_WORLD_VOCAB_FILE = 'rwkv_vocab_v20230424.txt';

export type RwkvTokenizerFile = { kind: 'world-vocab'; name: string } | { kind: 'paired-tokenizer'; name: string };

/** Every name that may hold `modelFile`'s tokenizer, most preferred first. */
export function rwkvTokenizerCandidates(modelFile: string): RwkvTokenizerFile[] {
  return [
    // The model's own vocabulary wins over the shared one.
    { kind: 'world-vocab', name: `${modelFile}.tokenizer.txt` },
    { kind: 'world-vocab', name: RWKV_WORLD_VOCAB_FILE },
    { kind: 'paired-tokenizer', name: `${modelFile}.tokenizer.json` },
  ];
}

/** The tokenizer file for `modelFile` among the files `isPresent` says are beside it, if any. */
export function findRwkvTokenizer(modelFile: string, isPresent: (name: string) => boolean): RwkvTokenizerFile | undefined {
  return rwkvTokenizerCandidates(modelFile).find((candidate) => isPresent(candidate.name));
}

/** A file that holds an RWKV World vocabulary by its name: stored beside models, not a model itself. */
export function isRwkvWorldVocabName(name: string): boolean {
  return name === RWKV_WORLD_VOCAB_FILE || (name.endsWith('.tokenizer.txt') && name.length > '.tokenizer.txt'.length);
}
