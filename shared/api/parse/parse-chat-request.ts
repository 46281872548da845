import { ApiError } from '../api-error.js';
import type { ChatRole } from '../../engine/engine.js';
import { invalid, isAbsent, isObject, readOptionalString, type JsonObject } from './field-readers.js';
import { assign, readGenerationFields, type GenerationFields } from './generation-fields.js';

export interface ChatMessage {
  role: ChatRole;
  content: string;
  name?: string;
}

export interface ChatRequest extends GenerationFields {
  messages: ChatMessage[];
}

/** OpenAI's newer "developer" role is the system role for models that have no separate one. */
const ROLE_ALIASES: Record<string, ChatRole> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};

export function parseChatRequest(body: JsonObject): ChatRequest {
  const raw = body['messages'];
  if (isAbsent(raw)) {
    throw new ApiError('invalid_request', "'messages' is required: a list of {role, content} objects.", {
      param: 'messages',
      code: 'missing_required_parameter',
    });
  }
  if (!Array.isArray(raw)) throw invalid('messages', "'messages' must be a list of {role, content} objects.");
  if (raw.length === 0) throw invalid('messages', "'messages' must contain at least one message.");
  const messages = raw.map((message, index) => parseChatMessage(message, `messages[${index}]`));
  return { ...readGenerationFields(body), messages };
}

function parseChatMessage(value: unknown, param: string): ChatMessage {
  if (!isObject(value)) throw invalid(param, `'${param}' must be an object with 'role' and 'content'.`);
  const roleName = readOptionalString(value, 'role', `${param}.role`);
  if (roleName === undefined) throw invalid(`${param}.role`, `'${param}.role' is required.`);
  const role = Object.hasOwn(ROLE_ALIASES, roleName) ? ROLE_ALIASES[roleName] : undefined;
  if (role === undefined) {
    throw invalid(`${param}.role`, `'${param}.role' is "${roleName}"; expected one of system, user, assistant, tool (or developer).`);
  }
  const message: ChatMessage = { role, content: readContent(value['content'], `${param}.content`, role) };
  assign(message, 'name', readOptionalString(value, 'name', `${param}.name`));
  return message;
}

/** `content` is a string, or a list of text parts joined in order; null is allowed for assistant turns. */
function readContent(value: unknown, param: string, role: ChatRole): string {
  if (typeof value === 'string') return value;
  if (isAbsent(value)) {
    if (role === 'assistant') return '';
    throw invalid(param, `'${param}' is required for ${role} messages.`);
  }
  if (!Array.isArray(value)) throw invalid(param, `'${param}' must be a string or a list of text parts.`);
  return value
    .map((part, index) => {
      const partParam = `${param}[${index}]`;
      if (!isObject(part)) throw invalid(partParam, `'${partParam}' must be an object like {"type": "text", "text": "..."}.`);
      if (part['type'] !== 'text') {
        throw invalid(
          `${partParam}.type`,
          `'${partParam}.type' is ${JSON.stringify(part['type'])}; only "text" parts are supported by text-generation models.`,
        );
      }
      const text = part['text'];
      if (typeof text !== 'string') throw invalid(`${partParam}.text`, `'${partParam}.text' must be a string.`);
      return text;
    })
    .join('');
}
