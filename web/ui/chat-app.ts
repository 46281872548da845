// The chat itself (view, controller, saved chats, Markdown), loaded by main.ts with a dynamic
// import: it is off the initial JS, which has a size budget, and ready long before a model is.
import { ChatController } from './chat-controller.js';
import { ChatView } from './chat-view.js';
import { ChatList } from './conversations/chat-list.js';
import { ConversationStore } from './conversations/conversation-store.js';

export interface ChatAppDeps {
  fetch: typeof fetch;
  selectedModel(): string;
  onReplyEnd(model: string): void;
}

export async function startChat(deps: ChatAppDeps): Promise<ChatController> {
  const store = await ConversationStore.open();
  let controller: ChatController | undefined;
  const view = new ChatView({
    regenerate: () => void controller?.regenerate(),
    editLast: () => controller?.editLast(),
  });
  controller = new ChatController({ ...deps, view, store });
  const chat = controller;
  await chat.start(
    new ChatList({
      open: (id) => void chat.open(id),
      rename: (id, title) => void chat.rename(id, title),
      remove: (id) => void chat.remove(id),
      refresh: () => void chat.refreshList(),
      current: () => chat.current,
    }),
  );
  return chat;
}
