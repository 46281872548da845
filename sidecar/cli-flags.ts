// The sidecar's flags, written once: parseArgs reads their types from this table and --help is
// generated from it, so a flag cannot be parsed without being documented (or the reverse).

export interface FlagSpec {
  /** The flag without its dashes. */
  name: string;
  type: 'string' | 'boolean';
  short?: string;
  /** How its value is written in --help ("HOST:PORT"); none for booleans. */
  value?: string;
  /** The environment variable read when the flag is absent, as --help shows it. */
  env?: string;
  /** What it does and its default, in plain words; the first sentence gets the [ENV] marker. */
  help: string;
}

export const SIDECAR_FLAGS = [
  { name: 'address', type: 'string', value: 'HOST:PORT', env: 'ADDRESS', help: 'Where to listen. Default 127.0.0.1:8080 (this machine only). Use 0.0.0.0:8080 to accept connections from other machines.' },
  { name: 'models-path', type: 'string', value: 'DIR', env: 'MODELS_PATH', help: 'Folder with .gguf files and LocalAI YAML configs. Default ./models, or the bundled default model when ./models is missing.' },
  { name: 'context-size', type: 'string', value: 'N', env: 'CONTEXT_SIZE', help: "Tokens of context per request, unless a model's YAML sets context_size. Default: the model's own, capped at 4096." },
  {
    name: 'threads',
    type: 'string',
    value: 'N',
    env: 'THREADS',
    help: "CPU threads per model. Default: cores - 1, from 1 to 4 (1 on a 2-core machine: llama.cpp's threads spin, and one core must stay free for the server; measured 29x faster than 2 threads there).",
  },
  { name: 'parallel', type: 'string', value: 'N', env: 'PARALLEL', help: 'Requests one model serves at the same time. Default 4.' },
  { name: 'queue', type: 'string', value: 'N', env: 'QUEUE', help: 'Requests that may wait for a busy model; more get 429 with Retry-After. Default 4 x --parallel.' },
  { name: 'queue-timeout', type: 'string', value: 'SECONDS', env: 'QUEUE_TIMEOUT', help: 'Longest wait for a free slot or a loading model; longer waits get 503 with Retry-After. Default 600.' },
  {
    name: 'max-loaded-models',
    type: 'string',
    value: 'N',
    env: 'MAX_LOADED_MODELS',
    help: 'Models kept loaded at once; loading one more unloads the least recently used idle one. Default 0 (no limit).',
  },
  {
    name: 'idle-unload',
    type: 'string',
    value: 'DURATION',
    env: 'IDLE_UNLOAD',
    help: 'Unload a model nobody used for this long (e.g. 300, 90s, 5m, 1h). Default 0 (never). A model with requests in flight is never unloaded.',
  },
  {
    name: 'gpu',
    type: 'string',
    value: 'auto|cuda|vulkan|metal|cpu',
    env: 'GPU',
    help: 'Where models run. Default auto: the best GPU whose prebuilt llama.cpp works here (CUDA, then Vulkan; Metal on Apple silicon), else the CPU, saying why in one log line. cpu never touches a GPU.',
  },
  { name: 'gpu-layers', type: 'string', value: 'N|max|auto', env: 'GPU_LAYERS', help: 'Layers of each model to put on the GPU, unless its YAML sets gpu_layers. Default auto: as many as fit in free GPU memory.' },
  { name: 'api-keys', type: 'string', value: 'KEY[,KEY]', env: 'API_KEY', help: 'Require "Authorization: Bearer KEY" on every API request.' },
  {
    name: 'cors-allowed-origins',
    type: 'string',
    value: 'O[,O]',
    env: 'CORS_ALLOW_ORIGINS',
    help: 'Web origins (e.g. http://localhost:5173) allowed to call the API from a browser, or * for any. Default: none but our own.',
  },
  {
    name: 'allowed-hosts',
    type: 'string',
    value: 'NAME[,NAME]',
    env: 'ALLOWED_HOSTS',
    help: 'Host names (e.g. hearth.lan, *.example.com) this server answers to besides localhost, 127.0.0.1, [::1] and the --address host; other names get 403, which stops DNS rebinding attacks. * turns the check off.',
  },
  {
    name: 'allow-private-downloads',
    type: 'boolean',
    env: 'ALLOW_PRIVATE_DOWNLOADS',
    help: 'Let /models/apply fetch URLs on loopback, link-local and private addresses. Default: refused (--galleries and --hf-endpoint are always trusted).',
  },
  {
    name: 'state-path',
    type: 'string',
    value: 'DIR',
    env: 'STATE_PATH',
    help: 'Folder for Hearth\'s own state (the web origins paired with this server). Default ~/.hearth.',
  },
  { name: 'max-body-size', type: 'string', value: 'BYTES', env: 'MAX_BODY_SIZE', help: 'Larger request bodies get 413. Default 10485760.' },
  { name: 'preload', type: 'boolean', env: 'PRELOAD', help: 'Load every model at start instead of on first use.' },
  { name: 'log-level', type: 'string', value: 'LEVEL', env: 'LOG_LEVEL', help: 'error, warn, info or debug. Default info.' },
  {
    name: 'galleries',
    type: 'string',
    value: 'JSON',
    env: 'GALLERIES',
    help: 'Model galleries, a JSON list of {"name","url"}. Default: LocalAI\'s gallery (github:mudler/LocalAI/gallery/index.yaml@master).',
  },
  { name: 'hf-endpoint', type: 'string', value: 'URL', env: 'HF_ENDPOINT', help: 'Hugging Face hub to download from. Default https://huggingface.co. The token in the HF_TOKEN variable is sent to it (and only to it).' },
  {
    name: 'no-auto-download',
    type: 'boolean',
    env: 'AUTO_DOWNLOAD=false',
    help: 'Do not download a requested owner/repo/file model that is not installed, nor the owner/repo an autogptq config names. Default: download it from the hub, then serve it.',
  },
  {
    name: 'preload-models',
    type: 'string',
    value: 'JSON',
    env: 'PRELOAD_MODELS',
    help: 'Install these models before /readyz says ready: a JSON list of /models/apply bodies, e.g. [{"id":"localai@phi-2"}].',
  },
  { name: 'preload-models-config', type: 'string', value: 'FILE', env: 'PRELOAD_MODELS_CONFIG', help: 'The same, from a YAML file holding such a list.' },
  { name: 'help', type: 'boolean', short: 'h', help: 'Show this help.' },
] as const satisfies readonly FlagSpec[];

type Flag = (typeof SIDECAR_FLAGS)[number];

/** The table in node:util parseArgs' shape. */
export const PARSE_ARGS_OPTIONS = Object.fromEntries(SIDECAR_FLAGS.map((flag) => [flag.name, 'short' in flag ? { type: flag.type, short: flag.short } : { type: flag.type }])) as {
  [F in Flag as F['name']]: F extends { short: string } ? { type: F['type']; short: F['short'] } : { type: F['type'] };
};

const WIDTH = 100;
const COLUMN = 27;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** One flag's --help entry: the flag and its value, then the help text in a column, with [ENV] after the first sentence. */
export function flagHelp(flag: FlagSpec): string {
  const usage = `${flag.short === undefined ? '' : `-${flag.short}, `}--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
  // The first full stop that ends a sentence ("e.g. 300" does not).
  const firstStop = flag.help.search(/\.\s(?=[A-Z(])/);
  const text =
    flag.env === undefined ? flag.help : firstStop < 0 ? `${flag.help.replace(/\.$/, '')} [${flag.env}].` : `${flag.help.slice(0, firstStop)} [${flag.env}]${flag.help.slice(firstStop)}`;
  const body = wrap(text, WIDTH - COLUMN);
  const pad = ' '.repeat(COLUMN);
  const head = `  ${usage}`;
  const lines = head.length < COLUMN - 1 ? [`${head.padEnd(COLUMN)}${body[0] ?? ''}`, ...body.slice(1).map((line) => pad + line)] : [head, ...body.map((line) => pad + line)];
  return lines.join('\n');
}
