// Validates JSON against a JSON Schema with ajv (a real, independent validator), returning the
// problems found; [] means valid. Compiled validators are cached per schema object.
import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

export function validateJson(value: unknown, schema: Record<string, unknown> | boolean): string[] {
  if (typeof schema === 'boolean') return schema ? [] : ['$: no value allowed'];
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '$'}: ${error.message ?? 'invalid'}`);
}
