// The one error type of the template renderer, for both syntax errors (thrown by parseGoTemplate)
// and execution errors (thrown by render). Messages follow Go's "template: NAME:LINE:COL: ..." shape.

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly templateName: string;
  readonly line: number;
  readonly column: number;
  /** What is wrong, without the "template: NAME:LINE:COL: " prefix. */
  readonly detail: string;

  constructor(templateName: string, line: number, column: number, detail: string) {
    super(`template: ${templateName}:${line}:${column}: ${detail}`);
    this.templateName = templateName;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}

/** The template source plus its name: enough to turn a character offset into a TemplateError. */
export class TemplateSource {
  readonly name: string;
  readonly text: string;

  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
  }

  /** 1-based line and column of a character offset. */
  locate(offset: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    const end = Math.min(offset, this.text.length);
    for (let i = 0; i < end; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: end - lineStart + 1 };
  }

  error(offset: number, detail: string): TemplateError {
    const { line, column } = this.locate(offset);
    return new TemplateError(this.name, line, column, detail);
  }
}
