// GBNF rules for JSON values, as llama.cpp's json_schema_to_grammar writes them. Numbers and
// whitespace have bounded length, so a constrained model cannot run on inside one token class.

/** The primitive rules by name; each may refer to others in this table. */
export const JSON_PRIMITIVES: Readonly<Record<string, string>> = {
  space: '| " " | "\\n" [ \\t]{0,20}',
  boolean: '("true" | "false") space',
  'decimal-part': '[0-9]{1,16}',
  'integral-part': '[0] | [1-9] [0-9]{0,15}',
  number: '("-"? integral-part) ("." decimal-part)? ([eE] [-+]? integral-part)? space',
  'nonneg-number': 'integral-part ("." decimal-part)? ([eE] [-+]? integral-part)? space',
  integer: '("-"? integral-part) space',
  'nonneg-integer': 'integral-part space',
  value: 'object | array | string | number | boolean | null',
  object: '"{" space ( string ":" space value ("," space string ":" space value)* )? "}" space',
  array: '"[" space ( value ("," space value)* )? "]" space',
  char: '[^"\\\\\\x7F\\x00-\\x1F] | [\\\\] (["\\\\bfnrt] | "u" [0-9a-fA-F]{4})',
  string: '"\\"" char* "\\"" space',
  null: '"null" space',
};

/** Rules a primitive depends on (besides `space`, which every value rule uses). */
const DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  number: ['integral-part', 'decimal-part'],
  'nonneg-number': ['integral-part', 'decimal-part'],
  integer: ['integral-part'],
  'nonneg-integer': ['integral-part'],
  value: ['object', 'array', 'string', 'number', 'boolean', 'null'],
  object: ['string', 'value'],
  array: ['value'],
  string: ['char'],
};

/** Adds primitive `name` and everything it needs to `rules` (a name -> body map). */
export function addJsonPrimitive(rules: Map<string, string>, name: string): string {
  if (rules.has(name)) return name;
  const body = JSON_PRIMITIVES[name];
  if (body === undefined) throw new Error(`No JSON primitive named ${name}.`);
  rules.set(name, body);
  if (name !== 'space' && name !== 'char' && !name.endsWith('-part')) addJsonPrimitive(rules, 'space');
  for (const dependency of DEPENDENCIES[name] ?? []) addJsonPrimitive(rules, dependency);
  return name;
}

/** Writes rules as a grammar, `root` first. */
export function formatGrammar(rules: ReadonlyMap<string, string>): string {
  const names = [...rules.keys()].sort((a, b) => (a === 'root' ? -1 : b === 'root' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => `${name} ::= ${rules.get(name) ?? ''}`).join('\n') + '\n';
}

/** Any JSON object (OpenAI's `response_format: {"type": "json_object"}`). */
export function jsonObjectGrammar(): string {
  const rules = new Map<string, string>([['root', 'object']]);
  addJsonPrimitive(rules, 'object');
  return formatGrammar(rules);
}
