// Fields nobody here knows are ignored, as OpenAI-compatible servers do; their names (never their
// values, which may hold user data) go to the debug log, so an operator can see what a client sends.
import type { ApiContext } from '../api-context.js';

export function logIgnoredFields(api: ApiContext, request: Request, fields: readonly string[]): void {
  if (fields.length === 0) return;
  api.log('debug', `${request.method} ${new URL(request.url).pathname}: ignored unknown fields ${fields.join(', ')}`);
}
