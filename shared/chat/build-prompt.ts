// Turns a request into what the engine runs: either text rendered through the config's LocalAI
// templates, or chat messages for the chat template stored in the GGUF.
import type { EngineChatMessage } from '../engine/engine.js';
import type { ModelConfig } from '../models/model-config.js';
import type { ModelStore } from '../models/model-store.js';
import { TemplateFunction, marshalFunctionCall, templateFunctionCall } from './template-function.js';
import { toChatTemplateMessages, withToolsSystemPrompt } from './tool-prompt.js';
import type { ToolDefinition } from './tool-types.js';
import { loadTemplate, renderTemplate } from './load-template.js';
import type { PromptMessage } from './prompt-message.js';

export type PromptPlan = { kind: 'text'; prompt: string } | { kind: 'chat'; messages: EngineChatMessage[] };

/** What the prompt must say about tools. */
export interface PromptTools {
  /** Tools the model may call (LocalAI's `.Functions`); empty when it should not call any. */
  functions: readonly ToolDefinition[];
  /** The reply is grammar-constrained (LocalAI's `.Function` on the last message). */
  grammarActive: boolean;
}

const NO_TOOLS: PromptTools = { functions: [], grammarActive: false };

/** Follows LocalAI's TemplateMessages: per-message template or role prefix, joined, then the chat (or function) template. */
/**
 * True when chats with this config render through LocalAI's YAML templates rather than the GGUF's
 * own chat template; the function template counts only when functions are offered.
 */
export function usesYamlTemplates(config: ModelConfig, withFunctions: boolean): boolean {
  const { chat, chatMessage, function: functionTemplate } = config.template;
  return chat !== undefined || chatMessage !== undefined || (withFunctions && functionTemplate !== undefined);
}

export async function buildChatPrompt(
  store: ModelStore,
  config: ModelConfig,
  messages: readonly PromptMessage[],
  tools: PromptTools = NO_TOOLS,
): Promise<PromptPlan> {
  const { chat, chatMessage } = config.template;
  const useFunctions = tools.functions.length > 0;
  const functionTemplate = useFunctions ? config.template.function : undefined;
  if (!usesYamlTemplates(config, useFunctions)) {
    const hasSystem = messages.some((message) => message.role === 'system');
    const withSystem: PromptMessage[] =
      config.systemPrompt !== undefined && !hasSystem ? [{ role: 'system', content: config.systemPrompt }, ...messages] : [...messages];
    return { kind: 'chat', messages: toChatTemplateMessages(withSystem, tools.functions) };
  }
  // Without a function template to list them, the tools go into the system message.
  const prompted: readonly PromptMessage[] = useFunctions && functionTemplate === undefined ? withToolsSystemPrompt(messages, tools.functions) : messages;
  const messageTemplate = chatMessage === undefined ? undefined : await loadTemplate(store, config, 'chat_message');
  let suppressSystemPrompt = false;
  const rendered: string[] = [];
  prompted.forEach((message, index) => {
    const functionCall = templateFunctionCall(message);
    // LocalAI renders an assistant's calls with the `assistant_function_call` role when the config has one.
    const role = functionCall !== null && message.role === 'assistant' && config.roles['assistant_function_call'] ? 'assistant_function_call' : message.role;
    const roleText = config.roles[role] ?? '';
    if (messageTemplate) {
      const text = renderTemplate(
        messageTemplate,
        {
          SystemPrompt: config.systemPrompt ?? '',
          Role: roleText,
          RoleName: role,
          Content: message.content,
          FunctionCall: functionCall,
          FunctionName: message.name ?? '',
          LastMessage: index === prompted.length - 1,
          Function: tools.grammarActive && index === prompted.length - 1,
          MessageIndex: index,
        },
      );
      // LocalAI skips messages whose template renders to nothing.
      if (text !== '') rendered.push(text);
      return;
    }
    if (message.role === 'system' && message.content !== '') suppressSystemPrompt = true;
    let content = message.content === '' ? '' : roleText + message.content;
    if (functionCall !== null) {
      const call = roleText === '' ? marshalFunctionCall(functionCall) : `${roleText} ${marshalFunctionCall(functionCall)}`;
      content = content === '' ? call : `${content}\n${call}`;
    }
    rendered.push(content);
  });
  const input = rendered.join(config.template.joinChatMessagesBy ?? '\n');
  const outerTemplate = await loadTemplate(store, config, functionTemplate === undefined ? 'chat' : 'function');
  if (outerTemplate === undefined) return { kind: 'text', prompt: input };
  const prompt = renderTemplate(
    outerTemplate,
    {
      SystemPrompt: config.systemPrompt ?? '',
      SuppressSystemPrompt: suppressSystemPrompt,
      Input: input,
      Functions: tools.functions.map((tool) => new TemplateFunction(tool)),
      Messages: messages,
    },
  );
  return { kind: 'text', prompt };
}

export async function buildCompletionPrompt(store: ModelStore, config: ModelConfig, prompt: string): Promise<string> {
  const template = await loadTemplate(store, config, 'completion');
  if (template === undefined) return prompt;
  return renderTemplate(template, { Input: prompt, SystemPrompt: config.systemPrompt ?? '' });
}

/** With no edit template, an edit is a chat turn: the instruction, then the text to edit. */
export async function buildEditPrompt(store: ModelStore, config: ModelConfig, instruction: string, input: string): Promise<PromptPlan> {
  const template = await loadTemplate(store, config, 'edit');
  if (template === undefined) {
    const content = input === '' ? instruction : `${instruction}\n\n${input}`;
    return buildChatPrompt(store, config, [{ role: 'user', content }]);
  }
  return { kind: 'text', prompt: renderTemplate(template, { Input: input, Instruction: instruction, SystemPrompt: config.systemPrompt ?? '' }) };
}
