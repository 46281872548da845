// A `model` of the form owner/repo/file (as in LocalAI's seed examples) names a file on the
// Hugging Face hub. Anything else, such as a plain file name, is not one.

export interface HuggingFaceModelName {
  /** What the client sent, and the installed config's `name`. */
  name: string;
  /** huggingface:// URI of the file. */
  uri: string;
  /** Where the weights go: a plain file name, unique per owner/repo/path. */
  fileName: string;
}

const OWNER_OR_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PATH_SEGMENT = /^[^\\\0/]+$/;

export function parseHuggingFaceModelName(model: string): HuggingFaceModelName | undefined {
  const segments = model.split('/');
  if (segments.length < 3) return undefined;
  const [owner, repo, ...path] = segments as [string, string, ...string[]];
  if (!OWNER_OR_REPO.test(owner) || !OWNER_OR_REPO.test(repo)) return undefined;
  if (path.some((segment) => !PATH_SEGMENT.test(segment) || segment === '.' || segment === '..' || segment.trim() !== segment)) return undefined;
  if ([...model].some((char) => char.charCodeAt(0) < 32)) return undefined;
  return { name: model, uri: `huggingface://${model}`, fileName: segments.join('--') };
}
