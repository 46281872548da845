// The client's name for a remote model is not the upstream's: requests carry the upstream's name,
// and answers (a JSON body, or each `data:` event of a stream) carry the client's back. Events are
// rewritten line by line as bytes arrive; nothing waits for more than the line it is in.

/** JSON text with its top-level `model` set to `model`; text that is not a JSON object is left alone. */
export function withModel(text: string, model: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { model?: unknown }).model !== 'string') return text;
  return JSON.stringify({ ...value, model });
}

/** Rewrites the `model` of every JSON `data:` event in a server-sent event stream. */
export class EventStreamRenamer {
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  /** The end of the last chunk, up to its first unfinished line. */
  #partial = '';

  constructor(readonly model: string) {}

  /** The complete lines in `chunk` (plus what was left over), rewritten; an unfinished line waits for the next chunk. */
  push(chunk: Uint8Array): Uint8Array {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf('\n') + 1;
    this.#partial = text.slice(end);
    return this.#encoder.encode(this.#rewrite(text.slice(0, end)));
  }

  /** What is left at the end of the stream. */
  flush(): Uint8Array {
    const rest = this.#partial + this.#decoder.decode();
    this.#partial = '';
    return this.#encoder.encode(this.#rewrite(rest));
  }

  #rewrite(lines: string): string {
    if (!lines.includes('"model"')) return lines;
    return lines.replace(/^data:( ?)(\{.*?)(\r?)$/gm, (_line, space: string, json: string, cr: string) => `data:${space}${withModel(json, this.model)}${cr}`);
  }
}
