import type { Edit } from '../../base/openai-types.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseEditRequest } from '../parse/parse-edit-request.js';
import { selectModel } from '../select-model.js';
import { buildEditPrompt } from '../../chat/build-prompt.js';
import { observerFor, primed, releasedOnError, startChoices } from './choice-streams.js';
import { collectChoices } from './collect-choices.js';
import type { RouteOptions } from './route-options.js';

/** OpenAI's edits endpoint has no streaming form; `stream` is ignored as LocalAI does. */
export async function handleEdits(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = parseEditRequest(await parseJsonBody(request, options.maxBodyBytes));
  const { entry, engine, slot, responseName } = await selectModel(api, request, body.model, options.tokenMayNameModel);
  const events = await releasedOnError(slot, async () => {
    const plan = await buildEditPrompt(api.store, entry.config, body.instruction, body.input);
    return primed(startChoices(slot, engine, entry.config, body, [{ plan, firstIndex: 0 }], 'input', request.signal, {}, observerFor(api)));
  });
  const { choices, usage } = await collectChoices(events, body.n, body.n);
  const response: Edit = {
    object: 'edit',
    created: api.now(),
    model: responseName,
    choices: choices.map((choice, index) => ({ index, text: choice.text, finish_reason: choice.finishReason })),
    usage,
  };
  return Response.json(response);
}
