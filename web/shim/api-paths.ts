// Which same-origin paths the in-tab API answers: /v1/* and LocalAI's gallery routes. Other
// /models/... paths are files the server serves (bundled .gguf models), so they are left alone.
const GALLERY_PATHS = /^\/models\/(available|galleries|apply|jobs(\/[^/]+)?|delete\/.+)$/;

/** The same set as msw patterns (every method: the router answers a wrong one with 405). */
export const API_PATTERNS: readonly string[] = ['/v1/*', '/models/available', '/models/galleries', '/models/apply', '/models/jobs', '/models/jobs/:uuid', '/models/delete/*'];

export function isApiPath(pathname: string): boolean {
  return pathname.startsWith('/v1/') || GALLERY_PATHS.test(pathname);
}
