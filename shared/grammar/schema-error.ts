/** A JSON schema that is invalid or uses a keyword the converter cannot enforce; `path` is a JSON pointer. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${reason} (at ${path === '' ? 'the schema root' : path})`);
  }
}
