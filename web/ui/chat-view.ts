// The conversation as it appears on screen. Streaming appends to the last assistant bubble; the
// log region announces new text to screen readers.
import { element, make } from './dom.js';

/** A message as /v1/chat/completions takes it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export class ChatView {
  readonly #log = element('messages', HTMLDivElement);
  readonly #errorBox = element('error', HTMLParagraphElement);
  readonly turns: ChatTurn[] = [];
  /** Whether new text keeps the newest line in view: true until the user scrolls up, again once they scroll back down. */
  #follow = true;

  constructor() {
    this.#log.addEventListener('scroll', () => {
      const log = this.#log;
      this.#follow = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
    });
  }

  addUser(text: string): void {
    this.turns.push({ role: 'user', content: text });
    this.#bubble('user', text);
  }

  /** Starts an assistant reply; the returned function appends streamed text to it. */
  startAssistant(): { append(text: string): void; finish(): void; element: HTMLElement } {
    const turn: ChatTurn = { role: 'assistant', content: '' };
    this.turns.push(turn);
    const node = this.#bubble('assistant', '');
    node.setAttribute('aria-busy', 'true');
    return {
      element: node,
      append: (text) => {
        turn.content += text;
        node.textContent = turn.content;
        this.#keepNewestInView();
      },
      finish: () => {
        node.removeAttribute('aria-busy');
        // An empty reply (stopped at once, or failed) is not history worth sending back.
        if (turn.content === '') this.turns.splice(this.turns.indexOf(turn), 1);
      },
    };
  }

  /** The history as OpenAI messages, with the system prompt first when there is one. */
  messages(systemPrompt: string): ChatMessage[] {
    const system: ChatMessage[] = systemPrompt.trim() === '' ? [] : [{ role: 'system', content: systemPrompt }];
    return [...system, ...this.turns.map((turn): ChatMessage => ({ role: turn.role, content: turn.content }))];
  }

  showError(message: string | undefined): void {
    this.#errorBox.hidden = message === undefined;
    this.#errorBox.textContent = message ?? '';
  }

  clear(): void {
    this.turns.length = 0;
    this.#log.replaceChildren();
    this.showError(undefined);
  }

  #bubble(role: ChatTurn['role'], text: string): HTMLElement {
    const node = make('div', text, `message ${role}`);
    node.dataset['role'] = role;
    this.#log.append(node);
    // The user's own message always brings the conversation back to its end.
    if (role === 'user') this.#follow = true;
    this.#keepNewestInView();
    return node;
  }

  #keepNewestInView(): void {
    if (this.#follow) this.#log.scrollTop = this.#log.scrollHeight;
  }
}
