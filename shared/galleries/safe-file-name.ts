// Names that come from galleries or requests become file names in the models folder. Only plain
// names pass: no separators, no "..", no NUL or control characters, no leading dot (that would
// reach our install records), no ".partial" (that is an unfinished download).
import { ApiError } from '../base/api-error.js';

const MAX_NAME_BYTES = 255;

export function fileNameProblem(name: string): string | undefined {
  if (name === '' || name.trim() === '') return 'it is empty';
  if (name === '.' || name === '..') return 'it names a folder';
  if (name.includes('/') || name.includes('\\')) return 'it contains a path separator';
  if ([...name].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127)) return 'it contains a NUL or control character';
  if (name.startsWith('.')) return 'it starts with a dot';
  if (/^[A-Za-z]:/.test(name)) return 'it looks like a drive path';
  if (name.toLowerCase().endsWith('.partial')) return 'it ends with .partial, which marks unfinished downloads';
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) return `it is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** Returns the name when it is a plain file name; otherwise throws ApiError 400 naming `param`. */
export function checkFileName(name: string, param: string): string {
  const problem = fileNameProblem(name);
  if (problem !== undefined) {
    throw new ApiError('invalid_request', `${JSON.stringify(name)} cannot be used as a file name in the models folder: ${problem}.`, {
      param,
      code: 'unsafe_file_name',
    });
  }
  return name;
}
