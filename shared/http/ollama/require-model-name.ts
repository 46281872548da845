// Ollama routes name their model: there is no first-model default as on LocalAI's OpenAI routes,
// and an unknown name is a 404 (selectModel with exactName), so that clients offer to pull it.
import { ApiError } from '../../base/api-error.js';

export function requireModelName(name: string | undefined): string {
  if (name === undefined) throw new ApiError('invalid_request', "'model' is required.", { param: 'model', code: 'missing_required_parameter' });
  return name;
}
