// Builds the parse tree from tokens, following text/template/parse/parse.go: "else if" / "else with"
// nest a new if/with in the else list, variables must be declared before use, and break/continue
// are only allowed inside a range body.

import type { BranchNode, Command, Node, Operand, Pipeline } from './ast.js';
import { parseCharConstant, parseNumber, unquoteString } from './literals.js';
import { lex, type Token } from './lexer.js';
import type { TemplateSource } from './template-error.js';

type Terminator = { kind: 'end' | 'else'; token: Token } | { kind: 'eof'; token: Token };

export function parse(source: TemplateSource, isFunction: (name: string) => boolean): Node[] {
  return new Parser(source, lex(source), isFunction).parseTemplate();
}

class Parser {
  #index = 0;
  /** Variables in scope, innermost last; "$" is always defined. */
  readonly #vars: string[] = ['$'];
  #rangeDepth = 0;

  readonly #source: TemplateSource;
  readonly #tokens: Token[];
  readonly #isFunction: (name: string) => boolean;

  constructor(
    source: TemplateSource,
    tokens: Token[],
    isFunction: (name: string) => boolean,
  ) {
    this.#source = source;
    this.#tokens = tokens;
    this.#isFunction = isFunction;
  }

  parseTemplate(): Node[] {
    const [list, end] = this.#itemList();
    if (end.kind !== 'eof') throw this.#error(end.token, `unexpected {{${end.kind}}}`);
    return list;
  }

  #peek(): Token {
    return this.#tokens[this.#index] ?? this.#eofToken();
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#index < this.#tokens.length) this.#index++;
    return token;
  }

  #eofToken(): Token {
    return { kind: 'eof', value: '', pos: this.#source.text.length, spaceBefore: false };
  }

  #error(token: Token, detail: string): Error {
    return this.#source.error(token.pos, detail);
  }

  #describe(token: Token): string {
    if (token.kind === 'eof') return 'EOF';
    if (token.kind === 'rightDelim') return '"}}"';
    if (token.kind === 'keyword') return `<${token.value}>`;
    return `${JSON.stringify(token.value)}`;
  }

  /** Parses text and actions up to {{end}}, {{else}} or EOF. */
  #itemList(): [Node[], Terminator] {
    const list: Node[] = [];
    for (;;) {
      const token = this.#next();
      if (token.kind === 'eof') return [list, { kind: 'eof', token }];
      if (token.kind === 'text') {
        list.push({ kind: 'text', pos: token.pos, text: token.value });
        continue;
      }
      if (token.kind !== 'leftDelim') throw this.#error(token, `unexpected ${this.#describe(token)} in input`);
      const result = this.#action(token);
      if ('token' in result) return [list, result];
      list.push(result);
    }
  }

  /** Parses one action after its "{{". */
  #action(open: Token): Node | Terminator {
    const token = this.#peek();
    if (token.kind === 'keyword') {
      this.#next();
      switch (token.value) {
        case 'if':
        case 'range':
        case 'with':
          return this.#control(token.value, open);
        case 'end':
          this.#expectRightDelim('end');
          return { kind: 'end', token: open };
        case 'else':
          // "else if" / "else with": leave the keyword for control() to pick up.
          if (this.#peek().kind === 'keyword' && ['if', 'with'].includes(this.#peek().value)) {
            return { kind: 'else', token: open };
          }
          this.#expectRightDelim('else');
          return { kind: 'else', token: open };
        case 'break':
        case 'continue':
          if (this.#rangeDepth === 0) throw this.#error(open, `{{${token.value}}} outside {{range}}`);
          this.#expectRightDelim(token.value);
          return { kind: token.value, pos: open.pos };
        default:
          throw this.#error(token, `{{${token.value}}} is not supported (only one template per source)`);
      }
    }
    return { kind: 'action', pos: open.pos, pipe: this.#pipeline('command', 'rightDelim') };
  }

  #expectRightDelim(context: string): void {
    const token = this.#next();
    if (token.kind !== 'rightDelim') {
      throw this.#error(token, `unexpected ${this.#describe(token)} in ${context}`);
    }
  }

  /** {{if}}, {{range}}, {{with}}: pipeline, list, optional else list, {{end}}. */
  #control(context: 'if' | 'range' | 'with', open: Token): BranchNode {
    const varsMark = this.#vars.length;
    const pipe = this.#pipeline(context, 'rightDelim');
    if (context === 'range') this.#rangeDepth++;
    const [list, end] = this.#itemList();
    if (context === 'range') this.#rangeDepth--;
    let elseList: Node[] | undefined;
    if (end.kind === 'eof') {
      throw this.#error(open, `unexpected EOF: {{${context}}} has no matching {{end}}`);
    }
    if (end.kind === 'else') {
      const nested = this.#peek();
      if (nested.kind === 'keyword' && nested.value === context && context !== 'range') {
        this.#next();
        elseList = [this.#control(context, end.token)];
      } else if (nested.kind === 'keyword') {
        throw this.#error(nested, `{{else ${nested.value}}} is not allowed inside {{${context}}}`);
      } else {
        const [list2, end2] = this.#itemList();
        if (end2.kind === 'eof') {
          throw this.#error(open, `unexpected EOF: {{${context}}} has no matching {{end}}`);
        }
        if (end2.kind !== 'end') throw this.#error(end2.token, `expected {{end}}; found {{${end2.kind}}}`);
        elseList = list2;
      }
    }
    this.#vars.length = varsMark;
    return { kind: context, pos: open.pos, pipe, list, elseList };
  }

  #pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipeline {
    const pos = this.#peek().pos;
    const decl: string[] = [];
    let isAssign = false;
    // Declarations: "$x :=", "$x =", or in range "$i, $e :=".
    while (this.#peek().kind === 'variable') {
      const variable = this.#peek();
      const after = this.#tokens[this.#index + 1];
      if (after?.kind === 'declare' || after?.kind === 'assign') {
        this.#index += 2;
        decl.push(variable.value);
        isAssign = after.kind === 'assign';
        const undeclared = decl.find((name) => !this.#vars.includes(name));
        if (isAssign && undeclared !== undefined) {
          throw this.#error(variable, `undefined variable "${undeclared}"`);
        }
        if (!isAssign) this.#vars.push(...decl);
        break;
      }
      if (after?.kind === 'punct' && after.value === ',') {
        if (context !== 'range' || decl.length > 0) {
          throw this.#error(after, `too many declarations in ${context}`);
        }
        this.#index += 2;
        decl.push(variable.value);
        if (this.#peek().kind !== 'variable') {
          throw this.#error(this.#peek(), 'range can only initialize variables');
        }
        continue;
      }
      if (decl.length > 0) throw this.#error(after ?? variable, 'expected := or = after range variables');
      break;
    }
    const cmds: Command[] = [];
    for (;;) {
      const token = this.#peek();
      if (token.kind === end) {
        this.#next();
        break;
      }
      if (!isOperandStart(token)) {
        throw this.#error(token, `unexpected ${this.#describe(token)} in ${context}`);
      }
      cmds.push(this.#command(end));
    }
    if (cmds.length === 0) {
      throw this.#error(this.#tokens[this.#index - 1] ?? this.#peek(), `missing value for ${context}`);
    }
    cmds.forEach((cmd, i) => {
      const first = cmd.args[0];
      if (i > 0 && first && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.kind)) {
        throw this.#source.error(cmd.pos, `non executable command in pipeline stage ${i + 1}`);
      }
    });
    return { pos, decl, isAssign, cmds };
  }

  /** Space-separated operands, ending before the pipeline's end or after a "|". */
  #command(end: 'rightDelim' | 'rightParen'): Command {
    const pos = this.#peek().pos;
    const args: Operand[] = [];
    for (;;) {
      const operand = this.#operand();
      if (operand) args.push(operand);
      const token = this.#peek();
      if (token.kind === end) break;
      if (token.kind === 'pipe') {
        this.#next();
        break;
      }
      if (!operand || !token.spaceBefore) {
        throw this.#error(token, `unexpected ${this.#describe(token)} in operand`);
      }
    }
    if (args.length === 0) throw this.#source.error(pos, 'missing command');
    return { pos, args };
  }

  /** A term followed by any .Field chain. */
  #operand(): Operand | undefined {
    const start = this.#peek().pos;
    const term = this.#term();
    if (!term) return undefined;
    const names: string[] = [];
    while (this.#peek().kind === 'field' && !this.#peek().spaceBefore) names.push(this.#next().value.slice(1));
    if (names.length === 0) return term;
    const text = this.#source.text.slice(start, this.#peek().pos).trimEnd();
    switch (term.kind) {
      case 'field':
      case 'variable':
        return { ...term, text, names: [...term.names, ...names] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        throw this.#source.error(term.pos, `unexpected . after term "${term.text}"`);
      default:
        return { kind: 'chain', pos: term.pos, text, node: term, names };
    }
  }

  #term(): Operand | undefined {
    const token = this.#peek();
    const pos = token.pos;
    const text = token.value;
    switch (token.kind) {
      case 'identifier':
        this.#next();
        if (!this.#isFunction(text)) throw this.#error(token, `function "${text}" not defined`);
        return { kind: 'identifier', pos, text, name: text };
      case 'dot':
        this.#next();
        return { kind: 'dot', pos, text };
      case 'nil':
        this.#next();
        return { kind: 'nil', pos, text };
      case 'bool':
        this.#next();
        return { kind: 'bool', pos, text, value: text === 'true' };
      case 'field':
        this.#next();
        return { kind: 'field', pos, text, names: [text.slice(1)] };
      case 'variable':
        this.#next();
        if (!this.#vars.includes(text)) throw this.#error(token, `undefined variable "${text}"`);
        return { kind: 'variable', pos, text, name: text, names: [] };
      case 'number': {
        this.#next();
        const value = parseNumber(text);
        if (value === undefined) throw this.#error(token, `illegal number syntax: "${text}"`);
        return { kind: 'number', pos, text, value };
      }
      case 'char': {
        this.#next();
        const value = parseCharConstant(text);
        if (value === undefined) throw this.#error(token, `malformed character constant: ${text}`);
        return { kind: 'number', pos, text, value };
      }
      case 'string':
      case 'rawString': {
        this.#next();
        const value = unquoteString(text);
        if (value === undefined) throw this.#error(token, `invalid syntax in string ${text}`);
        return { kind: 'string', pos, text, value };
      }
      case 'leftParen': {
        this.#next();
        const pipe = this.#pipeline('parenthesized pipeline', 'rightParen');
        const parenText = this.#source.text.slice(pos, this.#tokens[this.#index - 1]?.pos ?? pos) + ')';
        return { kind: 'pipe', pos, text: parenText, pipe };
      }
      default:
        return undefined;
    }
  }
}

function isOperandStart(token: Token): boolean {
  return [
    'identifier',
    'dot',
    'nil',
    'bool',
    'field',
    'variable',
    'number',
    'char',
    'string',
    'rawString',
    'leftParen',
  ].includes(token.kind);
}
