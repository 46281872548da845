// Hugging Face names (`owner/repo/file.gguf`, the file may sit in folders) resolved against a hub
// base URL with the hub's layout, so a mirror or a local stand-in can replace huggingface.co.

/** Where Hugging Face names are resolved. Defaults to `https://huggingface.co`. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `{hub}/{owner}/{repo}/resolve/main/{file}`, or an Error saying what a valid name looks like. */
export function resolveHubName(name: string, hubUrl: string = DEFAULT_HUB_URL): string {
  const parts = name.trim().replace(/^\/+/, '').split('/');
  const [owner, repo, ...file] = parts;
  const valid = owner !== undefined && repo !== undefined && file.length > 0 && [owner, repo, ...file].every((part) => SEGMENT.test(part));
  if (!valid || !/\.gguf$/i.test(file.at(-1) ?? '')) {
    throw new Error(`"${name}" is not a Hugging Face model file. Write it as owner/repo/file.gguf, for example bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf.`);
  }
  const base = hubUrl.replace(/\/+$/, '');
  return `${base}/${owner}/${repo}/resolve/main/${file.map(encodeURIComponent).join('/')}`;
}
