// Ollama's wire shapes (docs/api.md, api/types.go), as Hearth answers them.

export interface OllamaTimings {
  /** Nanoseconds, as Ollama reports every duration. */
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

export interface OllamaToolCall {
  function: { index: number; name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: 'assistant';
  content: string;
  tool_calls?: OllamaToolCall[];
}

/** "stop", "length", or for an empty /api/generate prompt "load" / "unload". */
export type OllamaDoneReason = 'stop' | 'length' | 'load' | 'unload';

interface ChunkBase {
  model: string;
  /** RFC 3339. */
  created_at: string;
}

export type OllamaChatChunk = ChunkBase & { message: OllamaMessage } & ({ done: false } | ({ done: true; done_reason: OllamaDoneReason } & Partial<OllamaTimings>));

export type OllamaGenerateChunk = ChunkBase & { response: string } & ({ done: false } | ({ done: true; done_reason: OllamaDoneReason } & Partial<OllamaTimings>));

export interface OllamaModelDetails {
  parent_model: string;
  format: string;
  family: string;
  families: string[] | null;
  parameter_size: string;
  quantization_level: string;
}
