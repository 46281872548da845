// A conversation as a file the user keeps: Markdown to read, JSON to reuse (its messages are in
// the shape /v1/chat/completions takes).
import type { Conversation } from './conversation.js';

export function conversationToMarkdown(chat: Conversation): string {
  const parts = [`# ${chat.title}`, '', `Model: ${chat.model || 'unknown'} · ${new Date(chat.createdAt).toISOString()}`];
  for (const message of chat.messages) {
    const who = message.role === 'user' ? 'You' : 'Assistant';
    parts.push('', `## ${who}${message.stopped === true ? ' (stopped)' : ''}`, '', message.content);
  }
  return `${parts.join('\n')}\n`;
}

export function conversationToJson(chat: Conversation): string {
  return `${JSON.stringify(
    {
      title: chat.title,
      model: chat.model,
      created: new Date(chat.createdAt).toISOString(),
      updated: new Date(chat.updatedAt).toISOString(),
      messages: chat.messages.map(({ role, content, stopped }) => (stopped === true ? { role, content, stopped } : { role, content })),
    },
    null,
    2,
  )}\n`;
}

/** A file name from the title: letters, digits and dashes only. */
export function exportFileName(chat: Conversation, extension: 'md' | 'json'): string {
  const base = chat.title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'chat';
  return `${base}.${extension}`;
}
