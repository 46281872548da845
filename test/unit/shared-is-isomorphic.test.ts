// shared/ runs in the browser, in workers and in Node. Its tsconfig hides Node and DOM types; this
// catches what the WebWorker lib still lets through (worker globals) and any Node import.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/test-models.js';

const SHARED = path.join(REPO_ROOT, 'shared');
const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [/from\s+['"]node:/, 'a node: import'],
  [/\bimport\(\s*['"]node:/, 'a node: import'],
  [/\bprocess\./, 'process'],
  [/\bBuffer\b/, 'Buffer'],
  [/\b(self|postMessage|importScripts|window|document|localStorage)\b\s*[.(]/, 'a worker or DOM global'],
  [/from\s+['"](fs|path|os|http|crypto|child_process)['"]/, 'a Node built-in'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('shared/ is isomorphic', () => {
  it('uses no Node or browser-only API', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(SHARED)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, index) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const [pattern, what] of FORBIDDEN) {
          if (pattern.test(line)) offences.push(`${path.relative(REPO_ROOT, file)}:${index + 1} uses ${what}: ${line.trim()}`);
        }
      });
    }
    expect(offences).toEqual([]);
  });
});
