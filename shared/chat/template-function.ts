// Tools as LocalAI's Go templates see them in `.Functions` and `.FunctionCall`: Go structs, so
// fields are read as {{.Name}} and `toJson` writes the JSON names.
import type { PromptMessage } from './prompt-message.js';
import type { ToolDefinition } from './tool-types.js';

/** LocalAI's functions.Function. */
export class TemplateFunction {
  readonly Name: string;
  readonly Description: string;
  readonly Strict: boolean;
  readonly Parameters: Record<string, unknown>;

  constructor(tool: ToolDefinition) {
    this.Name = tool.name;
    this.Description = tool.description ?? '';
    this.Strict = tool.strict ?? false;
    this.Parameters = tool.parameters;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.Name, description: this.Description, strict: this.Strict, parameters: this.Parameters };
  }
}

/** What LocalAI passes as `.FunctionCall`: the tool_calls list as sent, the legacy function_call, or nil. */
export function templateFunctionCall(message: PromptMessage): unknown {
  if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
    return message.toolCalls.map((call, index) => ({ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
  if (message.functionCall !== undefined) return { name: message.functionCall.name, arguments: message.functionCall.arguments };
  return null;
}

/** Go's json.Marshal of the call data (struct order, HTML characters escaped), as LocalAI writes calls without a template. */
export function marshalFunctionCall(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
