// A syntax check for GBNF grammars that follows llama.cpp's grammar parser, so a bad grammar gets
// a 400 with a reason before any engine sees it (llama.cpp only prints its reason to stderr, and
// a WASM build may abort on it).

class GbnfSyntaxError extends Error {}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[a-zA-Z0-9-]/.test(c);

/** Returns why `grammar` is not valid GBNF (llama.cpp's words), or undefined when it is. */
export function findGbnfError(grammar: string, rootRule = 'root'): string | undefined {
  try {
    const { defined, used } = new GbnfParser(grammar).parse();
    if (defined.size === 0) return 'the grammar defines no rules';
    for (const [name, position] of used) {
      if (!defined.has(name)) return `Undefined rule identifier '${name}' (${position})`;
    }
    if (!defined.has(rootRule)) return `the grammar does not contain a '${rootRule}' rule`;
    return undefined;
  } catch (error) {
    if (error instanceof GbnfSyntaxError) return error.message;
    throw error;
  }
}

class GbnfParser {
  #pos = 0;
  readonly defined = new Set<string>();
  readonly used = new Map<string, string>();

  readonly #src: string;

  constructor(src: string) {
    this.#src = src;
  }

  parse(): { defined: Set<string>; used: Map<string, string> } {
    this.#space(true);
    while (this.#pos < this.#src.length) {
      this.#rule();
      this.#space(true);
    }
    return { defined: this.defined, used: this.used };
  }

  #where(): string {
    const before = this.#src.slice(0, this.#pos);
    const line = before.split('\n').length;
    const column = this.#pos - before.lastIndexOf('\n');
    return `line ${line}, column ${column}`;
  }

  #fail(message: string): never {
    throw new GbnfSyntaxError(`${message} at ${this.#where()}: ${JSON.stringify(this.#src.slice(this.#pos, this.#pos + 20))}`);
  }

  #space(newlineOk: boolean): void {
    while (this.#pos < this.#src.length) {
      const c = this.#src[this.#pos];
      if (c === '#') {
        while (this.#pos < this.#src.length && this.#src[this.#pos] !== '\n' && this.#src[this.#pos] !== '\r') this.#pos++;
      } else if (c === ' ' || c === '\t' || ((c === '\n' || c === '\r') && newlineOk)) {
        this.#pos++;
      } else {
        return;
      }
    }
  }

  #name(): string {
    const start = this.#pos;
    while (isWordChar(this.#src[this.#pos])) this.#pos++;
    if (this.#pos === start) this.#fail('expecting name');
    return this.#src.slice(start, this.#pos);
  }

  #rule(): void {
    const name = this.#name();
    this.#space(false);
    if (!this.#src.startsWith('::=', this.#pos)) this.#fail("expecting '::='");
    this.#pos += 3;
    this.#space(true);
    this.#alternates(false);
    this.defined.add(name);
    if (this.#src[this.#pos] === '\r') this.#pos += this.#src[this.#pos + 1] === '\n' ? 2 : 1;
    else if (this.#src[this.#pos] === '\n') this.#pos++;
    else if (this.#pos < this.#src.length) this.#fail('expecting newline or end');
  }

  #alternates(nested: boolean): void {
    this.#sequence(nested);
    while (this.#src[this.#pos] === '|') {
      this.#pos++;
      this.#space(true);
      this.#sequence(nested);
    }
  }

  #sequence(nested: boolean): void {
    let hasItem = false;
    while (this.#pos < this.#src.length) {
      const c = this.#src[this.#pos] as string;
      if (c === '"') {
        this.#pos++;
        while (this.#src[this.#pos] !== '"') {
          if (this.#pos >= this.#src.length) this.#fail('unexpected end of input in a string literal');
          this.#char();
        }
        this.#pos++;
      } else if (c === '[') {
        this.#pos++;
        if (this.#src[this.#pos] === '^') this.#pos++;
        while (this.#src[this.#pos] !== ']') {
          if (this.#pos >= this.#src.length) this.#fail('unexpected end of input in a character class');
          this.#char();
          if (this.#src[this.#pos] === '-' && this.#src[this.#pos + 1] !== ']') {
            this.#pos++;
            if (this.#pos >= this.#src.length) this.#fail('unexpected end of input in a character range');
            this.#char();
          }
        }
        this.#pos++;
      } else if (c === '<') {
        // Token references: <[1234]> or <token-text>.
        const end = this.#src.indexOf('>', this.#pos);
        if (end < 0) this.#fail("expecting '>' to close a token reference");
        this.#pos = end + 1;
      } else if (c === '!' && this.#src[this.#pos + 1] === '<') {
        this.#pos++;
        continue;
      } else if (isWordChar(c)) {
        const where = this.#where();
        const name = this.#name();
        if (!this.used.has(name)) this.used.set(name, where);
      } else if (c === '(') {
        this.#pos++;
        this.#space(true);
        this.#alternates(true);
        if (this.#src[this.#pos] !== ')') this.#fail("expecting ')'");
        this.#pos++;
      } else if (c === '.') {
        this.#pos++;
      } else if (c === '*' || c === '+' || c === '?') {
        if (!hasItem) this.#fail(`expecting an item before '${c}'`);
        this.#pos++;
        this.#space(nested);
        continue;
      } else if (c === '{') {
        if (!hasItem) this.#fail("expecting an item before '{'");
        this.#repetition();
        this.#space(nested);
        continue;
      } else {
        break;
      }
      hasItem = true;
      this.#space(nested);
    }
  }

  #repetition(): void {
    this.#pos++;
    this.#space(false);
    const digits = (): string => {
      const start = this.#pos;
      while (/[0-9]/.test(this.#src[this.#pos] ?? '')) this.#pos++;
      return this.#src.slice(start, this.#pos);
    };
    const min = digits();
    if (min === '') this.#fail('expecting a number in a {m,n} repetition');
    this.#space(false);
    if (this.#src[this.#pos] === ',') {
      this.#pos++;
      this.#space(false);
      const max = digits();
      if (max !== '' && Number(max) < Number(min)) this.#fail(`a {m,n} repetition has n (${max}) below m (${min})`);
      this.#space(false);
    }
    if (this.#src[this.#pos] !== '}') this.#fail("expecting '}' to close a repetition");
    this.#pos++;
  }

  /** One (possibly escaped) character of a literal or class. */
  #char(): void {
    if (this.#src[this.#pos] !== '\\') {
      this.#pos += (this.#src.codePointAt(this.#pos) ?? 0) > 0xffff ? 2 : 1;
      return;
    }
    const escape = this.#src[this.#pos + 1];
    const hexLength = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.#src.slice(this.#pos + 2, this.#pos + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) this.#fail(`expecting ${hexLength} hex digits after \\${escape}`);
      this.#pos += 2 + hexLength;
    } else if (escape !== undefined && '"[]\\nrt'.includes(escape)) {
      this.#pos += 2;
    } else {
      this.#fail(`unknown escape "\\${escape ?? ''}"`);
    }
  }
}
