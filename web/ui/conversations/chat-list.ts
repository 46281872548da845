// The side panel's list of saved chats: open one, rename it in place, delete it; and export the
// open chat as Markdown or JSON (a download made in the page, nothing leaves the device).
import { element, make } from '../dom.js';
import type { Conversation } from './conversation.js';
import { conversationToJson, conversationToMarkdown, exportFileName } from './conversation-export.js';

export interface ChatListActions {
  open(id: string): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
  /** Draws the list again (after a cancelled rename). */
  refresh(): void;
  /** The open chat, for the export buttons (undefined before its first message). */
  current(): Conversation | undefined;
}

export class ChatList {
  readonly #list = element('chat-list', HTMLUListElement);
  readonly #actions: ChatListActions;

  constructor(actions: ChatListActions) {
    this.#actions = actions;
    element('export-markdown', HTMLButtonElement).addEventListener('click', () => this.#export('md'));
    element('export-json', HTMLButtonElement).addEventListener('click', () => this.#export('json'));
  }

  render(chats: readonly Conversation[], currentId: string): void {
    if (chats.length === 0) {
      this.#list.replaceChildren(make('li', 'No saved chats yet: they appear here after the first message.', 'hint'));
      return;
    }
    this.#list.replaceChildren(...chats.map((chat) => this.#item(chat, chat.id === currentId)));
  }

  #item(chat: Conversation, current: boolean): HTMLLIElement {
    const item = make('li');
    item.dataset['id'] = chat.id;
    const open = make('button', chat.title, 'chat-title');
    open.type = 'button';
    if (current) open.setAttribute('aria-current', 'true');
    open.addEventListener('click', () => this.#actions.open(chat.id));
    const rename = make('button', 'Rename', 'meta-button');
    rename.type = 'button';
    rename.setAttribute('aria-label', `Rename chat ${chat.title}`);
    rename.addEventListener('click', () => this.#startRename(item, chat));
    const remove = make('button', 'Delete', 'meta-button');
    remove.type = 'button';
    remove.setAttribute('aria-label', `Delete chat ${chat.title}`);
    remove.addEventListener('click', () => this.#actions.remove(chat.id));
    item.append(open, rename, remove);
    return item;
  }

  /** The title becomes a text box: Enter or leaving it saves, Escape keeps the old title. */
  #startRename(item: HTMLLIElement, chat: Conversation): void {
    const input = make('input', '', 'chat-rename');
    input.type = 'text';
    input.value = chat.title;
    input.setAttribute('aria-label', 'New name for the chat');
    let done = false;
    const finish = (save: boolean): void => {
      if (done) return;
      done = true;
      const title = input.value.trim();
      if (save && title !== '' && title !== chat.title) this.#actions.rename(chat.id, title);
      else this.#actions.refresh();
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      if (event.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
    item.replaceChildren(input);
    input.focus();
    input.select();
  }

  #export(kind: 'md' | 'json'): void {
    const chat = this.#actions.current();
    if (chat === undefined) return;
    const text = kind === 'md' ? conversationToMarkdown(chat) : conversationToJson(chat);
    const url = URL.createObjectURL(new Blob([text], { type: kind === 'md' ? 'text/markdown' : 'application/json' }));
    const link = make('a');
    link.href = url;
    link.download = exportFileName(chat, kind);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
