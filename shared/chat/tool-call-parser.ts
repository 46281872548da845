// Reads a reply in the tool-call wire format as it streams in: plain text becomes content, calls
// become a call event with the name as soon as it is complete, then argument fragments as they
// arrive. Streaming and non-streaming replies are both built from these events.
import { CALL_ARGUMENTS, CALL_CLOSE, CALL_HEAD, CALL_OPEN, CALL_SEPARATOR } from './tool-call-format.js';

export type ParsedReplyEvent =
  | { type: 'content'; text: string }
  | { type: 'call'; index: number; name: string }
  | { type: 'arguments'; index: number; text: string }
  | { type: 'call-end'; index: number };

type State = 'start' | 'content' | 'head' | 'arguments' | 'close' | 'between';

const HEAD = new RegExp(`^${escape(CALL_HEAD)}([A-Za-z0-9_-]{1,64})${escape(CALL_ARGUMENTS)}`);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class ToolCallParser {
  #state: State = 'start';
  #buffer = '';
  #index = -1;
  #depth = 0;
  #inString = false;
  #escaped = false;

  push(text: string): ParsedReplyEvent[] {
    const events: ParsedReplyEvent[] = [];
    this.#buffer += text;
    for (;;) {
      const before = this.#buffer.length + this.#state;
      this.#step(events);
      if (this.#buffer === '' || before === this.#buffer.length + this.#state) return events;
    }
  }

  /** The reply ended: text held back as a possible call opening is content after all. */
  finish(): ParsedReplyEvent[] {
    if ((this.#state === 'start' || this.#state === 'content') && this.#buffer !== '') {
      const text = this.#buffer;
      this.#buffer = '';
      return [{ type: 'content', text }];
    }
    return [];
  }

  #step(events: ParsedReplyEvent[]): void {
    switch (this.#state) {
      case 'start':
        if (this.#buffer.startsWith(CALL_OPEN)) {
          this.#buffer = this.#buffer.slice(CALL_OPEN.length);
          this.#state = 'head';
        } else if (!CALL_OPEN.startsWith(this.#buffer)) {
          this.#state = 'content';
        }
        return;
      case 'content':
        events.push({ type: 'content', text: this.#buffer });
        this.#buffer = '';
        return;
      case 'head': {
        const match = HEAD.exec(this.#buffer);
        if (match === null) return;
        this.#buffer = this.#buffer.slice(match[0].length);
        this.#index += 1;
        events.push({ type: 'call', index: this.#index, name: match[1] ?? '' });
        this.#state = 'arguments';
        this.#depth = 0;
        return;
      }
      case 'arguments': {
        const end = this.#argumentsEnd();
        const text = this.#buffer.slice(0, end ?? this.#buffer.length);
        this.#buffer = this.#buffer.slice(text.length);
        if (text !== '') events.push({ type: 'arguments', index: this.#index, text });
        if (end !== undefined) {
          events.push({ type: 'call-end', index: this.#index });
          this.#state = 'close';
        }
        return;
      }
      case 'close': {
        // The arguments rule may end in whitespace before the closing brace.
        const rest = this.#buffer.replace(/^[ \t\n]+/, '');
        if (rest.startsWith(CALL_CLOSE)) {
          this.#buffer = rest.slice(CALL_CLOSE.length);
          this.#state = 'between';
        }
        return;
      }
      case 'between':
        if (this.#buffer.startsWith(CALL_SEPARATOR + CALL_OPEN)) {
          this.#buffer = this.#buffer.slice(CALL_SEPARATOR.length + CALL_OPEN.length);
          this.#state = 'head';
        }
        return;
    }
  }

  /** Index just past the arguments object in the buffer, if it closes there (tracks JSON nesting). */
  #argumentsEnd(): number | undefined {
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer[i];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === '\\') this.#escaped = true;
        else if (c === '"') this.#inString = false;
      } else if (c === '"') {
        this.#inString = true;
      } else if (c === '{' || c === '[') {
        this.#depth += 1;
      } else if (c === '}' || c === ']') {
        this.#depth -= 1;
        if (this.#depth === 0) return i + 1;
      }
    }
    return undefined;
  }
}
