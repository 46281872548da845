// Tools (OpenAI functions) as the core sees them after request parsing.

export type JsonSchema = Record<string, unknown>;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON schema of the arguments object. */
  parameters: JsonSchema;
  strict?: boolean;
}

export type ToolChoice = { mode: 'auto' | 'none' | 'required' } | { mode: 'named'; name: string };

export interface ToolsRequest {
  tools: ToolDefinition[];
  choice: ToolChoice;
  /** More than one call per reply. Defaults to `true` for tools, `false` for legacy functions. */
  parallel: boolean;
  /** Came as legacy `functions` / `function_call`: answered with `message.function_call`. */
  legacy: boolean;
}

/** A call the assistant made, as it comes back in follow-up requests. */
export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, exactly as the model wrote it. */
  arguments: string;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonSchema; strict: boolean };
