// The shape of a template function. Functions throw plain Errors; the evaluator wraps them into a
// TemplateError that names the call site, as Go does ("error calling index: ...").

export interface TemplateFunction {
  /** Number of parameters; with `variadic`, the minimum number of arguments. */
  readonly arity: number;
  readonly variadic: boolean;
  readonly call: (...args: unknown[]) => unknown;
}

export function fixed(arity: number, call: (...args: unknown[]) => unknown): TemplateFunction {
  return { arity, variadic: false, call };
}

export function variadic(min: number, call: (...args: unknown[]) => unknown): TemplateFunction {
  return { arity: min, variadic: true, call };
}
