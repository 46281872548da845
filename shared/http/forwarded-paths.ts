// The routes whose requests for a remote model (`backend: openai`) go to its upstreams as they are.
// Others (Responses API, edits, Ollama's) would need translating, so they answer 400 for such a model.
export const FORWARDED_PATHS = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings'] as const;
