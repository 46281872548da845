// JSON Schema -> GBNF, after llama.cpp's json_schema_to_grammar: every output the grammar allows
// is JSON that validates against the schema. Keywords that a grammar cannot enforce here (pattern,
// allOf, not, ...) are refused with a SchemaError naming them, never silently ignored.
import { addJsonPrimitive, formatGrammar } from './gbnf-json.js';
import { gbnfClassChar, gbnfLiteral } from './gbnf-literal.js';
import { SchemaError } from './schema-error.js';

type Schema = Record<string, unknown>;

/** Keywords that constrain values in ways this converter cannot express. */
const UNSUPPORTED = [
  'pattern', 'patternProperties', 'allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas',
  'dependencies', 'uniqueItems', 'contains', 'multipleOf', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems',
  'minProperties', 'maxProperties', 'exclusiveMaximum', 'exclusiveMinimum',
] as const;
const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);
/** Repetition bounds llama.cpp expands into rules; larger ones would make huge grammars. */
export const MAX_REPETITION = 1000;
/** Integer ranges up to this size are spelled out as alternatives. */
const MAX_ENUMERATED_RANGE = 256;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Builds GBNF rules for one or more schemas into a shared rule map. */
export class JsonSchemaConverter {
  readonly rules = new Map<string, string>();
  readonly #refRules = new Map<string, string>();
  #root: Schema = {};

  /** Adds rules for `schema` and returns the name of the rule matching it. */
  convert(schema: unknown, name: string): string {
    if (schema === true) schema = {};
    if (!isSchema(schema)) throw new SchemaError('', 'A JSON schema must be an object');
    this.#root = schema;
    this.#refRules.clear();
    return this.#visit(schema, name, '');
  }

  #addRule(name: string, body: string): string {
    const base = name.replace(/[^a-zA-Z0-9-]+/g, '-') || 'rule';
    let key = base;
    for (let i = 0; this.rules.has(key) && this.rules.get(key) !== body; i++) key = `${base}${i}`;
    this.rules.set(key, body);
    return key;
  }

  #visit(schema: Schema | boolean, name: string, path: string): string {
    if (schema === true) return addJsonPrimitive(this.rules, 'value');
    if (schema === false) throw new SchemaError(path, 'The schema `false` allows no value at all');
    for (const keyword of UNSUPPORTED) {
      if (Object.hasOwn(schema, keyword)) throw new SchemaError(path, `The JSON schema keyword "${keyword}" is not supported`);
    }
    const ruleName = name === '' ? 'root' : name;
    if (schema['$ref'] !== undefined) return this.#visitRef(schema['$ref'], ruleName, path);
    if (schema['const'] !== undefined) return this.#addRule(ruleName, `${this.#jsonLiteral(schema['const'])} space`);
    if (schema['enum'] !== undefined) return this.#visitEnum(schema['enum'], ruleName, path);
    const alternatives = schema['anyOf'] ?? schema['oneOf'];
    if (alternatives !== undefined) {
      const keyword = schema['anyOf'] !== undefined ? 'anyOf' : 'oneOf';
      if (!Array.isArray(alternatives) || alternatives.length === 0) {
        throw new SchemaError(pointer(path, keyword), `"${keyword}" must be a non-empty list of schemas`);
      }
      const names = alternatives.map((alt, i) => this.#visitChild(alt, `${ruleName}-${i}`, pointer(pointer(path, keyword), i)));
      return this.#addRule(ruleName, names.join(' | '));
    }
    const type = schema['type'];
    if (Array.isArray(type)) {
      if (type.length === 0) throw new SchemaError(pointer(path, 'type'), '"type" must not be an empty list');
      const names = type.map((t, i) => this.#visit({ ...schema, type: t }, `${ruleName}-${String(t)}`, pointer(pointer(path, 'type'), i)));
      return this.#addRule(ruleName, names.join(' | '));
    }
    if (type !== undefined && (typeof type !== 'string' || !TYPES.has(type))) {
      throw new SchemaError(pointer(path, 'type'), `"type" ${JSON.stringify(type)} is not a JSON schema type (${[...TYPES].join(', ')})`);
    }
    if (type === 'object' || (type === undefined && (schema['properties'] !== undefined || schema['additionalProperties'] !== undefined))) {
      return this.#addRule(ruleName, this.#objectBody(schema, ruleName, path));
    }
    if (type === 'array' || (type === undefined && (schema['items'] !== undefined || schema['prefixItems'] !== undefined))) {
      return this.#addRule(ruleName, this.#arrayBody(schema, ruleName, path));
    }
    if (type === 'string') return this.#visitString(schema, ruleName, path);
    if (type === 'integer' || type === 'number') return this.#visitNumber(schema, type, ruleName, path);
    if (type === 'boolean' || type === 'null') return this.#alias(ruleName, addJsonPrimitive(this.rules, type));
    return this.#alias(ruleName, addJsonPrimitive(this.rules, 'value'));
  }

  #visitChild(schema: unknown, name: string, path: string): string {
    if (typeof schema === 'boolean') return this.#visit(schema, name, path);
    if (!isSchema(schema)) throw new SchemaError(path, 'Expected a schema (an object)');
    return this.#visit(schema, name, path);
  }

  /** The root rule must be named `root`; other names can point straight at a primitive. */
  #alias(ruleName: string, primitive: string): string {
    return ruleName === 'root' ? this.#addRule('root', primitive) : primitive;
  }

  #visitRef(ref: unknown, ruleName: string, path: string): string {
    const match = typeof ref === 'string' ? /^#\/(\$defs|definitions)\/(.+)$/.exec(ref) : null;
    if (match === null) {
      throw new SchemaError(pointer(path, '$ref'), `"$ref" ${JSON.stringify(ref)} is not supported: only local references like "#/$defs/Name" are`);
    }
    const refString = ref as string;
    const existing = this.#refRules.get(refString);
    if (existing !== undefined) return ruleName === 'root' ? this.#addRule('root', existing) : existing;
    const defs = this.#root[match[1] ?? '$defs'];
    const key = (match[2] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
    const target = isSchema(defs) ? defs[key] : undefined;
    if (target === undefined) throw new SchemaError(pointer(path, '$ref'), `"$ref" ${JSON.stringify(ref)} names no definition in the schema`);
    // Reserve the name first so recursive references resolve to it.
    const name = this.#addRule(`ref-${key}`, '""');
    this.#refRules.set(refString, name);
    const body = this.#visitChild(target, `${name}-def`, `#/${match[1]}/${key}`);
    this.rules.set(name, body);
    return ruleName === 'root' ? this.#addRule('root', name) : name;
  }

  #visitEnum(values: unknown, ruleName: string, path: string): string {
    if (!Array.isArray(values) || values.length === 0) throw new SchemaError(pointer(path, 'enum'), '"enum" must be a non-empty list');
    addJsonPrimitive(this.rules, 'space');
    return this.#addRule(ruleName, `(${values.map((v) => this.#jsonLiteral(v)).join(' | ')}) space`);
  }

  #jsonLiteral(value: unknown): string {
    addJsonPrimitive(this.rules, 'space');
    return gbnfLiteral(JSON.stringify(value) ?? 'null');
  }

  #count(schema: Schema, key: string, path: string): number | undefined {
    const value = schema[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new SchemaError(pointer(path, key), `"${key}" must be a non-negative integer`);
    }
    if (value > MAX_REPETITION) throw new SchemaError(pointer(path, key), `"${key}" above ${MAX_REPETITION} is not supported`);
    return value;
  }

  #visitString(schema: Schema, ruleName: string, path: string): string {
    const min = this.#count(schema, 'minLength', path) ?? 0;
    const max = this.#count(schema, 'maxLength', path);
    if (max !== undefined && max < min) throw new SchemaError(path, `"maxLength" (${max}) is less than "minLength" (${min})`);
    if (min === 0 && max === undefined) return this.#alias(ruleName, addJsonPrimitive(this.rules, 'string'));
    addJsonPrimitive(this.rules, 'char');
    addJsonPrimitive(this.rules, 'space');
    return this.#addRule(ruleName, `"\\"" ${repetition('char', min, max)} "\\"" space`);
  }

  #visitNumber(schema: Schema, type: 'integer' | 'number', ruleName: string, path: string): string {
    const bound = (key: string): number | undefined => {
      const value = schema[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new SchemaError(pointer(path, key), `"${key}" must be a number`);
      return value;
    };
    const min = bound('minimum');
    const max = bound('maximum');
    if (min === undefined && max === undefined) return this.#alias(ruleName, addJsonPrimitive(this.rules, type));
    if (min !== undefined && max !== undefined && max < min) throw new SchemaError(path, `"maximum" (${max}) is less than "minimum" (${min})`);
    if (type === 'integer' && min !== undefined && max !== undefined && Math.floor(max) - Math.ceil(min) < MAX_ENUMERATED_RANGE) {
      const values = Array.from({ length: Math.floor(max) - Math.ceil(min) + 1 }, (_, i) => String(Math.ceil(min) + i));
      addJsonPrimitive(this.rules, 'space');
      return this.#addRule(ruleName, `(${values.map(gbnfLiteral).join(' | ')}) space`);
    }
    if (min === 0 && max === undefined) return this.#alias(ruleName, addJsonPrimitive(this.rules, `nonneg-${type}`));
    const keyword = max === undefined ? 'minimum' : 'maximum';
    throw new SchemaError(
      pointer(path, keyword),
      `The JSON schema keyword "${keyword}" is supported only as minimum 0 or as an integer range of at most ${MAX_ENUMERATED_RANGE} values`,
    );
  }

  #arrayBody(schema: Schema, ruleName: string, path: string): string {
    const min = this.#count(schema, 'minItems', path) ?? 0;
    const max = this.#count(schema, 'maxItems', path);
    if (max !== undefined && max < min) throw new SchemaError(path, `"maxItems" (${max}) is less than "minItems" (${min})`);
    addJsonPrimitive(this.rules, 'space');
    const prefix = schema['prefixItems'];
    if (prefix !== undefined) {
      if (!Array.isArray(prefix)) throw new SchemaError(pointer(path, 'prefixItems'), '"prefixItems" must be a list of schemas');
      if (schema['items'] !== undefined && schema['items'] !== false) {
        throw new SchemaError(pointer(path, 'items'), '"items" together with "prefixItems" is not supported');
      }
      const names = prefix.map((item, i) => this.#visitChild(item, `${ruleName}-${i}`, pointer(pointer(path, 'prefixItems'), i)));
      if (names.length < min || (max !== undefined && names.length > max)) {
        throw new SchemaError(path, '"minItems"/"maxItems" that differ from the "prefixItems" length are not supported');
      }
      return `"[" space ${names.join(' "," space ')} "]" space`;
    }
    const items = schema['items'];
    const item = items === undefined ? addJsonPrimitive(this.rules, 'value') : this.#visitChild(items, `${ruleName}-item`, pointer(path, 'items'));
    if (max === 0) return '"[" space "]" space';
    const rest = repetition(`("," space ${item})`, Math.max(0, min - 1), max === undefined ? undefined : max - 1);
    const list = `${item}${rest === '' ? '' : ` ${rest}`}`;
    return `"[" space ${min === 0 ? `( ${list} )?` : list} "]" space`;
  }

  #objectBody(schema: Schema, ruleName: string, path: string): string {
    const properties = schema['properties'] ?? {};
    if (!isSchema(properties)) throw new SchemaError(pointer(path, 'properties'), '"properties" must be an object');
    const requiredList = schema['required'] ?? [];
    if (!Array.isArray(requiredList) || requiredList.some((key) => typeof key !== 'string')) {
      throw new SchemaError(pointer(path, 'required'), '"required" must be a list of property names');
    }
    const required = new Set(requiredList as string[]);
    const additional = schema['additionalProperties'];
    addJsonPrimitive(this.rules, 'space');
    const names = Object.keys(properties);
    const kvRules = new Map<string, string>();
    for (const key of names) {
      const value = this.#visitChild(properties[key], `${ruleName}-${key}`, pointer(pointer(path, 'properties'), key));
      kvRules.set(key, this.#addRule(`${ruleName}-${key}-kv`, `${gbnfLiteral(JSON.stringify(key))} space ":" space ${value}`));
    }
    for (const key of required) {
      if (!kvRules.has(key)) throw new SchemaError(pointer(path, 'required'), `"required" names "${key}", which is not in "properties"`);
    }
    const requiredKeys = names.filter((key) => required.has(key));
    const optionalKeys = names.filter((key) => !required.has(key));
    // Without "properties", a plain {"type": "object"} is any object, as in llama.cpp.
    const allowsExtra = additional === true || isSchema(additional) || (additional === undefined && names.length === 0);
    if (allowsExtra) {
      const value = isSchema(additional) ? this.#visitChild(additional, `${ruleName}-additional-value`, pointer(path, 'additionalProperties')) : addJsonPrimitive(this.rules, 'value');
      const key = names.length === 0 ? addJsonPrimitive(this.rules, 'string') : this.#addRule(`${ruleName}-additional-k`, this.#notStrings(names));
      kvRules.set('*', this.#addRule(`${ruleName}-additional-kv`, `${key} ":" space ${value}`));
      optionalKeys.push('*');
    } else if (additional !== undefined && additional !== false) {
      throw new SchemaError(pointer(path, 'additionalProperties'), '"additionalProperties" must be true, false or a schema');
    }
    let body = `"{" space ${requiredKeys.map((key) => kvRules.get(key)).join(' "," space ')}`;
    if (optionalKeys.length > 0) {
      const chain = (keys: string[], firstIsOptional: boolean): string => {
        const [key, ...rest] = keys as [string, ...string[]];
        const kv = kvRules.get(key) ?? '';
        const comma = `( "," space ${kv} )`;
        let result = firstIsOptional ? `${comma}${key === '*' ? '*' : '?'}` : `${kv}${key === '*' ? ` ${comma}*` : ''}`;
        if (rest.length > 0) result += ` ${this.#addRule(`${ruleName}-${key === '*' ? 'additional' : key}-rest`, chain(rest, true))}`;
        return result;
      };
      const choices = optionalKeys.map((_, i) => chain(optionalKeys.slice(i), false)).join(' | ');
      body += requiredKeys.length > 0 ? ` ( "," space ( ${choices} ) )?` : ` ( ${choices} )?`;
    }
    return `${body} "}" space`;
  }

  /** A JSON string that is none of `strings` (keys for additionalProperties beside declared ones). */
  #notStrings(strings: readonly string[]): string {
    interface Node { children: Map<string, Node>; end: boolean }
    const trie: Node = { children: new Map(), end: false };
    for (const text of strings) {
      let node = trie;
      for (const char of text) {
        let child = node.children.get(char);
        if (child === undefined) node.children.set(char, (child = { children: new Map(), end: false }));
        node = child;
      }
      node.end = true;
    }
    const char = addJsonPrimitive(this.rules, 'char');
    const visit = (node: Node): string => {
      const parts: string[] = [];
      const rejects: string[] = [];
      for (const [c, child] of [...node.children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        rejects.push(gbnfClassChar(c));
        // A key that is a proper prefix of a declared one is allowed, unless it is declared itself.
        if (child.children.size > 0) parts.push(`[${gbnfClassChar(c)}] (${visit(child)})${child.end ? '' : '?'}`);
        else parts.push(`[${gbnfClassChar(c)}] ${char}+`);
      }
      parts.push(`[^"\\\\\\x7F\\x00-\\x1F${rejects.join('')}] ${char}*`);
      return parts.join(' | ');
    };
    return `"\\"" ( ${visit(trie)} )${trie.end ? '' : '?'} "\\"" space`;
  }
}

/** `item` repeated from `min` to `max` times (unbounded without `max`), in GBNF. */
function repetition(item: string, min: number, max: number | undefined): string {
  if (max === 0) return '';
  if (min === 0 && max === 1) return `${item}?`;
  if (max === undefined) return min === 0 ? `${item}*` : min === 1 ? `${item}+` : `${item}{${min},}`;
  return `${item}{${min},${max}}`;
}

/** Converts a JSON schema to a complete GBNF grammar. Throws SchemaError. */
export function jsonSchemaToGbnf(schema: unknown): string {
  const converter = new JsonSchemaConverter();
  const rule = converter.convert(schema, 'root');
  // `root` must be the rule for the whole schema.
  if (rule !== 'root') converter.rules.set('root', rule);
  return formatGrammar(converter.rules);
}
