// shared/ is layered: a folder may import from its own layer or a lower one, never a higher one,
// and neither folders nor files may import each other in a cycle. New folders must be placed here.
import { describe, expect, it } from 'vitest';
import { findCycle, readImportGraph, type ImportGraph } from '../fixtures/import-graph.js';
import { REPO_ROOT } from '../fixtures/test-models.js';

/** Lowest first. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['base'], // errors, logging, field readers, OpenAI wire types
  ['engine', 'template', 'grammar', 'downloads', 'hash'],
  ['convert'], // legacy model files (GGML, rwkv.cpp) to GGUF, streamed
  ['models'], // configs, the models store and manager, model selection rules
  ['chat'], // prompts and tools
  ['generation'], // running generations, stop words, replies
  ['galleries'], // installs from galleries and the hub
  ['upstreams'], // remote models: forwarding to OpenAI-compatible servers, their health and balancing
  ['http'], // the router, routes, request parsing, SSE, CORS, API keys
];

const folderOf = (file: string): string => file.split('/')[1] ?? '';
const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

/** Every import that breaks the layering, as "from -> to: why". */
function layeringOffences(graph: ImportGraph): string[] {
  const offences: string[] = [];
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    if (layerOf(from) < 0) offences.push(`${file}: folder shared/${from} is in no layer`);
    for (const target of targets) {
      if (!target.startsWith('shared/')) {
        offences.push(`${file} -> ${target}: shared/ imports only from shared/`);
        continue;
      }
      const to = folderOf(target);
      if (layerOf(to) > layerOf(from)) offences.push(`${file} -> ${target}: ${from} is below ${to}`);
    }
  }
  return offences;
}

function folderGraph(graph: ImportGraph): Map<string, string[]> {
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, edges);
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges]]));
}

describe('shared/ layers', () => {
  const graph = readImportGraph(REPO_ROOT, 'shared');

  it('reads the imports (the check is not vacuous)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('shared/http/create-api-router.ts')).toContain('shared/base/api-error.ts');
  });

  it('no folder imports from a higher layer', () => {
    expect(layeringOffences(graph)).toEqual([]);
  });

  it('no two folders import each other, directly or through others', () => {
    expect(findCycle(folderGraph(graph))).toBeUndefined();
  });

  it('no import cycle between files', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('catches a reverse import and a cycle (the checks can fail)', () => {
    const reversed = new Map(graph);
    reversed.set('shared/base/api-error.ts', [...(graph.get('shared/base/api-error.ts') ?? []), 'shared/http/sse.ts']);
    expect(layeringOffences(reversed)).toContain('shared/base/api-error.ts -> shared/http/sse.ts: base is below http');
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
  });
});
