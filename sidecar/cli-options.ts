// Command line and environment -> SidecarOptions. Flags win over environment variables, which win
// over defaults. Pure: takes argv and env, returns options or a usage error.
import { parseArgs } from 'node:util';
import type { LogLevel } from '../shared/api/api-context.js';

export interface SidecarOptions {
  host: string;
  port: number;
  /** Undefined: ./models, or the bundled models when there is no ./models. */
  modelsPath?: string;
  contextSize?: number;
  threads?: number;
  parallel: number;
  apiKeys: string[];
  corsOrigins: string[];
  logLevel: LogLevel;
  preload: boolean;
  maxBodyBytes: number;
}

export const HELP = `Hearth sidecar: LocalAI-compatible OpenAI API on native llama.cpp.

Usage: hearth [options]        (from a checkout: npm start -- [options])

Options (each also read from the environment variable in brackets):
  --address HOST:PORT      Where to listen [ADDRESS]. Default 127.0.0.1:8080 (this machine only).
                           Use 0.0.0.0:8080 to accept connections from other machines.
  --models-path DIR        Folder with .gguf files and LocalAI YAML configs [MODELS_PATH].
                           Default ./models, or the bundled default model when ./models is missing.
  --context-size N         Tokens of context per request, unless a model's YAML sets context_size
                           [CONTEXT_SIZE]. Default: the model's own, capped at 4096.
  --threads N              CPU threads per model [THREADS]. Default: cores - 1, from 1 to 4
                           (1 on a 2-core machine: llama.cpp's threads spin, and one core must
                           stay free for the server; measured 29x faster than 2 threads there).
  --parallel N             Requests one model serves at the same time [PARALLEL]. Default 4.
  --api-keys KEY[,KEY]     Require "Authorization: Bearer KEY" on every API request [API_KEY].
  --cors-allowed-origins O[,O]
                           Web origins (e.g. http://localhost:5173) allowed to call the API from a
                           browser, or * for any [CORS_ALLOW_ORIGINS]. Default: none but our own.
  --max-body-size BYTES    Larger request bodies are refused with 413 [MAX_BODY_SIZE]. Default 10485760.
  --preload                Load every model at start instead of on first use [PRELOAD].
  --log-level LEVEL        error, warn, info or debug [LOG_LEVEL]. Default info.
  -h, --help               Show this help.

Examples:
  hearth --models-path ~/models --api-keys secret
  curl http://127.0.0.1:8080/v1/models
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${name} must be a whole number of at least ${min}, but got "${text}".`);
  return value;
}

function list(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`The address (--address or ADDRESS) must look like 127.0.0.1:8080 or :8080, but got "${text}".`);
  }
  // An empty host stays on loopback: listening on every interface must be asked for by name.
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port };
}

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export function parseCliOptions(argv: readonly string[], env: Record<string, string | undefined>): SidecarOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        address: { type: 'string' },
        'models-path': { type: 'string' },
        'context-size': { type: 'string' },
        threads: { type: 'string' },
        parallel: { type: 'string' },
        'api-keys': { type: 'string' },
        'cors-allowed-origins': { type: 'string' },
        'max-body-size': { type: 'string' },
        preload: { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}. Run with --help to see the options.`);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const { host, port } = parseAddress(v.address ?? env['ADDRESS'] ?? '127.0.0.1:8080');
  const logLevel = (v['log-level'] ?? env['LOG_LEVEL'] ?? 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(logLevel)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, but got "${logLevel}".`);
  const options: SidecarOptions = {
    host,
    port,
    parallel: integer('--parallel', v.parallel ?? env['PARALLEL'], 1) ?? 4,
    apiKeys: list(v['api-keys'] ?? env['API_KEY']),
    corsOrigins: list(v['cors-allowed-origins'] ?? env['CORS_ALLOW_ORIGINS']),
    logLevel: logLevel as LogLevel,
    preload: v.preload ?? ['1', 'true', 'yes'].includes((env['PRELOAD'] ?? '').toLowerCase()),
    maxBodyBytes: integer('--max-body-size', v['max-body-size'] ?? env['MAX_BODY_SIZE'], 1024) ?? 10 * 1024 * 1024,
  };
  const modelsPath = v['models-path'] ?? env['MODELS_PATH'];
  const contextSize = integer('--context-size', v['context-size'] ?? env['CONTEXT_SIZE'], 16);
  const threads = integer('--threads', v.threads ?? env['THREADS'], 1);
  if (modelsPath !== undefined && modelsPath !== '') options.modelsPath = modelsPath;
  if (contextSize !== undefined) options.contextSize = contextSize;
  if (threads !== undefined) options.threads = threads;
  return options;
}
