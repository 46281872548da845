// Renders chat messages into prompt tokens with the chat template stored in the model file.
import { resolveChatWrapper, type ChatHistoryItem, type ChatWrapper, type LlamaModel, type Token } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type { EngineChatMessage } from '../../shared/engine/engine.js';
import { errorMessage } from '../../shared/base/error-message.js';

export interface ChatPrompt {
  tokens: Token[];
  /** Special tokens that end the assistant's turn besides the model's EOG tokens. */
  stopTokens: ReadonlySet<Token>;
}

/**
 * The model's own Jinja template (`tokenizer.chat_template`); node-llama-cpp's best guess for the
 * architecture when the file has none.
 */
export function createChatWrapper(model: LlamaModel): ChatWrapper {
  return resolveChatWrapper(model, {
    type: 'jinjaTemplate',
    warningLogs: false,
    // Render every message as its own turn, as llama.cpp and LocalAI do.
    customWrapperSettings: { jinjaTemplate: { joinAdjacentMessagesOfTheSameType: false } },
  });
}

/** Tokens of the rendered conversation, ending where the assistant's reply starts. */
export function renderChatPrompt(model: LlamaModel, wrapper: ChatWrapper, messages: readonly EngineChatMessage[]): ChatPrompt {
  // The trailing empty model turn makes the template open the assistant's reply (add_generation_prompt).
  const chatHistory: ChatHistoryItem[] = [...messages.map(toHistoryItem), { type: 'model', response: [] }];
  let state: ReturnType<ChatWrapper['generateContextState']>;
  try {
    state = wrapper.generateContextState({ chatHistory });
  } catch (error) {
    throw new ApiError(
      'invalid_request',
      `The model's chat template could not render these messages: ${errorMessage(error)}`,
      { param: 'messages', cause: error },
    );
  }
  const stopTokens = new Set<Token>();
  for (const trigger of state.stopGenerationTriggers) {
    const tokens = trigger.tokenize(model.tokenizer);
    const [token] = tokens;
    if (tokens.length === 1 && token !== undefined && model.isSpecialToken(token)) stopTokens.add(token);
  }
  return { tokens: state.contextText.tokenize(model.tokenizer), stopTokens };
}

function toHistoryItem(message: EngineChatMessage): ChatHistoryItem {
  if (message.role === 'system') return { type: 'system', text: message.content };
  if (message.role === 'assistant') return { type: 'model', response: [message.content] };
  // node-llama-cpp's chat history has no tool role: a tool result reaches the model as a user turn.
  return { type: 'user', text: message.content };
}
