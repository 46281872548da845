// Our chat reply events (content, tool calls, argument fragments, end) as the Responses API's typed
// stream: output items opened and closed around them, numbered in order. Streaming sends these
// events; a plain request keeps only the final response, so the two cannot differ.
import type { ChatReplyEvent } from '../../generation/decode-chat-replies.js';
import type { ResponseFunctionCall, ResponseObject, ResponseOutputMessage, ResponseStreamEvent } from './response-types.js';

type Unsequenced<E> = E extends ResponseStreamEvent ? Omit<E, 'sequence_number'> : never;

export class ResponseEvents {
  readonly #response: ResponseObject;
  readonly #newItemId: (prefix: 'msg' | 'fc') => string;
  readonly #now: () => number;
  #sequence = 0;
  #open: ResponseOutputMessage | ResponseFunctionCall | undefined;

  /** `skeleton` is the response as created: status `in_progress`, no output. */
  constructor(skeleton: ResponseObject, newItemId: (prefix: 'msg' | 'fc') => string, now: () => number) {
    this.#response = structuredClone(skeleton);
    this.#newItemId = newItemId;
    this.#now = now;
  }

  /** The response so far; after the end event, the finished one. */
  get response(): ResponseObject {
    return structuredClone(this.#response);
  }

  start(): ResponseStreamEvent[] {
    return [this.#event({ type: 'response.created', response: this.response }), this.#event({ type: 'response.in_progress', response: this.response })];
  }

  push(reply: ChatReplyEvent): ResponseStreamEvent[] {
    switch (reply.type) {
      case 'content':
        return reply.text === '' ? [] : [...this.#openMessage(), this.#appendText(reply.text)];
      case 'tool-call':
        return [...this.#close('completed'), ...this.#openCall(reply.id, reply.name)];
      case 'tool-arguments':
        return this.#appendArguments(reply.text);
      case 'end':
        return this.#end(reply);
    }
  }

  #event(event: Unsequenced<ResponseStreamEvent>): ResponseStreamEvent {
    return { ...event, sequence_number: this.#sequence++ } as ResponseStreamEvent;
  }

  get #outputIndex(): number {
    return this.#response.output.length - 1;
  }

  #openMessage(): ResponseStreamEvent[] {
    if (this.#open?.type === 'message') return [];
    const events = this.#close('completed');
    const message: ResponseOutputMessage = { type: 'message', id: this.#newItemId('msg'), role: 'assistant', status: 'in_progress', content: [] };
    this.#open = message;
    this.#response.output.push(message);
    events.push(this.#event({ type: 'response.output_item.added', output_index: this.#outputIndex, item: structuredClone(message) }));
    message.content.push({ type: 'output_text', text: '', annotations: [] });
    const at = { item_id: message.id, output_index: this.#outputIndex, content_index: 0 };
    events.push(this.#event({ type: 'response.content_part.added', ...at, part: { type: 'output_text', text: '', annotations: [] } }));
    return events;
  }

  #appendText(delta: string): ResponseStreamEvent {
    const message = this.#open as ResponseOutputMessage;
    const part = message.content[0];
    if (part !== undefined) part.text += delta;
    this.#response.output_text += delta;
    return this.#event({ type: 'response.output_text.delta', item_id: message.id, output_index: this.#outputIndex, content_index: 0, delta, logprobs: [] });
  }

  #openCall(callId: string, name: string): ResponseStreamEvent[] {
    const call: ResponseFunctionCall = { type: 'function_call', id: this.#newItemId('fc'), call_id: callId, name, arguments: '', status: 'in_progress' };
    this.#open = call;
    this.#response.output.push(call);
    return [this.#event({ type: 'response.output_item.added', output_index: this.#outputIndex, item: { ...call } })];
  }

  #appendArguments(delta: string): ResponseStreamEvent[] {
    const call = this.#open;
    if (call?.type !== 'function_call' || delta === '') return [];
    call.arguments += delta;
    return [this.#event({ type: 'response.function_call_arguments.delta', item_id: call.id, output_index: this.#outputIndex, delta })];
  }

  /** Ends the open item: its `.done` events, then `response.output_item.done`. */
  #close(status: 'completed' | 'incomplete'): ResponseStreamEvent[] {
    const item = this.#open;
    if (item === undefined) return [];
    this.#open = undefined;
    item.status = status;
    const at = { item_id: item.id, output_index: this.#outputIndex };
    const events: ResponseStreamEvent[] = [];
    if (item.type === 'message') {
      const part = item.content[0] ?? { type: 'output_text', text: '', annotations: [] };
      events.push(this.#event({ type: 'response.output_text.done', ...at, content_index: 0, text: part.text, logprobs: [] }));
      events.push(this.#event({ type: 'response.content_part.done', ...at, content_index: 0, part: { ...part } }));
    } else {
      events.push(this.#event({ type: 'response.function_call_arguments.done', ...at, name: item.name, arguments: item.arguments }));
    }
    events.push(this.#event({ type: 'response.output_item.done', output_index: at.output_index, item: structuredClone(item) }));
    return events;
  }

  #end(reply: Extract<ChatReplyEvent, { type: 'end' }>): ResponseStreamEvent[] {
    const cut = reply.finishReason === 'length';
    const events = this.#close(cut ? 'incomplete' : 'completed');
    const response = this.#response;
    response.status = cut ? 'incomplete' : 'completed';
    response.incomplete_details = cut ? { reason: 'max_output_tokens' } : null;
    response.completed_at = cut ? null : this.#now();
    response.usage = {
      input_tokens: reply.promptTokens,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: reply.completionTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: reply.promptTokens + reply.completionTokens,
    };
    events.push(this.#event({ type: cut ? 'response.incomplete' : 'response.completed', response: this.response }));
    return events;
  }
}
