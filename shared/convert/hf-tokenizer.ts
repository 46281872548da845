// A Hugging Face repo's tokenizer as GGUF metadata, as llama.cpp's convert_hf_to_gguf.py writes it
// for LLaMA-family models (LlamaModel.set_vocab): tokenizer.model (SentencePiece) first, as
// _set_vocab_sentencepiece; else tokenizer.json: a LLaMA-2-style BPE with byte_fallback becomes the
// "llama" vocabulary (LlamaHfVocab), any other byte-level BPE the "gpt2" one (tokens + merges).
// Special tokens come from tokenizer_config.json, then config.json (gguf-py's SpecialVocab).
import { badModelFile } from './conversion-error.js';
import type { GgufMetadata, GgufValue } from './gguf-header.js';
import type { RepoSource } from './repo-source.js';
import { readRepoJson, readWholeFile } from './repo-files.js';
import { readSentencePieceModel } from './sentencepiece-model.js';

/** llama_token_type (llama.h), the numbers GGUF stores. */
const TOKEN = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Vocab {
  tokens: Array<string | Uint8Array>;
  types: number[];
  scores?: number[];
}

/** Fills ids the tokenizer leaves out (and the rows config.json adds) as llama.cpp does: "[PADn]", unused. */
function padVocab(vocab: Vocab, size: number, padScore: number): void {
  for (let i = 0; i < size; i++) {
    if (vocab.tokens[i] !== undefined) continue;
    vocab.tokens[i] = `[PAD${i}]`;
    vocab.types[i] = TOKEN.unused;
    if (vocab.scores) vocab.scores[i] = padScore;
  }
}

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

function addedTokens(tokenizerJson: Json | undefined, tokenizerConfig: Json | undefined): AddedToken[] {
  const out: AddedToken[] = [];
  const list = tokenizerJson?.['added_tokens'];
  if (Array.isArray(list)) {
    for (const t of list) {
      if (isObject(t) && Number.isInteger(t['id']) && typeof t['content'] === 'string') out.push({ id: t['id'] as number, content: t['content'], special: t['special'] === true });
    }
  }
  const decoder = tokenizerConfig?.['added_tokens_decoder'];
  if (isObject(decoder)) {
    for (const [id, t] of Object.entries(decoder)) {
      if (isObject(t) && typeof t['content'] === 'string' && /^\d+$/.test(id)) out.push({ id: Number(id), content: t['content'], special: t['special'] === true });
    }
  }
  return out;
}

function sentencePieceVocab(bytes: Uint8Array, file: string, size: number, added: AddedToken[]): { vocab: Vocab; addSpacePrefix: boolean } {
  const model = readSentencePieceModel(bytes, file);
  if (model.pieces.length > size) throw badModelFile(file, `it has ${model.pieces.length} pieces but config.json's vocab_size is ${size}.`);
  // Pieces are proto strings (UTF-8): kept as JS strings, not one small buffer per token.
  const pieceText = new TextDecoder();
  const vocab: Vocab = { tokens: model.pieces.map((p) => pieceText.decode(p.piece)), types: model.pieces.map((p) => p.type), scores: model.pieces.map((p) => p.score) };
  const decoder = new TextDecoder();
  for (const t of added) {
    if (t.id >= size) continue;
    // The model's own pieces keep their SentencePiece type (<unk> stays UNKNOWN); added tokens
    // beyond them, or replacing them, become CONTROL or USER_DEFINED as llama.cpp makes them.
    const own = model.pieces[t.id];
    if (own !== undefined && decoder.decode(own.piece) === t.content) continue;
    vocab.tokens[t.id] = t.content;
    vocab.types[t.id] = t.special ? TOKEN.control : TOKEN.userDefined;
    (vocab.scores ?? [])[t.id] = -1000;
  }
  padVocab(vocab, size, -10000);
  return { vocab, addSpacePrefix: model.addDummyPrefix };
}

function jsonVocabIds(model: Json, file: string): Map<number, string> {
  const table = model['vocab'];
  if (!isObject(table)) throw badModelFile(file, 'its model has no vocab table.');
  const ids = new Map<number, string>();
  for (const [token, id] of Object.entries(table)) if (Number.isInteger(id)) ids.set(id as number, token);
  return ids;
}

function tokenizerJsonVocab(tokenizer: Json, file: string, size: number, added: AddedToken[]): { vocab: Vocab; merges?: string[]; llama: boolean } {
  const model = tokenizer['model'];
  if (!isObject(model) || model['type'] !== 'BPE') {
    throw badModelFile(file, `its tokenizer model is ${isObject(model) ? String(model['type']) : 'missing'}; only BPE tokenizers (and SentencePiece tokenizer.model files) convert.`);
  }
  const ids = jsonVocabIds(model, file);
  for (const t of added) ids.set(t.id, t.content);
  const maxId = Math.max(-1, ...ids.keys());
  if (maxId >= size) throw badModelFile(file, `it has token id ${maxId} but config.json's vocab_size is ${size}.`);
  const special = new Map(added.map((t) => [t.id, t.special]));
  const vocab: Vocab = { tokens: [], types: [] };
  // LLaMA-2-style: BPE over SentencePiece pieces with byte fallback (LlamaHfVocab's test).
  const decoder = tokenizer['decoder'];
  const llama = model['byte_fallback'] === true && isObject(decoder) && decoder['type'] === 'Sequence';
  if (llama) vocab.scores = [];
  const unknown = typeof model['unk_token'] === 'string' ? model['unk_token'] : undefined;
  for (const [id, token] of ids) {
    vocab.tokens[id] = token;
    if (llama && token === unknown) {
      // LlamaHfVocab marks it CONTROL with the other specials; SentencePiece (and llama.cpp's own
      // tokenizer.model path) say UNKNOWN, which is what the token is.
      vocab.types[id] = TOKEN.unknown;
      if (vocab.scores) vocab.scores[id] = 0;
      continue;
    }
    const isSpecial = special.get(id);
    vocab.types[id] = isSpecial === true ? TOKEN.control : isSpecial === false ? TOKEN.userDefined : llama && /^<0x[0-9A-Fa-f]{2}>$/.test(token) ? TOKEN.byte : TOKEN.normal;
    // llama.cpp writes a -1000 placeholder for every score, which leaves its SentencePiece merger
    // no order; vocabulary order is what a SentencePiece BPE's own scores encode, so use that.
    if (vocab.scores) vocab.scores[id] = vocab.types[id] === TOKEN.normal ? -id : 0;
  }
  padVocab(vocab, size, -10000);
  if (llama) return { vocab, llama };
  const rawMerges = model['merges'];
  const merges = Array.isArray(rawMerges) ? rawMerges.map((m) => (Array.isArray(m) ? m.join(' ') : String(m))) : [];
  return { vocab, merges, llama };
}

/** llama.cpp identifies BPE pre-tokenizers by hashing their output; these are the ones told apart cheaply. */
function bpePre(tokenizer: Json, modelType: string): string {
  if (modelType === 'qwen2') return 'qwen2';
  const text = JSON.stringify(tokenizer['pre_tokenizer'] ?? null);
  if (text.includes("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+|\\\\p{N}{1,3}")) return 'llama-bpe';
  return 'default';
}

function tokenText(t: unknown): string | undefined {
  if (typeof t === 'string') return t;
  if (isObject(t) && typeof t['content'] === 'string') return t['content'];
  return undefined;
}

/** tokenizer.ggml.*_token_id and add_*_token as gguf-py's SpecialVocab finds them. */
function specialTokens(vocab: Vocab, tokenizerConfig: Json | undefined, config: Json): GgufMetadata {
  const index = new Map<string, number>();
  vocab.tokens.forEach((t, id) => {
    const text = typeof t === 'string' ? t : new TextDecoder().decode(t);
    if (!index.has(text) || vocab.types[id] === TOKEN.control) index.set(text, id);
  });
  const out: Array<readonly [string, GgufValue]> = [];
  for (const kind of ['bos', 'eos', 'unk', 'sep', 'pad'] as const) {
    const text = tokenText(tokenizerConfig?.[`${kind}_token`]);
    let id = text === undefined ? undefined : index.get(text);
    if (id === undefined) {
      const fromConfig = config[`${kind}_token_id`];
      const first = Array.isArray(fromConfig) ? fromConfig[0] : fromConfig;
      if (Number.isInteger(first) && (first as number) >= 0 && (first as number) < vocab.tokens.length) id = first as number;
    }
    const key = kind === 'unk' ? 'unknown' : kind === 'sep' ? 'seperator' : kind === 'pad' ? 'padding' : kind;
    if (id !== undefined) out.push([`tokenizer.ggml.${key}_token_id`, { type: 'uint32', value: id }]);
  }
  for (const kind of ['bos', 'eos'] as const) {
    const add = tokenizerConfig?.[`add_${kind}_token`];
    if (typeof add === 'boolean') out.push([`tokenizer.ggml.add_${kind}_token`, { type: 'bool', value: add }]);
  }
  return out;
}

function chatTemplate(tokenizerConfig: Json | undefined): string | undefined {
  const t = tokenizerConfig?.['chat_template'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t.filter(isObject);
    const chosen = named.find((x) => x['name'] === 'default') ?? named[0];
    return typeof chosen?.['template'] === 'string' ? chosen['template'] : undefined;
  }
  return undefined;
}

export async function hfTokenizerMetadata(repo: RepoSource, config: Json, vocabSize: number, modelType: string): Promise<GgufMetadata> {
  const tokenizerConfig = await readRepoJson(repo, 'tokenizer_config.json');
  const spm = await repo.file('tokenizer.model');
  const jsonSource = await repo.file('tokenizer.json');
  const tokenizerJson = jsonSource === undefined ? undefined : await readRepoJson(repo, 'tokenizer.json');
  const added = addedTokens(tokenizerJson, tokenizerConfig);
  const metadata: Array<readonly [string, GgufValue]> = [];
  let vocab: Vocab;
  if (spm !== undefined) {
    const read = sentencePieceVocab(await readWholeFile(spm), spm.name, vocabSize, added);
    vocab = read.vocab;
    metadata.push(['tokenizer.ggml.model', { type: 'string', value: 'llama' }], ['tokenizer.ggml.pre', { type: 'string', value: 'default' }]);
    metadata.push(['tokenizer.ggml.add_space_prefix', { type: 'bool', value: read.addSpacePrefix }]);
  } else if (tokenizerJson !== undefined && jsonSource !== undefined) {
    const read = tokenizerJsonVocab(tokenizerJson, jsonSource.name, vocabSize, added);
    vocab = read.vocab;
    metadata.push(['tokenizer.ggml.model', { type: 'string', value: read.llama ? 'llama' : 'gpt2' }]);
    metadata.push(['tokenizer.ggml.pre', { type: 'string', value: read.llama ? 'default' : bpePre(tokenizerJson, modelType) }]);
    if (read.merges !== undefined) metadata.push(['tokenizer.ggml.merges', { type: 'string[]', value: read.merges }]);
  } else {
    throw badModelFile(repo.name, 'it has no tokenizer: neither tokenizer.model nor tokenizer.json is in the repo. Download the tokenizer files too.');
  }
  metadata.push(['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }]);
  if (vocab.scores !== undefined) metadata.push(['tokenizer.ggml.scores', { type: 'float32[]', value: vocab.scores }]);
  metadata.push(['tokenizer.ggml.token_type', { type: 'int32[]', value: vocab.types }]);
  metadata.push(...specialTokens(vocab, tokenizerConfig, config));
  const template = chatTemplate(tokenizerConfig);
  if (template !== undefined) metadata.push(['tokenizer.chat_template', { type: 'string', value: template }]);
  return metadata;
}
