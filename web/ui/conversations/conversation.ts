// A saved chat, as the conversation list, the chat view and the exports see it (plain data).

export interface SavedMessage {
  role: 'user' | 'assistant';
  content: string;
  /** The user stopped this reply before the model finished it. */
  stopped?: boolean;
}

export interface Conversation {
  id: string;
  title: string;
  /** The model the last reply came from. */
  model: string;
  createdAt: number;
  updatedAt: number;
  messages: SavedMessage[];
}

const TITLE_LENGTH = 48;

/** A title from the first user message: its first line, shortened at a word. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  if (line.length <= TITLE_LENGTH) return line === '' ? 'New chat' : line;
  const cut = line.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function newConversation(now = Date.now()): Conversation {
  return { id: crypto.randomUUID(), title: 'New chat', model: '', createdAt: now, updatedAt: now, messages: [] };
}
