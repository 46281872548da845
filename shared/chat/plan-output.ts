// Decides how a reply is constrained: which grammar (from `grammar`, `response_format` or tools),
// which request field it came from (for error messages), and whether the reply carries tool calls.
import { ApiError, type ApiErrorCode } from '../base/api-error.js';
import { jsonObjectGrammar } from '../grammar/gbnf-json.js';
import { jsonSchemaToGbnf } from '../grammar/json-schema-to-gbnf.js';
import { SchemaError } from '../grammar/schema-error.js';
import { findGbnfError } from '../grammar/validate-gbnf.js';
import type { ModelConfig } from '../models/model-config.js';
import { usesYamlTemplates, type PromptTools } from './build-prompt.js';
import { toolCallGrammar, ToolSchemaError, type ContentAlternative } from './tool-call-grammar.js';
import type { ResponseFormat, ToolDefinition, ToolsRequest } from './tool-types.js';

export interface ConstrainedOutput {
  grammar?: string;
  /** The request field the grammar came from. */
  grammarParam?: string;
}

export interface ChatOutputPlan extends ConstrainedOutput {
  /** Set when the reply is read for tool calls. */
  toolReplies?: ToolReplies;
  prompt: PromptTools;
}

export interface ToolReplies {
  /** Answer with the legacy `function_call` instead of `tool_calls`. */
  legacy: boolean;
  /** A call to this pseudo-function is the model answering in words (LocalAI's no-action function). */
  noActionName?: string;
}

const DEFAULT_NO_ACTION = 'answer';
const DEFAULT_NO_ACTION_DESCRIPTION = 'use this action to answer without performing any action';

function badRequest(param: string, message: string, code: ApiErrorCode = 'invalid_value'): ApiError {
  return new ApiError('invalid_request', message, { param, code });
}

/** `grammar` or `response_format` alone (completions, and chat without tools). */
export function planConstrainedOutput(grammar: string | undefined, format: ResponseFormat, grammarParam = 'grammar'): ConstrainedOutput {
  if (grammar !== undefined && format.type !== 'text') {
    throw badRequest('response_format', `Send either '${grammarParam}' or a JSON 'response_format', not both: each constrains the whole reply.`);
  }
  if (grammar !== undefined) {
    const problem = findGbnfError(grammar);
    if (problem !== undefined) throw badRequest(grammarParam, `'${grammarParam}' is not a valid GBNF grammar: ${problem}.`, 'invalid_grammar');
    return { grammar, grammarParam };
  }
  if (format.type === 'json_object') return { grammar: jsonObjectGrammar(), grammarParam: 'response_format' };
  if (format.type === 'json_schema') {
    return { grammar: convertResponseSchema(() => jsonSchemaToGbnf(format.schema)), grammarParam: 'response_format' };
  }
  return {};
}

function responseSchemaError(error: SchemaError): ApiError {
  return badRequest('response_format', `'response_format.json_schema.schema' cannot be used: ${error.message}.`, 'unsupported_schema');
}

function convertResponseSchema(convert: () => string): string {
  try {
    return convert();
  } catch (error) {
    throw error instanceof SchemaError ? responseSchemaError(error) : error;
  }
}

export interface ChatOutputRequest {
  tools?: ToolsRequest;
  grammar?: string;
  /** The field `grammar` came from (LocalAI's `grammar` or `grammar_json_functions`). */
  grammarParam?: string;
  responseFormat: ResponseFormat;
}

export function planChatOutput(request: ChatOutputRequest, config: ModelConfig): ChatOutputPlan {
  const { tools } = request;
  if (tools === undefined || tools.choice.mode === 'none') {
    const constrained = planConstrainedOutput(request.grammar, request.responseFormat, request.grammarParam);
    return { ...constrained, prompt: { functions: [], grammarActive: constrained.grammar !== undefined } };
  }
  const listKey = tools.legacy ? 'functions' : 'tools';
  if (request.grammar !== undefined) {
    const param = request.grammarParam ?? 'grammar';
    throw badRequest(param, `'${param}' cannot be combined with '${listKey}': tool calls are constrained by their own grammar.`);
  }
  const { choice } = tools;
  const callable = choice.mode === 'named' ? tools.tools.filter((tool) => tool.name === choice.name) : tools.tools;
  const functions = config.functions ?? {};
  const noActionName = functions.noActionFunctionName ?? DEFAULT_NO_ACTION;
  // LocalAI's mixed mode with YAML templates: the model answers in words by calling "answer".
  const withNoAction =
    choice.mode === 'auto' && usesYamlTemplates(config, true) && functions.disableNoAction !== true && !callable.some((tool) => tool.name === noActionName);
  const offered: ToolDefinition[] = withNoAction
    ? [
        ...callable,
        {
          name: noActionName,
          description: functions.noActionDescriptionName ?? DEFAULT_NO_ACTION_DESCRIPTION,
          parameters: { type: 'object', properties: { message: { type: 'string', description: 'The message to reply the user with' } }, required: ['message'] },
        },
      ]
    : callable;
  const content: ContentAlternative =
    choice.mode !== 'auto' || withNoAction
      ? { kind: 'none' }
      : request.responseFormat.type === 'json_schema'
        ? { kind: 'schema', schema: request.responseFormat.schema }
        : request.responseFormat.type === 'json_object'
          ? { kind: 'schema', schema: { type: 'object' } }
          : { kind: 'text' };
  let grammar: string;
  try {
    grammar = toolCallGrammar(offered, { parallel: tools.parallel, content });
  } catch (error) {
    if (error instanceof ToolSchemaError) {
      const tool = offered[error.toolIndex];
      const index = tools.tools.findIndex((candidate) => candidate.name === tool?.name);
      const param = tools.legacy ? `functions[${index}].parameters` : `tools[${index}].function.parameters`;
      throw badRequest(param, `The parameters of "${tool?.name ?? '?'}" cannot be used: ${error.schemaError.message}.`, 'unsupported_schema');
    }
    // The only other schema in the grammar is the response_format one (the content alternative).
    if (error instanceof SchemaError) throw responseSchemaError(error);
    throw error;
  }
  const toolReplies: ToolReplies = { legacy: tools.legacy };
  if (withNoAction) toolReplies.noActionName = noActionName;
  return { grammar, grammarParam: listKey, toolReplies, prompt: { functions: offered, grammarActive: true } };
}
