// Executes a parse tree against data, following text/template/exec.go: pipelines pass each
// command's result as the last argument of the next, variables live until the {{end}} of the
// enclosing control structure, and range iterates arrays, maps (sorted keys) and integers.
//
// Chosen behaviour for missing data: a field that an object does not have evaluates to undefined
// and prints as "" (Go prints "<no value>" for a missing map key, and LocalAI's structs would fail
// on an unknown field; an empty string is the safer result for users' templates). A field of
// undefined or null is undefined too. A field of a string, number, bool or array is an error.

import type { BranchNode, Node, Operand, Pipeline } from './ast.js';
import { formatValue } from './format-value.js';
import { lookupFunction } from './functions.js';
import { TemplateError, type TemplateSource } from './template-error.js';
import { isTrue, kindOf, lookupField, sortedEntries, typeName, type MapLike } from './values.js';
import { errorMessage } from '../base/error-message.js';

/** Marks "no value piped in" (undefined is a real value: a missing field). */
const MISSING: unique symbol = Symbol('missing');
const BREAK: unique symbol = Symbol('break');
const CONTINUE: unique symbol = Symbol('continue');

export function execute(source: TemplateSource, nodes: readonly Node[], data: unknown): string {
  const state = new State(source, data);
  state.walkList(data, nodes);
  return state.out;
}

class State {
  out = '';
  readonly #vars: { name: string; value: unknown }[];

  readonly #source: TemplateSource;

  constructor(
    source: TemplateSource,
    data: unknown,
  ) {
    this.#source = source;
    this.#vars = [{ name: '$', value: data }];
  }

  #error(node: { pos: number; text?: string }, detail: string): TemplateError {
    const at = node.text === undefined ? '' : ` at <${node.text}>`;
    return this.#source.error(node.pos, `executing "${this.#source.name}"${at}: ${detail}`);
  }

  walkList(dot: unknown, nodes: readonly Node[]): void {
    for (const node of nodes) this.#walk(dot, node);
  }

  #walk(dot: unknown, node: Node): void {
    switch (node.kind) {
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        // Variables declared by an action stay until the enclosing {{end}}; declaring prints nothing.
        const value = this.#evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.out += formatValue(value);
        return;
      }
      case 'if':
      case 'with':
        this.#walkIfOrWith(dot, node);
        return;
      case 'range':
        this.#walkRange(dot, node);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  #walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.#vars.length;
    try {
      const value = this.#evalPipeline(dot, node.pipe);
      if (isTrue(value)) this.walkList(node.kind === 'with' ? value : dot, node.list);
      else if (node.elseList) this.walkList(dot, node.elseList);
    } finally {
      this.#vars.length = mark;
    }
  }

  #walkRange(dot: unknown, node: BranchNode): void {
    const outerMark = this.#vars.length;
    const { decl, isAssign } = node.pipe;
    try {
      const value = this.#evalPipeline(dot, node.pipe);
      const mark = this.#vars.length;
      const oneIteration = (index: unknown, elem: unknown): void => {
        if (decl.length > 0) {
          if (isAssign) this.#setVar(decl[0] ?? '', decl.length > 1 ? index : elem);
          else this.#setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (isAssign) this.#setVar(decl[1] ?? '', elem);
          else this.#setTopVar(2, index);
        }
        try {
          this.walkList(elem, node.list);
        } catch (signal) {
          if (signal !== CONTINUE) throw signal;
        } finally {
          this.#vars.length = mark;
        }
      };
      let ran = false;
      try {
        switch (kindOf(value)) {
          case 'array':
            (value as unknown[]).forEach((elem, i) => {
              ran = true;
              oneIteration(i, elem);
            });
            break;
          case 'map':
            for (const [key, elem] of sortedEntries(value as MapLike)) {
              ran = true;
              oneIteration(key, elem);
            }
            break;
          case 'number': {
            const count = Number(value);
            if (!Number.isInteger(count)) {
              throw this.#error(node.pipe, `range can't iterate over ${formatValue(value)}`);
            }
            if (decl.length > 1) {
              throw this.#error(node.pipe, `can't use ${count} to iterate over more than one variable`);
            }
            for (let i = 0; i < count; i++) {
              ran = true;
              oneIteration(i, i);
            }
            break;
          }
          case 'nil':
            break;
          default:
            throw this.#error(node.pipe, `range can't iterate over ${formatValue(value)}`);
        }
      } catch (signal) {
        if (signal !== BREAK) throw signal;
      }
      if (!ran && node.elseList) this.walkList(dot, node.elseList);
    } finally {
      this.#vars.length = outerMark;
    }
  }

  #setVar(name: string, value: unknown): void {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const variable = this.#vars[i];
      if (variable?.name === name) {
        variable.value = value;
        return;
      }
    }
  }

  #setTopVar(n: number, value: unknown): void {
    const variable = this.#vars[this.#vars.length - n];
    if (variable) variable.value = value;
  }

  #varValue(name: string): unknown {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const variable = this.#vars[i];
      if (variable?.name === name) return variable.value;
    }
    return undefined; // Unreachable: the parser rejects undefined variables.
  }

  #evalPipeline(dot: unknown, pipe: Pipeline): unknown {
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = this.#evalCommand(dot, cmd.args, value);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.#setVar(name, value);
      else this.#vars.push({ name, value });
    }
    return value;
  }

  /** args[0] is the command's first word; a final value (piped in) comes after args[1..]. */
  #evalCommand(dot: unknown, args: readonly Operand[], final: unknown): unknown {
    const first = args[0];
    if (!first) return undefined;
    switch (first.kind) {
      case 'field':
        return this.#evalFieldChain(dot, dot, first, first.names, args, final);
      case 'chain':
        return this.#evalChain(dot, first, args, final);
      case 'identifier':
        return this.#evalFunction(dot, first, args, final);
      case 'variable':
        return this.#evalVariable(dot, first, args, final);
      case 'pipe':
        this.#notAFunction(args, final);
        return this.#evalPipeline(dot, first.pipe);
      case 'nil':
        throw this.#error(first, 'nil is not a command');
      default:
        this.#notAFunction(args, final);
        return this.#evalArg(dot, first);
    }
  }

  #notAFunction(args: readonly Operand[], final: unknown): void {
    const first = args[0];
    if (first && (args.length > 1 || final !== MISSING)) {
      throw this.#error(first, `can't give argument to non-function ${first.text}`);
    }
  }

  /** An operand used as an argument: evaluated with no arguments of its own. */
  #evalArg(dot: unknown, operand: Operand): unknown {
    switch (operand.kind) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
      case 'number':
      case 'string':
        return operand.value;
      case 'pipe':
        return this.#evalPipeline(dot, operand.pipe);
      default:
        return this.#evalCommand(dot, [operand], MISSING);
    }
  }

  #evalVariable(
    dot: unknown,
    node: Extract<Operand, { kind: 'variable' }>,
    args: readonly Operand[],
    final: unknown,
  ): unknown {
    const value = this.#varValue(node.name);
    if (node.names.length === 0) {
      this.#notAFunction(args, final);
      return value;
    }
    return this.#evalFieldChain(dot, value, node, node.names, args, final);
  }

  #evalChain(
    dot: unknown,
    node: Extract<Operand, { kind: 'chain' }>,
    args: readonly Operand[],
    final: unknown,
  ): unknown {
    if (node.node.kind === 'nil') throw this.#error(node, `indirection through explicit nil in ${node.text}`);
    const receiver = this.#evalArg(dot, node.node);
    return this.#evalFieldChain(dot, receiver, node, node.names, args, final);
  }

  #evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Operand,
    names: readonly string[],
    args: readonly Operand[],
    final: unknown,
  ): unknown {
    let value = receiver;
    names.forEach((name, i) => {
      const last = i === names.length - 1;
      value = this.#evalField(dot, name, node, last ? args : [], last ? final : MISSING, value);
    });
    return value;
  }

  #evalField(
    dot: unknown,
    name: string,
    node: Operand,
    args: readonly Operand[],
    final: unknown,
    receiver: unknown,
  ): unknown {
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver === null || receiver === undefined) return undefined;
    if (kindOf(receiver) !== 'map') {
      throw this.#error(node, `can't evaluate field ${name} in type ${typeName(receiver)}`);
    }
    const { found, value } = lookupField(receiver as MapLike, name);
    if (found && typeof value === 'function') {
      // A function-valued property is called like a Go method, with any arguments.
      const values = this.#evalCallArgs(dot, args.slice(1), final);
      return this.#call(node, name, () => (value as (...a: unknown[]) => unknown).apply(receiver, values));
    }
    if (hasArgs) throw this.#error(node, `${name} is not a method but has arguments`);
    return found ? value : undefined;
  }

  #evalCallArgs(dot: unknown, args: readonly Operand[], final: unknown): unknown[] {
    const values = args.map((arg) => this.#evalArg(dot, arg));
    if (final !== MISSING) values.push(final);
    return values;
  }

  #evalFunction(
    dot: unknown,
    node: Extract<Operand, { kind: 'identifier' }>,
    args: readonly Operand[],
    final: unknown,
  ): unknown {
    const { name } = node;
    const fn = lookupFunction(name);
    if (!fn) throw this.#error(node, `function "${name}" not defined`);
    const argNodes = args.slice(1);
    const count = argNodes.length + (final === MISSING ? 0 : 1);
    if (fn.variadic ? count < fn.arity : count !== fn.arity) {
      const want = fn.variadic ? `at least ${fn.arity}` : `${fn.arity}`;
      throw this.#error(node, `wrong number of args for ${name}: want ${want} got ${count}`);
    }
    if (name === 'and' || name === 'or') {
      // Short-circuit like Go 1.18+: stop at the first false (and) or true (or) argument.
      let value: unknown;
      for (const arg of argNodes) {
        value = this.#evalArg(dot, arg);
        if (isTrue(value) === (name === 'or')) return value;
      }
      return final === MISSING ? value : final;
    }
    const values = this.#evalCallArgs(dot, argNodes, final);
    return this.#call(node, name, () => fn.call(...values));
  }

  #call(node: Operand, name: string, run: () => unknown): unknown {
    try {
      return run();
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      const message = errorMessage(err);
      throw this.#error(node, `error calling ${name}: ${message}`);
    }
  }
}
