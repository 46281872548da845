// Conversation titles and exports (Markdown to read, JSON with chat-completions messages).
import { describe, expect, it } from 'vitest';
import { conversationToJson, conversationToMarkdown, exportFileName } from '../../web/ui/conversations/conversation-export.js';
import { titleFrom, type Conversation } from '../../web/ui/conversations/conversation.js';

const chat: Conversation = {
  id: 'x',
  title: 'Sums: what is 2+2?',
  model: 'hearth-chat',
  createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  updatedAt: Date.UTC(2026, 0, 2, 3, 5, 0),
  messages: [
    { role: 'user', content: 'What is 2+2?' },
    { role: 'assistant', content: '4, and `code`.' },
    { role: 'user', content: 'Longer?' },
    { role: 'assistant', content: 'Once upon', stopped: true },
  ],
};

describe('conversation export', () => {
  it('writes Markdown with who said what and stopped replies marked', () => {
    expect(conversationToMarkdown(chat)).toBe(
      '# Sums: what is 2+2?\n\nModel: hearth-chat · 2026-01-02T03:04:05.000Z\n\n## You\n\nWhat is 2+2?\n\n## Assistant\n\n4, and `code`.\n\n## You\n\nLonger?\n\n## Assistant (stopped)\n\nOnce upon\n',
    );
  });

  it('writes JSON whose messages a chat completion takes', () => {
    const parsed = JSON.parse(conversationToJson(chat)) as { messages: unknown[]; model: string };
    expect(parsed.model).toBe('hearth-chat');
    expect(parsed.messages).toEqual([
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4, and `code`.' },
      { role: 'user', content: 'Longer?' },
      { role: 'assistant', content: 'Once upon', stopped: true },
    ]);
  });

  it('names files and titles from the text', () => {
    expect(exportFileName(chat, 'md')).toBe('sums-what-is-2-2.md');
    expect(titleFrom('  Hello there\nsecond line')).toBe('Hello there');
    expect(titleFrom('')).toBe('New chat');
    expect(titleFrom('word '.repeat(20))).toMatch(/^word( word)+…$/);
  });
});
