// The Responses API's flat function tools (`{"type": "function", "name", "parameters"}`) and its
// `tool_choice`, read through the chat tools parser so both APIs accept and refuse the same things.
import { ApiError } from '../../base/api-error.js';
import { invalid, isAbsent, isObject, type JsonObject } from '../../base/field-readers.js';
import type { ToolsRequest } from '../../chat/tool-types.js';
import { parseTools } from '../parse/parse-tools.js';
import type { ResponseFunctionTool, ResponseToolChoice } from './response-types.js';

export interface ResponsesTools {
  tools?: ToolsRequest;
  /** Echoed in the response object. */
  echo: { tools: ResponseFunctionTool[]; toolChoice: ResponseToolChoice; parallel: boolean };
}

export function parseResponsesTools(body: JsonObject): ResponsesTools {
  const raw = isAbsent(body['tools']) ? [] : body['tools'];
  if (!Array.isArray(raw)) throw invalid('tools', "'tools' must be a list of tools.");
  refuseHostedTools(raw);
  const choice = readChoice(body['tool_choice']);
  // An empty list is what agent frameworks send when they have no tools: the same as none.
  const chatBody: JsonObject = {
    ...(raw.length > 0 ? { tools: raw.map(asChatTool) } : {}),
    tool_choice: choice === undefined ? undefined : typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } },
    parallel_tool_calls: body['parallel_tool_calls'],
  };
  const tools = renamingParams(() => parseTools(chatBody));
  const echo = {
    tools: (tools?.tools ?? []).map((tool): ResponseFunctionTool => ({
      type: 'function',
      name: tool.name,
      description: tool.description ?? null,
      parameters: tool.parameters,
      strict: tool.strict ?? null,
    })),
    toolChoice: choice ?? 'auto',
    parallel: tools?.parallel ?? true,
  };
  return tools === undefined ? { echo } : { tools, echo };
}

/** OpenAI runs web search, file search, computer use and the like on its servers; a local model cannot. */
function refuseHostedTools(tools: unknown[]): void {
  const hosted = tools
    .map((tool, index) => ({ index, type: isObject(tool) ? tool['type'] : undefined }))
    .filter(({ type }) => type !== 'function');
  const [first] = hosted;
  if (first === undefined) return;
  const names = hosted.map(({ type }) => JSON.stringify(type ?? null)).join(', ');
  throw new ApiError(
    'invalid_request',
    `'tools' lists ${names}: only "function" tools are supported here. Hosted tools such as web_search, file_search and computer_use run on OpenAI's servers; define a function tool and run it in your code instead.`,
    { param: `tools[${first.index}].type`, code: 'unsupported_tool' },
  );
}

function asChatTool(tool: unknown): unknown {
  if (!isObject(tool)) return tool;
  const { type, ...fn } = tool;
  return { type, function: fn };
}

function readChoice(value: unknown): ResponseToolChoice | undefined {
  if (isAbsent(value)) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  if (isObject(value) && value['type'] === 'function' && typeof value['name'] === 'string') return { type: 'function', name: value['name'] };
  throw invalid('tool_choice', `'tool_choice' must be "auto", "none", "required" or {"type": "function", "name": "..."}, but got ${JSON.stringify(value)}.`);
}

/** The chat parser names chat fields (`tools[0].function.name`); say them as the client sent them. */
function renamingParams<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const rename = (text: string): string => text.replace(/(tools\[\d+\])\.function\./g, '$1.');
    throw new ApiError(error.kind, rename(error.message), { param: error.param === null ? null : rename(error.param), code: error.code });
  }
}
