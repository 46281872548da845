// Send / stream / stop. The UI is an ordinary HTTP client of the in-tab API (hearthFetch), so what
// works here works for any page code. Stop aborts the request, which ends the generation in the worker.
import { streamChat } from './api-call.js';
import type { ChatView } from './chat-view.js';
import { describeError } from './describe-error.js';
import { element } from './dom.js';
import { readSampling, readSystemPrompt } from './sampling-form.js';

export interface ChatControllerDeps {
  /** Reaches the in-tab API (hearthFetch). */
  fetch: typeof fetch;
  view: ChatView;
  selectedModel(): string;
  onReplyEnd?(model: string): void;
}

export class ChatController {
  readonly #prompt = element('prompt', HTMLTextAreaElement);
  readonly #send = element('send', HTMLButtonElement);
  readonly #stop = element('stop', HTMLButtonElement);
  #running: AbortController | undefined;

  readonly #deps: ChatControllerDeps;

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
      this.#running?.abort();
      this.#deps.view.clear();
      this.#prompt.focus();
    });
  }

  async submit(): Promise<void> {
    const text = this.#prompt.value.trim();
    if (text === '' || this.#running !== undefined) return;
    const model = this.#deps.selectedModel();
    if (model === '') {
      this.#deps.view.showError('Choose a model first (Models panel).');
      return;
    }
    const { view } = this.#deps;
    let settings: ReturnType<typeof readSampling>;
    try {
      settings = readSampling();
    } catch (error) {
      view.showError(describeError(error));
      return;
    }
    view.showError(undefined);
    this.#prompt.value = '';
    view.addUser(text);
    const reply = view.startAssistant();
    const controller = new AbortController();
    this.#setRunning(controller);
    try {
      const body = { model, messages: view.messages(readSystemPrompt()).slice(0, -1), ...settings };
      for await (const text of streamChat(this.#deps.fetch, body, controller.signal)) reply.append(text);
    } catch (error) {
      if (!controller.signal.aborted) view.showError(describeError(error));
    } finally {
      reply.finish();
      this.#setRunning(undefined);
      this.#deps.onReplyEnd?.(model);
      this.#prompt.focus();
    }
  }

  #setRunning(controller: AbortController | undefined): void {
    this.#running = controller;
    this.#send.disabled = controller !== undefined;
    this.#stop.disabled = controller === undefined;
    element('chat', HTMLElement).setAttribute('aria-busy', String(controller !== undefined));
  }
}
