// The JS a built page loads before any dynamic import: its module script and modulepreloads, plus
// every chunk those import statically. Shared by bench/initial-js-size.ts and its regression test.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  /** Chunk files (relative to the build folder), in the order found. */
  files: string[];
  bytes: number;
  gzipBytes: number;
}

const PAGE_SCRIPTS = /<(?:script[^>]*\btype="module"[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g;
// `import{a as b}from"./x.js"`, `import"./x.js"`, `export{a}from"./x.js"`; never `import("./x.js")`.
const STATIC_IMPORTS = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+\.js)["']/g;

/** Follows `page` (an .html file in `buildDir`) to the JS it loads up front, and sizes it. */
export async function initialJs(buildDir: string, page = 'index.html'): Promise<InitialJs> {
  const html = await readFile(path.join(buildDir, page), 'utf8');
  const pending = [...html.matchAll(PAGE_SCRIPTS)].map((m) => resolveUrl(buildDir, path.join(buildDir, page), m[1] as string));
  const seen = new Set<string>();
  let bytes = 0;
  let gzipBytes = 0;
  for (let file = pending.shift(); file !== undefined; file = pending.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const code = await readFile(file);
    bytes += code.length;
    gzipBytes += gzipSync(code, { level: 9 }).length;
    for (const m of code.toString('utf8').matchAll(STATIC_IMPORTS)) pending.push(resolveUrl(buildDir, file, m[1] as string));
  }
  return { files: [...seen].map((f) => path.relative(buildDir, f)), bytes, gzipBytes };
}

/** A URL as written in `from` (absolute from the site root, or relative to `from`) as a file path. */
function resolveUrl(buildDir: string, from: string, url: string): string {
  return url.startsWith('/') ? path.join(buildDir, url) : path.resolve(path.dirname(from), url);
}
