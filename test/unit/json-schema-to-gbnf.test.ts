import { describe, expect, it } from 'vitest';
import { jsonObjectGrammar } from '../../shared/grammar/gbnf-json.js';
import { jsonSchemaToGbnf } from '../../shared/grammar/json-schema-to-gbnf.js';
import { SchemaError } from '../../shared/grammar/schema-error.js';
import { findGbnfError } from '../../shared/grammar/validate-gbnf.js';
import { toolCallGrammar } from '../../shared/chat/tool-call-grammar.js';
import { SUPPORTED_SCHEMAS } from '../fixtures/json-schemas.js';


function schemaError(schema: unknown): SchemaError {
  try {
    jsonSchemaToGbnf(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return error as SchemaError;
  }
  throw new Error('expected a SchemaError');
}

describe('jsonSchemaToGbnf', () => {
  it.each(SUPPORTED_SCHEMAS)('writes valid GBNF: $name', ({ schema }) => {
    const grammar = jsonSchemaToGbnf(schema);
    expect(grammar.startsWith('root ::= ')).toBe(true);
    expect(findGbnfError(grammar)).toBeUndefined();
  });

  it('bounds string lengths and writes required properties first in order', () => {
    const grammar = jsonSchemaToGbnf({ type: 'object', properties: { name: { type: 'string', maxLength: 8 } }, required: ['name'] });
    expect(grammar).toContain('root-name ::= "\\"" char{0,8} "\\"" space');
    expect(grammar).toContain('root ::= "{" space root-name-kv "}" space');
  });

  it.each([
    [{ type: 'string', pattern: '^a$' }, 'pattern', ''],
    [{ type: 'object', properties: { a: { allOf: [] } } }, 'allOf', '/properties/a'],
    [{ type: 'number', minimum: -3 }, 'minimum', '/minimum'],
    [{ type: 'array', uniqueItems: true }, 'uniqueItems', ''],
    [{ type: 'text' }, 'type', '/type'],
    [{ $ref: 'https://example.com/s.json' }, '$ref', '/$ref'],
    [{ $ref: '#/$defs/missing' }, 'missing', '/$ref'],
    [{ type: 'object', properties: {}, required: ['x'] }, 'required', '/required'],
    [{ type: 'string', maxLength: 100000 }, 'maxLength', '/maxLength'],
    [{ type: 'array', minItems: 3, maxItems: 1 }, 'maxItems', ''],
  ])('refuses %j naming %s', (schema, keyword, path) => {
    const error = schemaError(schema);
    expect(error.message).toContain(keyword);
    expect(error.path).toBe(path);
  });

  it('json_object and tool-call grammars are valid GBNF', () => {
    expect(findGbnfError(jsonObjectGrammar())).toBeUndefined();
    const tools = [{ name: 'f', parameters: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] } }, { name: 'g', parameters: { type: 'object' } }];
    for (const content of [{ kind: 'none' as const }, { kind: 'text' as const }, { kind: 'schema' as const, schema: { type: 'object', properties: { x: { type: 'string' } } } }]) {
      expect(findGbnfError(toolCallGrammar(tools, { parallel: true, content }))).toBeUndefined();
    }
  });
});

describe('findGbnfError', () => {
  it.each([
    ['root ::= "a" | foo', /Undefined rule identifier 'foo'/],
    ['root ::= "a\\q"', /unknown escape/],
    ['root ::= ( "a" ', /expecting '\)'/],
    ['item ::= "a"', /'root'/],
    ['root ::= * "a"', /expecting an item/],
    ['root ::= "a"{3,1}', /below m/],
    ['root = "a"', /'::='/],
    ['', /no rules/],
  ])('%j is invalid', (grammar, reason) => {
    expect(findGbnfError(grammar)).toMatch(reason);
  });

  it('like llama.cpp, ends a rule at a newline unless an alternate or group continues it', () => {
    expect(findGbnfError('root ::= "a"\n  | "b"')).toMatch(/expecting name/);
  });

  it('accepts comments, multi-line alternates, classes, repetitions and any-char', () => {
    expect(findGbnfError('# c\nroot ::= a |\n  [^"\\\\\\x00-\\x1F]{2,} .?\na ::= "x"+ ( "y" | [a-z] )*\n')).toBeUndefined();
  });
});
