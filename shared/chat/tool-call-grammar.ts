// The GBNF that makes a model call tools in our wire format, with arguments that match each
// tool's parameter schema. `content` adds plain replies as an alternative (tool_choice "auto").
import { formatGrammar } from '../grammar/gbnf-json.js';
import { gbnfLiteral } from '../grammar/gbnf-literal.js';
import { JsonSchemaConverter } from '../grammar/json-schema-to-gbnf.js';
import { SchemaError } from '../grammar/schema-error.js';
import { CALL_ARGUMENTS, CALL_CLOSE, CALL_HEAD, CALL_OPEN, CALL_SEPARATOR } from './tool-call-format.js';
import type { ToolDefinition } from './tool-types.js';

export type ContentAlternative =
  /** Only calls. */
  | { kind: 'none' }
  /** Any text that does not start with "<". */
  | { kind: 'text' }
  /** JSON matching a schema (response_format together with tools). */
  | { kind: 'schema'; schema: unknown };

/** Calls in one reply with parallel_tool_calls; a bound keeps a rambling model from never finishing. */
export const MAX_PARALLEL_CALLS = 8;

export interface ToolGrammarOptions {
  parallel: boolean;
  content: ContentAlternative;
}

/** Thrown with the index of the tool whose parameters cannot be converted. */
export class ToolSchemaError extends Error {
  constructor(
    readonly toolIndex: number,
    readonly schemaError: SchemaError,
  ) {
    super(schemaError.message);
  }
}

export function toolCallGrammar(tools: readonly ToolDefinition[], options: ToolGrammarOptions): string {
  const converter = new JsonSchemaConverter();
  const calls = tools.map((tool, index) => {
    let args: string;
    try {
      args = converter.convert(tool.parameters, `tool-${index}-arguments`);
    } catch (error) {
      if (error instanceof SchemaError) throw new ToolSchemaError(index, error);
      throw error;
    }
    converter.rules.set(`tool-${index}-call`, `${gbnfLiteral(`${CALL_HEAD}${tool.name}${CALL_ARGUMENTS}`)} ${args}`);
    return `tool-${index}-call`;
  });
  const rules = converter.rules;
  rules.set('tool-call', `${gbnfLiteral(CALL_OPEN)} ( ${calls.join(' | ')} ) ${gbnfLiteral(CALL_CLOSE)}`);
  rules.set('tool-calls', options.parallel ? `tool-call ( ${gbnfLiteral(CALL_SEPARATOR)} tool-call ){0,${MAX_PARALLEL_CALLS - 1}}` : 'tool-call');
  const { content } = options;
  if (content.kind === 'none') rules.set('root', 'tool-calls');
  else if (content.kind === 'text') {
    rules.set('content', '( [^<] .* )?');
    rules.set('root', 'tool-calls | content');
  } else {
    const contentRule = converter.convert(content.schema, 'content');
    rules.set('root', `tool-calls | ${contentRule}`);
  }
  return formatGrammar(rules);
}
