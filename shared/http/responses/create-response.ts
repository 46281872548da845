// POST /v1/responses: the Responses API on the chat generation path (same prompts, templates, stop
// words, grammars, tools and admission), answered as a response object or its typed event stream.
import { errorMessage } from '../../base/error-message.js';
import { buildChatPrompt } from '../../chat/build-prompt.js';
import { planChatOutput } from '../../chat/plan-output.js';
import type { PromptMessage } from '../../chat/prompt-message.js';
import { decodeChatReplies } from '../../generation/decode-chat-replies.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { observerFor, primed, releasedOnError, startChoices } from '../routes/choice-streams.js';
import type { RouteOptions } from '../routes/route-options.js';
import { selectModel } from '../select-model.js';
import { sseResponse } from '../sse.js';
import { parseInputItems } from './parse-input-items.js';
import { parseResponsesRequest, type ResponsesRequest } from './parse-responses-request.js';
import { ResponseEvents } from './response-events.js';
import type { ResponseStore } from './response-store.js';
import type { ResponseObject, ResponseStreamEvent } from './response-types.js';

function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '')}`;
}

export async function handleCreateResponse(api: ApiContext, store: ResponseStore, request: Request, options: RouteOptions): Promise<Response> {
  const body = parseResponsesRequest(await parseJsonBody(request, options.maxBodyBytes));
  // Checked before admission: an unknown id is the client's mistake, not worth a slot.
  const earlier = body.previousResponseId === undefined ? [] : continued(store, body.previousResponseId);
  const conversation = [...earlier, ...body.input];
  const messages: PromptMessage[] = body.instructions === undefined ? conversation : [{ role: 'system', content: body.instructions }, ...conversation];

  const { entry, engine, slot, responseName } = await selectModel(api, request, body.generation.model, options.tokenMayNameModel);
  const { output, choiceEvents } = await releasedOnError(slot, async () => {
    const output = planChatOutput(body.output, entry.config);
    const plan = await buildChatPrompt(api.store, entry.config, messages, output.prompt);
    const jobs = [{ plan, firstIndex: 0 }];
    return { output, choiceEvents: await primed(startChoices(slot, engine, entry.config, body.generation, jobs, 'input', request.signal, output, observerFor(api))) };
  });
  const replies = decodeChatReplies(choiceEvents, output.toolReplies);
  const writer = new ResponseEvents(skeleton(body, newId('resp'), responseName, api.now()), newId, () => api.now());
  const keep = (response: ResponseObject): void => {
    if (body.store) store.put({ response, conversation });
  };

  const events = (async function* (): AsyncGenerator<ResponseStreamEvent> {
    // Closing choiceEvents frees the slot and the generations even when the stream is cancelled
    // during the first events, before `replies` was started (closing it then would not reach them).
    try {
      yield* writer.start();
      for await (const { event } of replies) yield* writer.push(event);
      keep(writer.response);
    } finally {
      await choiceEvents.return(undefined);
    }
  })();
  if (!body.generation.stream) {
    for await (const _ of events) {
      // Collected: only the finished response is sent.
    }
    return Response.json(writer.response);
  }
  return sseResponse(events, { typed: true, signal: request.signal, onError: (error) => api.log('error', `responses stream failed: ${errorMessage(error)}`) });
}

/** The conversation a stored response continues: what led to it, then its own output. */
function continued(store: ResponseStore, id: string): PromptMessage[] {
  const { response, conversation } = store.previous(id);
  return [...conversation, ...parseInputItems(response.output, 'previous_response_id')];
}

function skeleton(body: ResponsesRequest, id: string, model: string, createdAt: number): ResponseObject {
  const { generation, echo } = body;
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status: 'in_progress',
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: generation.maxTokens ?? null,
    metadata: body.metadata ?? null,
    model,
    output: [],
    output_text: '',
    parallel_tool_calls: echo.parallel,
    previous_response_id: body.previousResponseId ?? null,
    store: body.store,
    temperature: generation.sampling.temperature ?? null,
    text: { format: echo.format },
    tool_choice: echo.toolChoice,
    tools: echo.tools,
    top_p: generation.sampling.topP ?? null,
  };
}
