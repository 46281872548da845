import type { EngineChatMessage } from '../engine/engine.js';
import type { ToolCall } from './tool-types.js';

/** A chat message as prompts are built from it: an engine message plus the tool-call fields of the request. */
export interface PromptMessage extends EngineChatMessage {
  toolCalls?: ToolCall[];
  functionCall?: { name: string; arguments: string };
  toolCallId?: string;
}
