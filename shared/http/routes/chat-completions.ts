import type { ChatCompletion, ChatCompletionChunk } from '../../base/openai-types.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseChatRequest } from '../parse/parse-chat-request.js';
import { selectModel } from '../select-model.js';
import { buildChatPrompt } from '../../chat/build-prompt.js';
import { decodeChatReplies, type ChatReplyEvent } from '../../generation/decode-chat-replies.js';
import { planChatOutput } from '../../chat/plan-output.js';
import { sseResponse } from '../sse.js';
import { observerFor, primed, releasedOnError, startChoices } from './choice-streams.js';
import { UsageCounter } from './collect-choices.js';
import { collectChatReplies } from './collect-chat-replies.js';
import type { RouteOptions } from './route-options.js';
import { errorMessage } from '../../base/error-message.js';
import { chatLogprobs } from '../../generation/logprob-shapes.js';
import { logIgnoredFields } from './log-ignored-fields.js';

type ChunkChoice = ChatCompletionChunk['choices'][number];

export async function handleChatCompletions(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = parseChatRequest(await parseJsonBody(request, options.maxBodyBytes));
  logIgnoredFields(api, request, body.ignoredFields);
  const { entry, engine, slot, responseName } = await selectModel(api, request, body.model, options.tokenMayNameModel);
  const { output, choiceEvents } = await releasedOnError(slot, async () => {
    const output = planChatOutput(body, entry.config);
    const plan = await buildChatPrompt(api.store, entry.config, body.messages, output.prompt);
    return { output, choiceEvents: await primed(startChoices(slot, engine, entry.config, body, [{ plan, firstIndex: 0 }], 'messages', request.signal, output, observerFor(api))) };
  });
  const events = decodeChatReplies(choiceEvents, output.toolReplies);
  const legacy = output.toolReplies?.legacy === true;
  const id = `chatcmpl-${crypto.randomUUID()}`;
  const created = api.now();

  if (!body.stream) {
    const { choices, usage } = await collectChatReplies(events, body.n, legacy, body.logprobs !== undefined);
    const response: ChatCompletion = { id, object: 'chat.completion', created, model: responseName, choices, usage };
    return Response.json(response);
  }

  const chunk = (choices: ChatCompletionChunk['choices']): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: responseName,
    choices,
    ...(body.includeUsage ? { usage: null } : {}),
  });
  return sseResponse(
    (async function* () {
      // Closing choiceEvents frees the slot and the generations even when the stream is cancelled
      // before this generator reaches them (during the role chunks).
      try {
        const counter = new UsageCounter(body.n);
        for (let index = 0; index < body.n; index++) {
          yield chunk([{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
        }
        for await (const { index, event } of events) {
          if (event.type === 'end') counter.add(index, event);
          yield chunk([toChunkChoice(index, event, legacy, body.logprobs !== undefined)]);
        }
        if (body.includeUsage) yield { ...chunk([]), usage: counter.total() };
      } finally {
        await choiceEvents.return(undefined);
      }
    })(),
    { signal: request.signal, onError: (error) => api.log('error', `chat stream failed: ${errorMessage(error)}`) },
  );
}

/** OpenAI's streamed shapes: content deltas, tool_calls deltas (id, type and name first), function_call for legacy. */
function toChunkChoice(index: number, event: ChatReplyEvent, legacy: boolean, withLogprobs: boolean): ChunkChoice {
  const base = { index, logprobs: null, finish_reason: null };
  switch (event.type) {
    case 'content':
      return { ...base, delta: { content: event.text }, ...(withLogprobs ? { logprobs: chatLogprobs(event.logprobs ?? []) } : {}) };
    case 'tool-call':
      return legacy
        ? { ...base, delta: { function_call: { name: event.name, arguments: '' } } }
        : { ...base, delta: { tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] } };
    case 'tool-arguments':
      return legacy
        ? { ...base, delta: { function_call: { arguments: event.text } } }
        : { ...base, delta: { tool_calls: [{ index: event.index, function: { arguments: event.text } }] } };
    case 'end':
      return { ...base, delta: {}, finish_reason: event.finishReason };
  }
}
