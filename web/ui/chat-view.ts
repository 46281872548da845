// The conversation as it appears on screen. User text is shown as typed; replies are Markdown,
// rendered block by block while they stream (only the reply's changed last block is rebuilt per
// token, never the history). The log follows new text unless the user scrolled up; the log region
// announces new text to screen readers. Each message has Copy; the last user message has Edit, the
// last reply Regenerate.
import type { SavedMessage } from './conversations/conversation.js';
import { element, make } from './dom.js';
import { showError } from './error-box.js';
import { MarkdownView } from './markdown/render-markdown.js';

export interface ChatViewActions {
  regenerate(): void;
  editLast(): void;
}

export interface ReplyHandle {
  /** Shows the message's content as it is now (the caller appended to it). */
  append(): void;
  /** Shows the whole reply now and marks how it ended. */
  finish(stopped: boolean): void;
  remove(): void;
}

export class ChatView {
  readonly #log = element('messages', HTMLDivElement);
  readonly #actions: ChatViewActions;
  /** Whether new text keeps the newest line in view: true until the user scrolls up, again once they scroll back down. */
  #follow = true;
  #busy = false;

  constructor(actions: ChatViewActions) {
    this.#actions = actions;
    this.#log.addEventListener('scroll', () => {
      const log = this.#log;
      this.#follow = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
    });
  }

  /** Shows a whole conversation (on start, or when another chat is opened). */
  show(messages: readonly SavedMessage[]): void {
    this.#log.replaceChildren();
    for (const message of messages) {
      const turn = this.#turn(message);
      if (message.role === 'assistant') {
        new MarkdownView(turn.body).update(message.content);
        if (message.stopped === true) turn.markStopped();
      }
    }
    this.#follow = true;
    this.#updateActions();
    this.#keepNewestInView();
  }

  addUser(message: SavedMessage): void {
    this.#turn(message);
    // The user's own message always brings the conversation back to its end.
    this.#follow = true;
    this.#updateActions();
    this.#keepNewestInView();
  }

  /**
   * Starts a reply. Each append redraws only the reply's changed blocks (usually its last one):
   * cheap enough per token, and every token shows as it arrives.
   */
  startAssistant(message: SavedMessage): ReplyHandle {
    const turn = this.#turn(message);
    const markdown = new MarkdownView(turn.body);
    turn.body.setAttribute('aria-busy', 'true');
    this.#keepNewestInView();
    const draw = (): void => {
      markdown.update(message.content);
      this.#keepNewestInView();
    };
    return {
      append: draw,
      finish: (stopped) => {
        draw();
        turn.body.removeAttribute('aria-busy');
        if (stopped) turn.markStopped();
        this.#updateActions();
      },
      remove: () => {
        turn.node.remove();
        this.#updateActions();
      },
    };
  }

  /** While a reply runs, Edit and Regenerate are hidden (they would change the history under it). */
  setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#updateActions();
  }

  showError(message: string | undefined): void {
    showError(message);
  }

  #turn(message: SavedMessage): { node: HTMLElement; body: HTMLElement; markStopped(): void } {
    const node = make('div', '', `turn ${message.role}`);
    const body = make('div', message.role === 'user' ? message.content : '', `message ${message.role}`);
    body.dataset['role'] = message.role;
    const meta = make('div', '', 'message-meta');
    const copy = this.#button('Copy', message.role === 'user' ? 'Copy message' : 'Copy reply', 'copy');
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(message.content).then(
        () => (copy.textContent = 'Copied'),
        () => undefined,
      );
    });
    meta.append(copy);
    if (message.role === 'user') {
      const edit = this.#button('Edit', 'Edit and resend this message', 'edit');
      edit.addEventListener('click', () => this.#actions.editLast());
      meta.append(edit);
    } else {
      const regenerate = this.#button('Regenerate', 'Regenerate this reply', 'regenerate');
      regenerate.addEventListener('click', () => this.#actions.regenerate());
      meta.append(regenerate);
    }
    node.append(body, meta);
    this.#log.append(node);
    return {
      node,
      body,
      markStopped: () => meta.prepend(make('span', 'stopped', 'stopped-mark')),
    };
  }

  #button(text: string, label: string, className: string): HTMLButtonElement {
    const button = make('button', text, `meta-button ${className}`);
    button.type = 'button';
    button.setAttribute('aria-label', label);
    return button;
  }

  #updateActions(): void {
    const turns = [...this.#log.querySelectorAll<HTMLElement>('.turn')];
    const lastUser = turns.filter((turn) => turn.classList.contains('user')).at(-1);
    const last = turns.at(-1);
    for (const button of this.#log.querySelectorAll<HTMLButtonElement>('.edit, .regenerate')) {
      const turn = button.closest('.turn');
      const mine = button.classList.contains('edit') ? turn === lastUser : turn === last;
      button.hidden = this.#busy || !mine;
    }
  }

  #keepNewestInView(): void {
    if (this.#follow) this.#log.scrollTop = this.#log.scrollHeight;
  }
}
