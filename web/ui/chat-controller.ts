// Send / stream / stop, regenerate, edit-and-resend, and the saved chats. The UI is an ordinary
// HTTP client of the in-tab API (hearthFetch), so what works here works for any page code. Stop
// aborts the request, which ends the generation in the worker; the reply is kept, marked stopped.
// Every change to a chat is saved (IndexedDB), so it survives a reload, offline too.
import { streamChat } from './api-call.js';
import type { ChatView, ReplyHandle } from './chat-view.js';
import type { ChatList } from './conversations/chat-list.js';
import { newConversation, titleFrom, type Conversation, type SavedMessage } from './conversations/conversation.js';
import type { ConversationStore } from './conversations/conversation-store.js';
import { describeError } from './describe-error.js';
import { element } from './dom.js';
import { readSampling, readSystemPrompt } from './sampling-form.js';
import { loadSetting, saveSetting } from './settings-storage.js';

/** How often a streaming reply is saved. */
const SAVE_EVERY_MS = 2_000;

export interface ChatControllerDeps {
  /** Reaches the in-tab API (hearthFetch). */
  fetch: typeof fetch;
  view: ChatView;
  store: ConversationStore;
  selectedModel(): string;
  onReplyEnd?(model: string): void;
}

export class ChatController {
  readonly #prompt = element('prompt', HTMLTextAreaElement);
  readonly #send = element('send', HTMLButtonElement);
  readonly #stop = element('stop', HTMLButtonElement);
  readonly #deps: ChatControllerDeps;
  #list: ChatList | undefined;
  #chat: Conversation = newConversation();
  #running: AbortController | undefined;

  constructor(deps: ChatControllerDeps) {
    this.#deps = deps;
    element('composer', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    // Enter sends, Shift+Enter adds a line (IME composition must not send half a word).
    this.#prompt.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.submit();
      }
    });
    this.#stop.addEventListener('click', () => this.#running?.abort());
    element('clear', HTMLButtonElement).addEventListener('click', () => {
      this.newChat();
      this.#prompt.focus();
    });
  }

  /** Connects the side panel's list and shows the chat that was open before the reload, if any. */
  async start(list: ChatList): Promise<void> {
    this.#list = list;
    const last = loadSetting('chat');
    const saved = last === undefined || last === '' ? undefined : await this.#deps.store.get(last);
    if (saved !== undefined) this.#show(saved);
    await this.refreshList();
  }

  get current(): Conversation | undefined {
    return this.#chat.messages.length === 0 ? undefined : this.#chat;
  }

  newChat(): void {
    this.#running?.abort();
    this.#show(newConversation());
    void this.refreshList();
  }

  async open(id: string): Promise<void> {
    if (id === this.#chat.id) return this.refreshList();
    const chat = await this.#deps.store.get(id);
    if (chat === undefined) return this.refreshList();
    this.#running?.abort();
    this.#show(chat);
    await this.refreshList();
  }

  async rename(id: string, title: string): Promise<void> {
    const chat = id === this.#chat.id ? this.#chat : await this.#deps.store.get(id);
    if (chat !== undefined) {
      chat.title = title;
      await this.#deps.store.put(chat);
    }
    await this.refreshList();
  }

  async remove(id: string): Promise<void> {
    await this.#deps.store.delete(id);
    if (id === this.#chat.id) this.newChat();
    else await this.refreshList();
  }

  async refreshList(): Promise<void> {
    this.#list?.render(await this.#deps.store.list(), this.#chat.id);
  }

  async submit(): Promise<void> {
    const text = this.#prompt.value.trim();
    if (text === '' || this.#running !== undefined) return;
    const model = this.#deps.selectedModel();
    if (model === '') {
      this.#deps.view.showError('Choose a model first (Models panel).');
      return;
    }
    this.#prompt.value = '';
    const message: SavedMessage = { role: 'user', content: text };
    if (this.#chat.messages.length === 0) this.#chat.title = titleFrom(text);
    this.#chat.messages.push(message);
    this.#deps.view.addUser(message);
    await this.#reply(model);
  }

  /** Asks again for the last reply (it is replaced). */
  async regenerate(): Promise<void> {
    if (this.#running !== undefined || this.#chat.messages.at(-1)?.role !== 'assistant') return;
    this.#chat.messages.pop();
    this.#deps.view.show(this.#chat.messages);
    await this.#reply(this.#deps.selectedModel());
  }

  /** Takes the last user message (and what followed it) back into the composer to change and resend. */
  editLast(): void {
    if (this.#running !== undefined) return;
    const index = this.#chat.messages.map((message) => message.role).lastIndexOf('user');
    const message = this.#chat.messages[index];
    if (message === undefined) return;
    this.#chat.messages.splice(index);
    this.#deps.view.show(this.#chat.messages);
    this.#prompt.value = message.content;
    this.#prompt.focus();
    void this.#save();
  }

  async #reply(model: string): Promise<void> {
    const { view } = this.#deps;
    let settings: ReturnType<typeof readSampling>;
    try {
      settings = readSampling();
    } catch (error) {
      view.showError(describeError(error));
      return;
    }
    view.showError(undefined);
    const system = readSystemPrompt();
    const history = [
      ...(system.trim() === '' ? [] : [{ role: 'system' as const, content: system }]),
      ...this.#chat.messages.map(({ role, content }) => ({ role, content })),
    ];
    const message: SavedMessage = { role: 'assistant', content: '' };
    const chat = this.#chat;
    chat.messages.push(message);
    chat.model = model;
    const reply = view.startAssistant(message);
    const controller = new AbortController();
    this.#setRunning(controller);
    await this.#save();
    try {
      let savedAt = performance.now();
      for await (const text of streamChat(this.#deps.fetch, { model, messages: history, ...settings }, controller.signal)) {
        message.content += text;
        reply.append();
        // A long reply is saved as it grows, so a reload in the middle keeps what was written.
        if (performance.now() - savedAt > SAVE_EVERY_MS) {
          savedAt = performance.now();
          void this.#save(chat);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) view.showError(describeError(error));
    } finally {
      this.#endReply(chat, message, reply, controller.signal.aborted);
      this.#setRunning(undefined);
      await this.#save(chat);
      this.#deps.onReplyEnd?.(model);
      if (chat === this.#chat) this.#prompt.focus();
    }
  }

  #endReply(chat: Conversation, message: SavedMessage, reply: ReplyHandle, stopped: boolean): void {
    // An empty reply (stopped at once, or failed) is not history worth keeping or sending back.
    if (message.content === '') {
      chat.messages.splice(chat.messages.indexOf(message), 1);
      reply.remove();
      return;
    }
    if (stopped) message.stopped = true;
    reply.finish(stopped);
  }

  #show(chat: Conversation): void {
    // A reply that never got its first token before the page went away is not worth showing.
    chat.messages = chat.messages.filter((message) => message.role === 'user' || message.content !== '');
    this.#chat = chat;
    saveSetting('chat', chat.id);
    this.#deps.view.showError(undefined);
    this.#deps.view.show(chat.messages);
  }

  /** Saves a chat once it has a message (an empty new chat is not listed). */
  async #save(chat = this.#chat): Promise<void> {
    if (chat.messages.length === 0 && (await this.#deps.store.get(chat.id)) === undefined) return;
    chat.updatedAt = Date.now();
    await this.#deps.store.put(chat);
    await this.refreshList();
  }

  #setRunning(controller: AbortController | undefined): void {
    this.#running = controller;
    this.#send.disabled = controller !== undefined;
    this.#stop.disabled = controller === undefined;
    this.#deps.view.setBusy(controller !== undefined);
    element('chat', HTMLElement).setAttribute('aria-busy', String(controller !== undefined));
  }
}
