// `response_format` (OpenAI JSON mode and structured outputs) and LocalAI's `grammar`.
import type { ResponseFormat } from '../../chat/tool-types.js';
import { jsonSchemaToGbnf } from '../../grammar/json-schema-to-gbnf.js';
import { SchemaError } from '../../grammar/schema-error.js';
import { ApiError } from '../../base/api-error.js';
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

export interface RequestGrammar {
  grammar: string;
  /** The field it came from, named in errors. */
  param: 'grammar' | 'grammar_json_functions';
}

/**
 * LocalAI's `grammar` (a GBNF grammar for the whole reply; empty means none), or its older
 * `grammar_json_functions`: a JSON schema, usually `{"oneOf": [{function call schemas}]}`, that the
 * reply must match, turned into a grammar as LocalAI does. The reply stays plain content.
 */
export function readGrammar(body: JsonObject): RequestGrammar | undefined {
  const grammar = readOptionalString(body, 'grammar');
  const functions = body['grammar_json_functions'];
  const hasFunctions = !isAbsent(functions);
  if (grammar !== undefined && grammar.trim() !== '') {
    if (hasFunctions) throw invalid('grammar_json_functions', "Send either 'grammar' or 'grammar_json_functions', not both: each constrains the whole reply.");
    return { grammar, param: 'grammar' };
  }
  if (!hasFunctions) return undefined;
  if (!isObject(functions)) throw invalid('grammar_json_functions', `'grammar_json_functions' must be a JSON schema object such as {"oneOf": [...]}.`);
  try {
    return { grammar: jsonSchemaToGbnf(functions), param: 'grammar_json_functions' };
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    throw new ApiError('invalid_request', `'grammar_json_functions' cannot be used: ${error.message}.`, {
      param: 'grammar_json_functions',
      code: 'unsupported_schema',
    });
  }
}
