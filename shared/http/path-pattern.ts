// Route paths are written in Hono's pattern syntax (`/models/jobs/:uuid`, `:name{.+}`). The shim
// and the sidecar's static fallback must know which URL paths those patterns cover without
// mounting a router, and msw wants its own spelling of them.

const PARAM = /^:[A-Za-z_]\w*(?:\{(.+)\})?$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A RegExp matching exactly the URL paths a Hono pattern matches (`:x` one segment, `:x{re}` by `re`, `*` anything). */
export function pathPatternRegExp(pattern: string): RegExp {
  const segments = pattern.split('/').map((segment) => {
    if (segment === '*') return '.*';
    const param = PARAM.exec(segment);
    if (param === null) return escapeRegExp(segment);
    return param[1] === undefined ? '[^/]+' : `(?:${param[1]})`;
  });
  return new RegExp(`^${segments.join('/')}$`);
}

/** msw's spelling: `:x` stays, `:x{re}` becomes `*` (msw has no per-parameter patterns). */
export function mswPattern(pattern: string): string {
  return pattern
    .split('/')
    .map((segment) => (PARAM.exec(segment)?.[1] === undefined ? segment : '*'))
    .join('/');
}
