import type { TextCompletion, TextCompletionChunk } from '../../base/openai-types.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseCompletionRequest } from '../parse/parse-completion-request.js';
import { selectModel } from '../select-model.js';
import { planConstrainedOutput } from '../../chat/plan-output.js';
import { buildCompletionPrompt } from '../../chat/build-prompt.js';
import { sseResponse } from '../sse.js';
import { observerFor, primed, releasedOnError, startChoices } from './choice-streams.js';
import { collectChoices, UsageCounter } from './collect-choices.js';
import type { RouteOptions } from './route-options.js';
import { errorMessage } from '../../base/error-message.js';
import type { TokenLogprob } from '../../engine/engine.js';
import { completionLogprobs } from '../../generation/logprob-shapes.js';
import { logIgnoredFields } from './log-ignored-fields.js';

export async function handleCompletions(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = parseCompletionRequest(await parseJsonBody(request, options.maxBodyBytes));
  logIgnoredFields(api, request, body.ignoredFields);
  const { entry, engine, slot, responseName } = await selectModel(api, request, body.model, options.tokenMayNameModel);
  const events = await releasedOnError(slot, async () => {
    const output = planConstrainedOutput(body.grammar, body.responseFormat, body.grammarParam);
    const jobs = await Promise.all(
      body.prompts.map(async (prompt, p) => ({
        plan: { kind: 'text' as const, prompt: await buildCompletionPrompt(api.store, entry.config, prompt) },
        firstIndex: p * body.n,
      })),
    );
    return primed(startChoices(slot, engine, entry.config, body, jobs, 'prompt', request.signal, output, observerFor(api)));
  });
  const id = `cmpl-${crypto.randomUUID()}`;
  const created = api.now();
  const choiceCount = body.prompts.length * body.n;
  // `echo` repeats the prompt as the client sent it, before any template.
  const echoOf = (index: number): string => (body.echo ? (body.prompts[Math.floor(index / body.n)] ?? '') : '');
  const withLogprobs = body.logprobs !== undefined;

  if (!body.stream) {
    const { choices, usage } = await collectChoices(events, choiceCount, body.n);
    const response: TextCompletion = {
      id,
      object: 'text_completion',
      created,
      model: responseName,
      choices: choices.map((choice, index) => ({
        index,
        text: echoOf(index) + choice.text,
        logprobs: withLogprobs ? completionLogprobs(choice.logprobs, echoOf(index).length) : null,
        finish_reason: choice.finishReason,
      })),
      usage,
    };
    return Response.json(response);
  }

  // Where each choice's next text starts, for the streamed `text_offset`s.
  const offsets = Array.from({ length: choiceCount }, (_, index) => echoOf(index).length);
  const chunk = (
    index: number,
    text: string,
    finishReason: TextCompletionChunk['choices'][number]['finish_reason'],
    logprobs?: TokenLogprob[],
  ): TextCompletionChunk => ({
    id,
    object: 'text_completion',
    created,
    model: responseName,
    choices: [{ index, text, logprobs: withLogprobs && logprobs !== undefined ? completionLogprobs(logprobs, offsets[index] ?? 0) : null, finish_reason: finishReason }],
    ...(body.includeUsage ? { usage: null } : {}),
  });
  return sseResponse(
    (async function* () {
      // Closing events frees the slot and the generations even when the stream is cancelled
      // during the echo chunks, before this generator reaches them.
      try {
        const counter = new UsageCounter(body.n);
        if (body.echo) for (let index = 0; index < choiceCount; index++) yield chunk(index, echoOf(index), null);
        for await (const { index, event } of events) {
          if (event.type === 'text') {
            const piece = chunk(index, event.text, null, event.logprobs ?? []);
            offsets[index] = (offsets[index] ?? 0) + (event.logprobs ?? []).reduce((sum, entry) => sum + entry.token.length, 0);
            yield piece;
          }
          else {
            counter.add(index, event);
            yield chunk(index, '', event.finishReason);
          }
        }
        if (body.includeUsage) yield { id, object: 'text_completion', created, model: responseName, choices: [], usage: counter.total() };
      } finally {
        await events.return(undefined);
      }
    })(),
    { signal: request.signal, onError: (error) => api.log('error', `completion stream failed: ${errorMessage(error)}`) },
  );
}
