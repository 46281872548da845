// Turns a request into what the engine runs: either text rendered through the config's LocalAI
// templates, or chat messages for the chat template stored in the GGUF.
import type { EngineChatMessage } from '../engine/engine.js';
import type { ModelConfig } from '../models/model-config.js';
import type { ModelStore } from '../models/model-store.js';
import { loadTemplate, renderTemplate } from './load-template.js';

export type PromptPlan = { kind: 'text'; prompt: string } | { kind: 'chat'; messages: EngineChatMessage[] };

/** Follows LocalAI's TemplateMessages: per-message template or role prefix, joined, then the chat template. */
export async function buildChatPrompt(store: ModelStore, config: ModelConfig, messages: readonly EngineChatMessage[]): Promise<PromptPlan> {
  const { chat, chatMessage } = config.template;
  if (chat === undefined && chatMessage === undefined) {
    const hasSystem = messages.some((message) => message.role === 'system');
    const withSystem: EngineChatMessage[] =
      config.systemPrompt !== undefined && !hasSystem ? [{ role: 'system', content: config.systemPrompt }, ...messages] : [...messages];
    return { kind: 'chat', messages: withSystem };
  }
  const messageTemplate = chatMessage === undefined ? undefined : await loadTemplate(store, chatMessage, 'chat_message');
  let suppressSystemPrompt = false;
  const rendered: string[] = [];
  messages.forEach((message, index) => {
    const roleText = config.roles[message.role] ?? '';
    if (messageTemplate) {
      const text = renderTemplate(
        messageTemplate,
        {
          SystemPrompt: config.systemPrompt ?? '',
          Role: roleText,
          RoleName: message.role,
          Content: message.content,
          FunctionCall: null,
          FunctionName: message.name ?? '',
          LastMessage: index === messages.length - 1,
          Function: false,
          MessageIndex: index,
        },
        'chat_message',
      );
      // LocalAI skips messages whose template renders to nothing.
      if (text !== '') rendered.push(text);
      return;
    }
    if (message.role === 'system' && message.content !== '') suppressSystemPrompt = true;
    rendered.push(message.content === '' ? '' : roleText + message.content);
  });
  const input = rendered.join(config.template.joinChatMessagesBy ?? '\n');
  if (chat === undefined) return { kind: 'text', prompt: input };
  const chatTemplate = await loadTemplate(store, chat, 'chat');
  const prompt = renderTemplate(
    chatTemplate,
    { SystemPrompt: config.systemPrompt ?? '', SuppressSystemPrompt: suppressSystemPrompt, Input: input, Functions: [], Messages: messages },
    'chat',
  );
  return { kind: 'text', prompt };
}

export async function buildCompletionPrompt(store: ModelStore, config: ModelConfig, prompt: string): Promise<string> {
  const { completion } = config.template;
  if (completion === undefined) return prompt;
  const template = await loadTemplate(store, completion, 'completion');
  return renderTemplate(template, { Input: prompt, SystemPrompt: config.systemPrompt ?? '' }, 'completion');
}

/** With no edit template, an edit is a chat turn: the instruction, then the text to edit. */
export async function buildEditPrompt(store: ModelStore, config: ModelConfig, instruction: string, input: string): Promise<PromptPlan> {
  const { edit } = config.template;
  if (edit === undefined) {
    const content = input === '' ? instruction : `${instruction}\n\n${input}`;
    return buildChatPrompt(store, config, [{ role: 'user', content }]);
  }
  const template = await loadTemplate(store, edit, 'edit');
  return { kind: 'text', prompt: renderTemplate(template, { Input: input, Instruction: instruction, SystemPrompt: config.systemPrompt ?? '' }, 'edit') };
}
