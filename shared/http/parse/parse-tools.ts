// `tools` / `tool_choice` / `parallel_tool_calls` and the legacy `functions` / `function_call`.
import type { JsonSchema, ToolChoice, ToolDefinition, ToolsRequest } from '../../chat/tool-types.js';
import { invalid, isAbsent, isObject, readOptionalBoolean, readOptionalString, type JsonObject } from '../../base/field-readers.js';
import { assign } from './generation-fields.js';

/** OpenAI's rule for function names; it also keeps names safe inside prompts and grammars. */
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function parseTools(body: JsonObject): ToolsRequest | undefined {
  const hasTools = !isAbsent(body['tools']);
  const hasFunctions = !isAbsent(body['functions']);
  if (hasTools && hasFunctions) throw invalid('functions', "Send either 'tools' or the legacy 'functions', not both.");
  const legacy = hasFunctions;
  const listKey = legacy ? 'functions' : 'tools';
  const choiceKey = legacy ? 'function_call' : 'tool_choice';
  if (!hasTools && !hasFunctions) {
    for (const key of ['tool_choice', 'function_call']) {
      const value = body[key];
      if (!isAbsent(value) && value !== 'none' && value !== 'auto') {
        throw invalid(key, `'${key}' asks for a call, but the request lists no ${key === 'tool_choice' ? "'tools'" : "'functions'"}.`);
      }
    }
    return undefined;
  }
  const raw = body[listKey];
  if (!Array.isArray(raw)) throw invalid(listKey, `'${listKey}' must be a list of ${legacy ? 'function definitions' : 'tools'}.`);
  if (raw.length === 0) throw invalid(listKey, `'${listKey}' must list at least one ${legacy ? 'function' : 'tool'}.`);
  const tools = raw.map((item, index) => (legacy ? readFunction(item, `functions[${index}]`) : readTool(item, `tools[${index}]`)));
  const seen = new Set<string>();
  tools.forEach((tool, index) => {
    if (seen.has(tool.name)) throw invalid(`${listKey}[${index}]`, `'${listKey}' names the function "${tool.name}" twice.`);
    seen.add(tool.name);
  });
  const choice = readChoice(body[choiceKey], choiceKey, legacy);
  if (choice.mode === 'named' && !seen.has(choice.name)) {
    throw invalid(choiceKey, `'${choiceKey}' names the function "${choice.name}", but '${listKey}' lists only ${[...seen].map((n) => `"${n}"`).join(', ')}.`);
  }
  const parallel = legacy ? false : (readOptionalBoolean(body, 'parallel_tool_calls') ?? true);
  return { tools, choice, parallel: parallel && choice.mode !== 'named', legacy };
}

function readTool(value: unknown, param: string): ToolDefinition {
  if (!isObject(value)) throw invalid(param, `'${param}' must be an object like {"type": "function", "function": {...}}.`);
  if (value['type'] !== 'function') {
    throw invalid(`${param}.type`, `'${param}.type' is ${JSON.stringify(value['type'])}; only "function" tools are supported.`);
  }
  return readFunction(value['function'], `${param}.function`);
}

function readFunction(value: unknown, param: string): ToolDefinition {
  if (!isObject(value)) throw invalid(param, `'${param}' must be an object with 'name' and 'parameters'.`);
  const name = readOptionalString(value, 'name', `${param}.name`);
  if (name === undefined || !NAME.test(name)) {
    throw invalid(`${param}.name`, `'${param}.name' must be 1 to 64 letters, digits, underscores or dashes, but is ${JSON.stringify(name ?? null)}.`);
  }
  const tool: ToolDefinition = { name, parameters: readParameters(value['parameters'], `${param}.parameters`) };
  assign(tool, 'description', readOptionalString(value, 'description', `${param}.description`));
  assign(tool, 'strict', readOptionalBoolean(value, 'strict', `${param}.strict`));
  return tool;
}

/** Arguments are always a JSON object; no schema means any object. */
function readParameters(value: unknown, param: string): JsonSchema {
  if (isAbsent(value)) return { type: 'object' };
  if (!isObject(value)) throw invalid(param, `'${param}' must be a JSON schema object.`);
  const type = value['type'];
  if (type !== undefined && type !== 'object') {
    throw invalid(param, `'${param}' must describe an object ("type": "object"), but its type is ${JSON.stringify(type)}.`);
  }
  const hasShape = ['properties', 'additionalProperties', '$ref', 'anyOf', 'oneOf', 'enum', 'const'].some((key) => value[key] !== undefined);
  return type === undefined && !hasShape ? { ...value, type: 'object' } : value;
}

function readChoice(value: unknown, param: string, legacy: boolean): ToolChoice {
  if (isAbsent(value) || value === 'auto') return { mode: 'auto' };
  if (value === 'none') return { mode: 'none' };
  if (value === 'required' && !legacy) return { mode: 'required' };
  if (isObject(value)) {
    const holder = legacy ? value : value['function'];
    if (!legacy && value['type'] !== 'function') {
      throw invalid(param, `'${param}' must be "auto", "none", "required" or {"type": "function", "function": {"name": ...}}.`);
    }
    const name = isObject(holder) ? holder['name'] : undefined;
    if (typeof name === 'string' && name !== '') return { mode: 'named', name };
  }
  throw invalid(
    param,
    legacy
      ? `'${param}' must be "auto", "none" or {"name": ...}, but got ${JSON.stringify(value)}.`
      : `'${param}' must be "auto", "none", "required" or {"type": "function", "function": {"name": ...}}, but got ${JSON.stringify(value)}.`,
  );
}
