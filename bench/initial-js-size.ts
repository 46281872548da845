// The app's initial JS: what index.html loads before the first chat (its module script, preloads
// and their static imports; wasm, workers and dynamic imports excluded), minified and gzipped.
//
//   npx tsx bench/initial-js-size.ts        (builds dist/web first)
import path from 'node:path';
import buildWeb from '../test/browser/build-web.js';
import { initialJs } from './initial-js.js';

const KIB = 1024;
await buildWeb();
const result = await initialJs(path.resolve(import.meta.dirname, '../dist/web'));
console.log(
  `initial JS of index.html: ${(result.gzipBytes / KIB).toFixed(1)} KiB gzipped, ${(result.bytes / KIB).toFixed(1)} KiB minified, ${result.files.length} files (${result.files.join(', ')})`,
);
