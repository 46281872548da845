import { ApiError } from '../../base/api-error.js';
import type { ChatRole } from '../../engine/engine.js';
import type { PromptMessage } from '../../chat/prompt-message.js';
import type { ResponseFormat, ToolCall, ToolsRequest } from '../../chat/tool-types.js';
import { invalid, isAbsent, isObject, readOptionalBoolean, readOptionalInteger, readOptionalString, type JsonObject } from '../../base/field-readers.js';
import { CHAT_FIELDS, unknownFields } from './known-fields.js';
import { assign, readGenerationFields, type GenerationFields } from './generation-fields.js';
import { parseResponseFormat, readGrammar } from './parse-response-format.js';
import { parseTools } from './parse-tools.js';

/** A parsed chat message: exactly what prompts are built from. */
export type ChatMessage = PromptMessage;

export interface ChatRequest extends GenerationFields {
  messages: ChatMessage[];
  tools?: ToolsRequest;
  responseFormat: ResponseFormat;
  /** LocalAI's GBNF `grammar` (or the one made from `grammar_json_functions`). */
  grammar?: string;
  grammarParam?: string;
}

/** OpenAI's limit for `top_logprobs`. */
const MAX_TOP_LOGPROBS = 20;

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
  const request: ChatRequest = { ...readGenerationFields(body), messages, responseFormat: parseResponseFormat(body) };
  assign(request, 'tools', parseTools(body));
  const grammar = readGrammar(body);
  assign(request, 'grammar', grammar?.grammar);
  assign(request, 'grammarParam', grammar?.param);
  assign(request, 'logprobs', readChatLogprobs(body, request.tools !== undefined));
  request.ignoredFields = unknownFields(body, CHAT_FIELDS);
  return request;
}

/** `logprobs: true` with `top_logprobs` alternatives: the count to ask the engine for, or undefined. */
function readChatLogprobs(body: JsonObject, hasTools: boolean): number | undefined {
  const wanted = readOptionalBoolean(body, 'logprobs') ?? false;
  const top = readOptionalInteger(body, 'top_logprobs', { min: 0, max: MAX_TOP_LOGPROBS });
  if (!wanted) {
    if (top !== undefined && top > 0) throw invalid('top_logprobs', "'top_logprobs' needs 'logprobs': true.");
    return undefined;
  }
  // Tool calls are parsed out of the generated text, so its tokens no longer line up with the reply.
  if (hasTools) throw new ApiError('invalid_request', "'logprobs' cannot be combined with 'tools' or 'functions' here.", { param: 'logprobs', code: 'unsupported_parameter' });
  return top ?? 0;
}

function parseChatMessage(value: unknown, param: string): ChatMessage {
  if (!isObject(value)) throw invalid(param, `'${param}' must be an object with 'role' and 'content'.`);
  const roleName = readOptionalString(value, 'role', `${param}.role`);
  if (roleName === undefined) throw invalid(`${param}.role`, `'${param}.role' is required.`);
  const role = Object.hasOwn(ROLE_ALIASES, roleName) ? ROLE_ALIASES[roleName] : undefined;
  if (role === undefined) {
    throw invalid(`${param}.role`, `'${param}.role' is "${roleName}"; expected one of system, user, assistant, tool (or developer).`);
  }
  const toolCalls = role === 'assistant' ? readToolCalls(value['tool_calls'], `${param}.tool_calls`) : undefined;
  const functionCall = role === 'assistant' ? readFunctionCall(value['function_call'], `${param}.function_call`) : undefined;
  const message: ChatMessage = { role, content: readContent(value['content'], `${param}.content`, role) };
  assign(message, 'name', readOptionalString(value, 'name', `${param}.name`));
  assign(message, 'toolCalls', toolCalls);
  assign(message, 'functionCall', functionCall);
  if (role === 'tool') assign(message, 'toolCallId', readOptionalString(value, 'tool_call_id', `${param}.tool_call_id`));
  return message;
}

function readToolCalls(value: unknown, param: string): ToolCall[] | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) throw invalid(param, `'${param}' must be a list of tool calls.`);
  if (value.length === 0) return undefined;
  return value.map((call, index) => {
    const callParam = `${param}[${index}]`;
    if (!isObject(call)) throw invalid(callParam, `'${callParam}' must be an object like {"id", "type": "function", "function": {"name", "arguments"}}.`);
    const fn = readFunctionCall(call['function'], `${callParam}.function`);
    if (fn === undefined) throw invalid(`${callParam}.function`, `'${callParam}.function' is required.`);
    return { id: readOptionalString(call, 'id', `${callParam}.id`) ?? `call_${index}`, ...fn };
  });
}

function readFunctionCall(value: unknown, param: string): { name: string; arguments: string } | undefined {
  if (isAbsent(value)) return undefined;
  if (!isObject(value)) throw invalid(param, `'${param}' must be an object with 'name' and 'arguments'.`);
  const name = readOptionalString(value, 'name', `${param}.name`);
  if (name === undefined) throw invalid(`${param}.name`, `'${param}.name' is required.`);
  const args = value['arguments'];
  // OpenAI sends arguments as JSON text; some clients send the object itself.
  const text = typeof args === 'string' ? args : isAbsent(args) ? '{}' : JSON.stringify(args);
  return { name, arguments: text };
}

/** `content` is a string, or a list of text parts joined in order; null is allowed for assistant turns. */
function readContent(value: unknown, param: string, role: ChatRole): string {
  if (typeof value === 'string') return value;
  if (isAbsent(value)) {
    // An assistant turn may only call tools, and then has no content.
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
