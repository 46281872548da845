// The parse tree of a Go text/template, mirroring text/template/parse/node.go. Every node carries
// the character offset it starts at, so execution errors can name a line and column.

export type Node = TextNode | ActionNode | BranchNode | BreakNode | ContinueNode;

export interface TextNode {
  readonly kind: 'text';
  readonly pos: number;
  readonly text: string;
}

/** {{pipeline}}: prints the pipeline's value unless the pipeline declares variables. */
export interface ActionNode {
  readonly kind: 'action';
  readonly pos: number;
  readonly pipe: Pipeline;
}

/** {{if}}, {{range}} and {{with}}, each with an optional {{else}} list. */
export interface BranchNode {
  readonly kind: 'if' | 'range' | 'with';
  readonly pos: number;
  readonly pipe: Pipeline;
  readonly list: Node[];
  readonly elseList: Node[] | undefined;
}

export interface BreakNode {
  readonly kind: 'break';
  readonly pos: number;
}

export interface ContinueNode {
  readonly kind: 'continue';
  readonly pos: number;
}

/** Optional declarations ($x := or $x =) followed by commands joined by "|". */
export interface Pipeline {
  readonly pos: number;
  readonly decl: string[];
  readonly isAssign: boolean;
  readonly cmds: Command[];
}

export interface Command {
  readonly pos: number;
  readonly args: Operand[];
}

interface OperandBase {
  readonly pos: number;
  /** The operand's source text, for error messages. */
  readonly text: string;
}

export type Operand =
  | (OperandBase & { readonly kind: 'field'; readonly names: string[] })
  | (OperandBase & { readonly kind: 'variable'; readonly name: string; readonly names: string[] })
  | (OperandBase & { readonly kind: 'chain'; readonly node: Operand; readonly names: string[] })
  | (OperandBase & { readonly kind: 'identifier'; readonly name: string })
  | (OperandBase & { readonly kind: 'pipe'; readonly pipe: Pipeline })
  | (OperandBase & { readonly kind: 'dot' })
  | (OperandBase & { readonly kind: 'nil' })
  | (OperandBase & { readonly kind: 'bool'; readonly value: boolean })
  | (OperandBase & { readonly kind: 'number'; readonly value: number })
  | (OperandBase & { readonly kind: 'string'; readonly value: string });
