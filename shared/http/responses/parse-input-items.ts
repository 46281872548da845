// The Responses API's `input` (a string, or a list of items) as the chat messages prompts are built
// from: `message` items by role, `function_call` items as the assistant's tool calls, and
// `function_call_output` items as tool results. A response's own `output` reads the same way, which
// is how `previous_response_id` continues a conversation.
import type { ChatRole } from '../../engine/engine.js';
import type { PromptMessage } from '../../chat/prompt-message.js';
import { invalid, isAbsent, isObject, readOptionalString, readRequiredString, type JsonObject } from '../../base/field-readers.js';
import { defined } from '../../base/defined.js';

const ROLES: Record<string, ChatRole> = { user: 'user', system: 'system', developer: 'system', assistant: 'assistant' };
/** Text parts: what clients send, and what comes back in a response's output messages. */
const TEXT_PARTS = new Set(['input_text', 'output_text', 'text']);

export function parseInputItems(value: unknown, param = 'input'): PromptMessage[] {
  if (typeof value === 'string') return [{ role: 'user', content: value }];
  if (!Array.isArray(value)) throw invalid(param, `'${param}' must be a string or a list of input items.`);
  const messages: PromptMessage[] = [];
  value.forEach((item, index) => {
    const itemParam = `${param}[${index}]`;
    if (!isObject(item)) throw invalid(itemParam, `'${itemParam}' must be an object like {"role": "user", "content": "..."}.`);
    const type = item['type'] ?? 'message';
    if (type === 'message') messages.push(readMessage(item, itemParam));
    else if (type === 'function_call') addCall(messages, item, itemParam);
    else if (type === 'function_call_output') messages.push(readCallOutput(item, itemParam));
    else {
      throw invalid(
        `${itemParam}.type`,
        `'${itemParam}.type' is ${JSON.stringify(type)}; text models here take "message", "function_call" and "function_call_output" items.`,
      );
    }
  });
  return messages;
}

function readMessage(item: JsonObject, param: string): PromptMessage {
  const roleName = readRequiredString(item, 'role', `${param}.role`);
  const role = Object.hasOwn(ROLES, roleName) ? ROLES[roleName] : undefined;
  if (role === undefined) throw invalid(`${param}.role`, `'${param}.role' is "${roleName}"; expected user, assistant, system or developer.`);
  return { role, content: readText(item['content'], `${param}.content`) };
}

/** A call the model made earlier; calls in a row belong to one assistant turn. */
function addCall(messages: PromptMessage[], item: JsonObject, param: string): void {
  const args = item['arguments'];
  const call = {
    id: readRequiredString(item, 'call_id', `${param}.call_id`),
    name: readRequiredString(item, 'name', `${param}.name`),
    arguments: typeof args === 'string' ? args : isAbsent(args) ? '{}' : JSON.stringify(args),
  };
  const last = messages.at(-1);
  if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
  else messages.push({ role: 'assistant', content: '', toolCalls: [call] });
}

function readCallOutput(item: JsonObject, param: string): PromptMessage {
  const toolCallId = readRequiredString(item, 'call_id', `${param}.call_id`);
  return { role: 'tool', content: readText(item['output'], `${param}.output`), ...defined({ toolCallId }) };
}

/** A string, or a list of text parts joined in order. */
function readText(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw invalid(param, `'${param}' must be a string or a list of {"type": "input_text", "text": "..."} parts.`);
  return value
    .map((part, index) => {
      const partParam = `${param}[${index}]`;
      if (!isObject(part) || !TEXT_PARTS.has(String(part['type']))) {
        const type = isObject(part) ? JSON.stringify(part['type']) : 'not an object';
        throw invalid(partParam, `'${partParam}' is ${type}; text models take only "input_text" parts.`);
      }
      return readOptionalString(part, 'text', `${partParam}.text`) ?? '';
    })
    .join('');
}
