// Names of models kept in browser storage: plain file names, as in a LocalAI models folder, so a
// stored file can never shadow a path or be confused with a config.
import { ApiError } from '../../shared/base/api-error.js';

/** GGUF files, and legacy GGML / rwkv.cpp `.bin` files, which are converted to GGUF on first load. */
const MODEL_FILE = /^[^/\\\0]+\.(gguf|bin)$/i;

export function isModelFileName(name: string): boolean {
  return MODEL_FILE.test(name) && !name.startsWith('.');
}

/** Throws the API's own error for names a request could use to escape the store. */
export function assertPlainFileName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new ApiError('invalid_request', `"${name}" is not a plain file name in browser storage.`, { param: 'model', code: 'invalid_model_name' });
  }
}

/** The file name a download is stored under: the URL's last path segment. */
export function fileNameFromUrl(url: string): string {
  const last = new URL(url).pathname.split('/').filter((part) => part !== '').at(-1) ?? '';
  return decodeURIComponent(last);
}
