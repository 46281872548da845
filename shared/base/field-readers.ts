// Typed readers for untrusted JSON fields. Each failure is a 400 that names the offending `param`,
// so request parsers read like a schema and never let a wrong type through.
import { ApiError } from './api-error.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'the number' : typeof value} ${JSON.stringify(value)}`;
}

export function invalid(param: string, message: string): ApiError {
  return new ApiError('invalid_request', message, { param, code: 'invalid_value' });
}

function wrongType(param: string, expected: string, value: unknown): ApiError {
  return new ApiError('invalid_request', `'${param}' must be ${expected}, but got ${describe(value)}.`, {
    param,
    code: 'invalid_type',
  });
}

/** Missing and `null` both mean "not given", as in OpenAI's API. */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function readOptionalString(body: JsonObject, key: string, param = key): string | undefined {
  const value = body[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw wrongType(param, 'a string', value);
  return value;
}

export function readRequiredString(body: JsonObject, key: string, param = key): string {
  const value = readOptionalString(body, key, param);
  if (value === undefined) {
    throw new ApiError('invalid_request', `'${param}' is required.`, { param, code: 'missing_required_parameter' });
  }
  return value;
}

export function readOptionalBoolean(body: JsonObject, key: string, param = key): boolean | undefined {
  const value = body[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'boolean') throw wrongType(param, 'true or false', value);
  return value;
}

interface NumberRange {
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
}

function checkRange(param: string, value: number, range: NumberRange): number {
  const { min, max, above } = range;
  if (min !== undefined && value < min) throw invalid(param, `'${param}' must be at least ${min}, but got ${value}.`);
  if (above !== undefined && value <= above) throw invalid(param, `'${param}' must be greater than ${above}, but got ${value}.`);
  if (max !== undefined && value > max) throw invalid(param, `'${param}' must be at most ${max}, but got ${value}.`);
  return value;
}

export function readOptionalNumber(body: JsonObject, key: string, range: NumberRange = {}, param = key): number | undefined {
  const value = body[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(param, 'a number', value);
  return checkRange(param, value, range);
}

export function readOptionalInteger(body: JsonObject, key: string, range: NumberRange = {}, param = key): number | undefined {
  const value = body[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrongType(param, 'an integer', value);
  return checkRange(param, value, range);
}
