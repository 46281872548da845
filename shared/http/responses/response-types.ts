// OpenAI Responses API bodies as Hearth sends them: the subset of the `openai` package's `Response`
// and stream event types that a text model produces. test/unit/openai-types.test.ts checks that
// they are assignable to the SDK's types.

export interface ResponseOutputText {
  type: 'output_text';
  text: string;
  annotations: [];
}

export interface ResponseOutputMessage {
  type: 'message';
  id: string;
  role: 'assistant';
  status: ItemStatus;
  content: ResponseOutputText[];
}

export interface ResponseFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  /** JSON text, as the model wrote it. */
  arguments: string;
  status: ItemStatus;
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type ResponseOutputItem = ResponseOutputMessage | ResponseFunctionCall;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseFunctionTool {
  type: 'function';
  name: string;
  description: string | null;
  parameters: Record<string, unknown>;
  strict: boolean | null;
}

export type ResponseToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; name: string };

export type ResponseTextFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean };

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  completed_at: number | null;
  error: { code: 'server_error'; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, string> | null;
  model: string;
  output: ResponseOutputItem[];
  /** The text of every output message, joined (the SDK computes the same). */
  output_text: string;
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  store: boolean;
  temperature: number | null;
  text: { format: ResponseTextFormat };
  tool_choice: ResponseToolChoice;
  tools: ResponseFunctionTool[];
  top_p: number | null;
  usage?: ResponseUsage;
}

interface Sequenced {
  sequence_number: number;
}

interface InItem extends Sequenced {
  item_id: string;
  output_index: number;
}

type Lifecycle<T extends string> = Sequenced & { type: T; response: ResponseObject };
type ItemEvent<T extends string> = Sequenced & { type: T; output_index: number; item: ResponseOutputItem };
type PartEvent<T extends string> = InItem & { type: T; content_index: number; part: ResponseOutputText };

export type ResponseStreamEvent =
  | Lifecycle<'response.created'>
  | Lifecycle<'response.in_progress'>
  | Lifecycle<'response.completed'>
  | Lifecycle<'response.incomplete'>
  | ItemEvent<'response.output_item.added'>
  | ItemEvent<'response.output_item.done'>
  | PartEvent<'response.content_part.added'>
  | PartEvent<'response.content_part.done'>
  | (InItem & { type: 'response.output_text.delta'; content_index: number; delta: string; logprobs: [] })
  | (InItem & { type: 'response.output_text.done'; content_index: number; text: string; logprobs: [] })
  | (InItem & { type: 'response.function_call_arguments.delta'; delta: string })
  | (InItem & { type: 'response.function_call_arguments.done'; name: string; arguments: string });

/** DELETE /v1/responses/{id}. */
export interface ResponseDeleted {
  id: string;
  object: 'response.deleted';
  deleted: true;
}
