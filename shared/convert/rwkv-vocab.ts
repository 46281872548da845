// llama.cpp's "rwkv" tokenizer vocabulary (llama-vocab.cpp reads it; convert_hf_to_gguf.py's
// _set_vocab_rwkv_world writes it): id 0 is "<s>", and every other token's bytes are written as
// Python writes a bytes literal without its b'...' (printable ASCII as is, \\ \t \n \r escaped,
// everything else \xNN), which llama.cpp unescapes.

const HEX = '0123456789abcdef';

/** Token bytes as Python's repr(bytes)[2:-1]. */
export function escapeRwkvToken(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const hasDouble = bytes.includes(0x22);
  // repr() switches to double quotes when the bytes hold ' but not ", and then leaves ' unescaped.
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === quote) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

export interface RwkvVocab {
  tokens: string[];
  types: number[];
}

/** A byte-level vocabulary (rwkv.cpp's tiny test models: token id = byte value), with id 0 as "<s>". */
export function byteRwkvVocab(size: number): RwkvVocab {
  const tokens = ['<s>'];
  const types = [3];
  for (let id = 1; id < size; id++) {
    tokens.push(id < 256 ? escapeRwkvToken(Uint8Array.of(id)) : `[PAD${id}]`);
    types.push(id < 256 ? 1 : 5);
  }
  return { tokens, types };
}

/** One Python string or bytes literal ('...', "...", b'...') as bytes (UTF-8 for str). */
function pythonLiteralBytes(literal: string): Uint8Array | undefined {
  const isBytes = literal.startsWith('b');
  const body = isBytes ? literal.slice(1) : literal;
  const quote = body[0];
  if ((quote !== "'" && quote !== '"') || body.at(-1) !== quote || body.length < 2) return undefined;
  const out: number[] = [];
  const pushChar = (code: number): void => {
    if (isBytes || code < 0x80) out.push(code);
    else out.push(...new TextEncoder().encode(String.fromCodePoint(code)));
  };
  const text = body.slice(1, -1);
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c !== '\\') {
      const code = text.codePointAt(i) ?? 0;
      if (code > 0xffff) i++;
      pushChar(code);
      continue;
    }
    const e = text[++i] ?? '';
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, '0': 0, a: 7, b: 8, f: 12, v: 11 };
    if (e === 'x') {
      pushChar(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      pushChar(parseInt(text.slice(i + 1, i + 1 + n), 16));
      i += n;
    } else if (simple[e] !== undefined) {
      out.push(simple[e]);
    } else {
      return undefined;
    }
  }
  return Uint8Array.from(out);
}

/**
 * The RWKV World vocabulary from rwkv_vocab_v20230424.txt (lines "<id> <python literal> <byte length>",
 * ids from 1), as convert_hf_to_gguf.py writes it: "<s>" at 0, then each token escaped.
 * Returns the reason when the text is not that file.
 */
export function parseWorldVocab(text: string, size: number): RwkvVocab | string {
  const tokens = ['<s>'];
  const types = [3];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const first = line.indexOf(' ');
    const last = line.lastIndexOf(' ');
    const id = Number(line.slice(0, first));
    const length = Number(line.slice(last + 1));
    const bytes = first > 0 && last > first ? pythonLiteralBytes(line.slice(first + 1, last)) : undefined;
    if (id !== tokens.length || bytes === undefined || bytes.length !== length) return `line "${line.slice(0, 40)}" is not "<id> <literal> <length>" with consecutive ids from 1`;
    tokens.push(escapeRwkvToken(bytes));
    types.push(1);
  }
  if (tokens.length > size) return `it has ${tokens.length} tokens but the model only ${size}`;
  for (let id = tokens.length; id < size; id++) {
    tokens.push(`[PAD${id}]`);
    types.push(5);
  }
  return { tokens, types };
}
