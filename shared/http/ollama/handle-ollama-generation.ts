// POST /api/chat and /api/generate: parsed into our chat request, then the same path as
// /v1/chat/completions (admission, templates, grammars, tools, stop words), answered as Ollama's
// NDJSON stream or, with "stream": false, as the stream's chunks merged.
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { selectModel } from '../select-model.js';
import { buildChatPrompt, type PromptPlan } from '../../chat/build-prompt.js';
import { planChatOutput } from '../../chat/plan-output.js';
import { decodeChatReplies } from '../../generation/decode-chat-replies.js';
import { observerFor, primed, releasedOnError, startChoices } from '../routes/choice-streams.js';
import type { RouteOptions } from '../routes/route-options.js';
import { ndjsonResponse } from '../ndjson.js';
import { errorMessage } from '../../base/error-message.js';
import { parseOllamaChat, parseOllamaGenerate, type OllamaGeneration } from './parse-ollama-request.js';
import { collectOllamaChunks, lastChunk, ollamaChunks, type OllamaChunk, type ReplyShape } from './ollama-replies.js';
import { RequestClock } from './request-clock.js';
import { requireModelName } from './require-model-name.js';

export function createdAt(api: ApiContext): string {
  return new Date(api.now() * 1000).toISOString();
}

export async function handleOllamaGeneration(api: ApiContext, request: Request, options: RouteOptions, kind: 'chat' | 'generate'): Promise<Response> {
  const clock = new RequestClock();
  const body = await parseJsonBody(request, options.maxBodyBytes);
  const parsed = kind === 'chat' ? parseOllamaChat(body) : parseOllamaGenerate(body);
  const { chat } = parsed;
  const { entry, engine, slot, responseName } = await selectModel(api, request, requireModelName(chat.model), options.tokenMayNameModel, true);
  clock.loaded();
  const shape: ReplyShape = { kind, model: responseName, createdAt: createdAt(api), timings: (counts) => clock.timings(counts) };

  if (parsed.loadOnly) {
    slot.release();
    if (parsed.unloadAfter) await api.models.unloadWhenIdle(entry.name, 'keep_alive 0');
    return answer(parsed, (async function* () {
      yield lastChunk(shape, parsed.unloadAfter ? 'unload' : 'load');
    })(), api, request);
  }

  const { output, choiceEvents } = await releasedOnError(slot, async () => {
    const output = planChatOutput(chat, entry.config);
    const plan: PromptPlan = parsed.rawPrompt !== undefined ? { kind: 'text', prompt: parsed.rawPrompt } : await buildChatPrompt(api.store, entry.config, chat.messages, output.prompt);
    const jobs = [{ plan, firstIndex: 0 }];
    return { output, choiceEvents: await primed(startChoices(slot, engine, entry.config, { ...chat, n: 1 }, jobs, kind === 'chat' ? 'messages' : 'prompt', request.signal, output, observerFor(api))) };
  });
  clock.firstToken();
  const chunks = ollamaChunks(decodeChatReplies(choiceEvents, output.toolReplies), shape);
  // keep_alive 0: the model leaves memory once this reply is done (its slot is released by then).
  const unloading = async function* (): AsyncGenerator<OllamaChunk> {
    try {
      yield* chunks;
    } finally {
      // Frees the slot and the generation however the reply ended (collected, streamed, cancelled).
      await choiceEvents.return(undefined);
      if (parsed.unloadAfter) await api.models.unloadWhenIdle(entry.name, 'keep_alive 0');
    }
  };
  return answer(parsed, unloading(), api, request);
}

async function answer(parsed: OllamaGeneration, chunks: AsyncGenerator<OllamaChunk>, api: ApiContext, request: Request): Promise<Response> {
  if (!parsed.stream) return Response.json(await collectOllamaChunks(chunks));
  return ndjsonResponse(chunks, { signal: request.signal, onError: (error) => api.log('error', `ollama stream failed: ${errorMessage(error)}`) });
}
