// Where things are in a YAML config file, for messages that name the line to fix: unknown keys
// (with the known key probably meant) and where each inline template's text starts.
import { isMap, isScalar, Scalar, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { TEMPLATE_KEYS, type TemplateKey, type TemplatePosition } from './model-config.js';
import { closestKey } from './localai-config-keys.js';
import { defined } from '../base/defined.js';

/** Where things are in the file: the YAML node of one config, and the file's line counter. */
export interface EntrySource {
  node: Node | undefined;
  lines: LineCounter;
  text: string;
}

export function lineOf(source: EntrySource, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : source.lines.linePos(offset).line;
}

/** The value node of `key` in a YAML map node. */
export function valueNode(map: Node | undefined, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = (map as YAMLMap<unknown, unknown>).items.find((item) => isScalar(item.key) && item.key.value === key);
  const value = pair?.value;
  return value !== null && typeof value === 'object' && 'range' in (value as object) ? (value as Node) : undefined;
}

/** A warning about one key (a ConfigProblem). */
export interface KeyWarning {
  file: string;
  name: string;
  line?: number;
  message: string;
}

/** Keys of a map node unknown to LocalAI too, each with its line and the key it probably meant. */
export function unknownKeys(map: Node | undefined, known: ReadonlySet<string>, prefix: string, source: EntrySource, where: string, file: string, name: string): KeyWarning[] {
  if (!isMap(map)) return [];
  const warnings: KeyWarning[] = [];
  for (const item of (map as YAMLMap<unknown, unknown>).items) {
    if (!isScalar(item.key) || typeof item.key.value !== 'string' || known.has(item.key.value)) continue;
    const key = item.key.value;
    const guess = closestKey(key, known);
    const hint = guess === undefined ? 'LocalAI has no such key, so it does nothing' : `did you mean '${prefix}${guess}'?`;
    warnings.push({ file, name, ...defined({ line: lineOf(source, item.key.range?.[0]) }), message: `${where}: unknown key '${prefix}${key}': ${hint}` });
  }
  return warnings;
}

/** Where each inline template's text starts in the file, so template errors can name the file's line. */
export function templatePositions(templateNode: Node | undefined, source: EntrySource): Partial<Record<TemplateKey, TemplatePosition>> {
  const positions: Partial<Record<TemplateKey, TemplatePosition>> = {};
  for (const key of TEMPLATE_KEYS) {
    const node = valueNode(templateNode, key);
    if (!isScalar(node) || node.range === undefined || node.range === null) continue;
    const start = source.lines.linePos(node.range[0]);
    if (node.type === Scalar.BLOCK_LITERAL) {
      // `chat: |` : the text starts on the next line, indented like its first line.
      const text = String(node.source ?? '');
      const firstLine = source.lines.lineStarts[start.line] ?? 0;
      const indent = /^ */.exec(sourceLine(source, firstLine))?.[0].length ?? 0;
      positions[key] = { line: start.line + 1, column: indent + 1, exact: text !== '' };
    } else {
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      // Plain and quoted text keeps its lines only when it has one; folded text is located by its start.
      positions[key] = { line: start.line, column: start.col + (quoted ? 1 : 0), exact: node.type !== Scalar.BLOCK_FOLDED };
    }
  }
  return positions;
}

function sourceLine(source: EntrySource, offset: number): string {
  const end = source.text.indexOf('\n', offset);
  return source.text.slice(offset, end < 0 ? undefined : end);
}
