// `response_format` (OpenAI JSON mode and structured outputs) and LocalAI's `grammar`.
import type { ResponseFormat } from '../../chat/tool-types.js';
import { invalid, isAbsent, isObject, readOptionalBoolean, readOptionalString, type JsonObject } from '../../base/field-readers.js';

export function parseResponseFormat(body: JsonObject): ResponseFormat {
  const value = body['response_format'];
  if (isAbsent(value)) return { type: 'text' };
  if (!isObject(value)) throw invalid('response_format', `'response_format' must be an object like {"type": "json_object"}.`);
  const type = value['type'];
  if (type === 'text' || type === 'json_object') return { type };
  if (type !== 'json_schema') {
    throw invalid('response_format', `'response_format.type' is ${JSON.stringify(type)}; expected "text", "json_object" or "json_schema".`);
  }
  const spec = value['json_schema'];
  if (!isObject(spec)) {
    throw invalid('response_format', `'response_format.json_schema' must be an object with 'name' and 'schema'.`);
  }
  const name = readOptionalString(spec, 'name', 'response_format.json_schema.name') ?? 'response';
  const schema = spec['schema'];
  if (!isAbsent(schema) && !isObject(schema)) throw invalid('response_format', `'response_format.json_schema.schema' must be a JSON schema object.`);
  const strict = readOptionalBoolean(spec, 'strict', 'response_format.json_schema.strict') ?? false;
  return { type: 'json_schema', name, schema: isObject(schema) ? schema : { type: 'object' }, strict };
}

/** LocalAI's `grammar`: a GBNF grammar for the whole reply. Empty means none. */
export function readGrammar(body: JsonObject): string | undefined {
  const grammar = readOptionalString(body, 'grammar');
  return grammar === undefined || grammar.trim() === '' ? undefined : grammar;
}
