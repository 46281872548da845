import type { ChatCompletion, ChatCompletionChunk } from '../openai-types.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseChatRequest } from '../parse/parse-chat-request.js';
import { selectModel } from '../select-model.js';
import { buildChatPrompt } from '../../prompt/build-prompt.js';
import { sseResponse } from '../sse.js';
import { primed, startChoices } from './choice-streams.js';
import { collectChoices, UsageCounter } from './collect-choices.js';
import type { RouteOptions } from './route-options.js';

export async function handleChatCompletions(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = parseChatRequest(await parseJsonBody(request));
  const { entry, engine, responseName } = await selectModel(api, request, body.model, options.tokenMayNameModel);
  const plan = await buildChatPrompt(api.store, entry.config, body.messages);
  const events = await primed(startChoices(engine, entry.config, body, [{ plan, firstIndex: 0 }], 'messages', request.signal));
  const id = `chatcmpl-${crypto.randomUUID()}`;
  const created = api.now();

  if (!body.stream) {
    const { choices, usage } = await collectChoices(events, body.n, body.n);
    const response: ChatCompletion = {
      id,
      object: 'chat.completion',
      created,
      model: responseName,
      choices: choices.map((choice, index) => ({
        index,
        message: { role: 'assistant', content: choice.text, refusal: null },
        logprobs: null,
        finish_reason: choice.finishReason,
      })),
      usage,
    };
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
      const counter = new UsageCounter(body.n);
      for (let index = 0; index < body.n; index++) {
        yield chunk([{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
      }
      for await (const { index, event } of events) {
        if (event.type === 'text') {
          yield chunk([{ index, delta: { content: event.text }, logprobs: null, finish_reason: null }]);
        } else {
          counter.add(index, event);
          yield chunk([{ index, delta: {}, logprobs: null, finish_reason: event.finishReason }]);
        }
      }
      if (body.includeUsage) yield { ...chunk([]), usage: counter.total() };
    })(),
    { signal: request.signal, onError: (error) => api.log('error', `chat stream failed: ${error instanceof Error ? error.message : String(error)}`) },
  );
}
