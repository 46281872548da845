// Command line and environment -> SidecarOptions. Flags win over environment variables, which win
// over defaults. Pure: takes argv and env, returns options or a usage error.
import { parseArgs } from 'node:util';
import type { LogLevel } from '../shared/base/logger.js';
import { ApiError } from '../shared/base/api-error.js';
import type { ApplyRequest, GalleryRef } from '../shared/galleries/gallery-types.js';
import { parseApplyRequest } from '../shared/galleries/parse-apply-request.js';
import { trimEndpoint } from '../shared/galleries/resolve-uri.js';
import { errorMessage } from '../shared/base/error-message.js';
import { defined } from '../shared/base/defined.js';
import { flagHelp, PARSE_ARGS_OPTIONS, SIDECAR_FLAGS } from './cli-flags.js';
import { GPU_CHOICES, type GpuChoice, type GpuLayersOption } from './engine/gpu-options.js';

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
  // The options below are set only when given, so embedders (tests, benchmarks) may leave them out.
  /** --allowed-hosts: Host names served besides loopback names and the bound address; "*" turns the check off. Defaults to none. */
  allowedHosts?: string[];
  /** Let request-given download URLs reach loopback, link-local and private addresses. Defaults to `false`. */
  allowPrivateDownloads?: boolean;
  /** Where pairings are kept. Defaults to ~/.hearth. */
  statePath?: string;
  /** Galleries listed by /models/available and installed from by id. Defaults to LocalAI's gallery (DEFAULT_GALLERIES). */
  galleries?: GalleryRef[];
  /** Hugging Face hub base URL (huggingface:// URIs, owner/repo/file models). Defaults to `https://huggingface.co`. */
  hfEndpoint?: string;
  /** Sent to the hub only, from HF_TOKEN. */
  hfToken?: string;
  /** Download a requested `owner/repo/file` model that is not installed. Defaults to `true`. */
  autoDownload?: boolean;
  /** /models/apply bodies installed before /readyz turns 200 (PRELOAD_MODELS). Defaults to none. */
  preloadModels?: ApplyRequest[];
  /** YAML file with a list of /models/apply bodies, installed like preloadModels. */
  preloadModelsConfig?: string;
  /** Which llama.cpp build runs models (GPU). Defaults to `"auto"`: the best GPU that works, else the CPU. */
  gpu?: GpuChoice;
  /** Layers offloaded when a model's config sets no gpu_layers. Defaults to `"auto"`: as many as fit. */
  gpuLayers?: GpuLayersOption;
  /** Requests that may wait for a busy model. Defaults to 4 × parallel. */
  queue?: number;
  /** Longest wait for a slot or a model load, in milliseconds. Defaults to 10 minutes. */
  queueTimeoutMs?: number;
  /** Models kept loaded at once (least recently used idle ones go first). Defaults to no limit. */
  maxLoadedModels?: number;
  /** Unload a model unused for this long, in milliseconds. Defaults to never. */
  idleUnloadMs?: number;
}

/** LocalAI's default gallery, as LocalAI configures it. */
export const DEFAULT_GALLERIES: GalleryRef[] = [{ name: 'localai', url: 'github:mudler/LocalAI/gallery/index.yaml@master' }];

export const HELP = `Hearth sidecar: LocalAI-compatible OpenAI API on native llama.cpp.

Usage: hearth [options]                  (from a checkout: npm start -- [options])
       hearth models list|install|remove|check  (see "Models" below)
       hearth pairings list|revoke              (see "Pairings" below)

Options (each also read from the environment variable in brackets):
${SIDECAR_FLAGS.map(flagHelp).join('\n')}

Models (same options; installs go to --models-path, with a progress bar):
  hearth models list                       Gallery models, marked [installed] when they are.
  hearth models install GALLERY@NAME       Install from a gallery (or NAME alone if unique).
  hearth models install OWNER/REPO/FILE    Download one file from the Hugging Face hub.
  hearth models install URL                A model definition (.yaml) or a model file URL.
  hearth models remove NAME                Delete the files that installing NAME wrote.
  hearth models check                      Check the model configs (YAML, templates, model files)
                                           in --models-path: one line per problem; exit code 1 on
                                           errors, 0 when there are only warnings.

Pairings (web pages on other origins that you approved in Hearth's page; see --state-path):
  hearth pairings list                     Paired origins and when they were paired.
  hearth pairings revoke ORIGIN            Unpair one, e.g. http://localhost:5173 (a running server notices).

Examples:
  hearth --models-path ~/models --api-keys secret
  curl http://127.0.0.1:8080/v1/models
  hearth models install TheBloke/phi-2-GGUF/phi-2.Q4_K_M.gguf
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

function parseGpu(text: string): GpuChoice {
  const value = text.trim().toLowerCase();
  if ((GPU_CHOICES as readonly string[]).includes(value)) return value as GpuChoice;
  throw new UsageError(`--gpu (GPU) must be one of ${GPU_CHOICES.join(', ')}, but got "${text}".`);
}

function parseGpuLayers(text: string): GpuLayersOption {
  const value = text.trim().toLowerCase();
  if (value === 'auto' || value === 'max') return value;
  const count = Number(value);
  if (value !== '' && Number.isSafeInteger(count) && count >= 0) return count;
  throw new UsageError(`--gpu-layers (GPU_LAYERS) must be a whole number of at least 0, max or auto, but got "${text}".`);
}

/** "300" (seconds), "90s", "5m", "1h" or "0" -> milliseconds. */
export function parseDuration(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(text.trim());
  if (match === null) throw new UsageError(`${name} must be a duration such as 300, 90s, 5m or 1h, but got "${text}".`);
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(Number(match[1]) * factor);
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

function json(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} must be JSON: ${errorMessage(error)}.`);
  }
}

function parseHfEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(`--hf-endpoint (HF_ENDPOINT) must be a URL such as https://huggingface.co, but got "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--hf-endpoint (HF_ENDPOINT) must be an http(s) URL, but got "${text}".`);
  return trimEndpoint(url.href);
}

export function parseGalleries(text: string): GalleryRef[] {
  const value = json('--galleries (GALLERIES)', text);
  const valid =
    Array.isArray(value) &&
    value.every((item: unknown) => {
      const entry = item as Record<string, unknown> | null;
      return typeof entry === 'object' && entry !== null && typeof entry['name'] === 'string' && entry['name'] !== '' && typeof entry['url'] === 'string' && entry['url'] !== '';
    });
  if (!valid) throw new UsageError(`--galleries (GALLERIES) must be a JSON list of {"name": "...", "url": "..."}, but got ${text}.`);
  return (value as Array<{ name: string; url: string }>).map(({ name, url }) => ({ name, url }));
}

/** A JSON list of /models/apply bodies, each checked as the API would check it. */
function parsePreloadModels(text: string): ApplyRequest[] {
  const where = '--preload-models (PRELOAD_MODELS)';
  return applyRequests(json(where, text), where);
}

export function applyRequests(value: unknown, where: string): ApplyRequest[] {
  if (!Array.isArray(value)) throw new UsageError(`${where} must be a list of /models/apply bodies such as [{"id": "localai@phi-2"}].`);
  return value.map((item: unknown, index) => {
    try {
      return parseApplyRequest(item);
    } catch (error) {
      if (error instanceof ApiError) throw new UsageError(`${where}, item ${index + 1}: ${error.message}`);
      throw error;
    }
  });
}


function parseFlags(argv: readonly string[], allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals, options: PARSE_ARGS_OPTIONS });
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}. Run with --help to see the options.`);
  }
}

export interface ModelsCommand {
  action: 'list' | 'install' | 'remove' | 'check';
  /** What to install or remove. */
  target?: string;
  options: SidecarOptions;
}

/** `hearth models <action> [target] [options]`: argv after "models". */
export function parseModelsCommand(argv: readonly string[], env: Record<string, string | undefined>): ModelsCommand | 'help' {
  const parsed = parseFlags(argv, true);
  if (parsed.values.help) return 'help';
  const [action, target, ...rest] = parsed.positionals;
  if (action !== 'list' && action !== 'install' && action !== 'remove' && action !== 'check') {
    throw new UsageError(`"hearth models" needs list, install, remove or check${action === undefined ? '' : `, not "${action}"`}. Run with --help to see the options.`);
  }
  const takesTarget = action === 'install' || action === 'remove';
  if (takesTarget && (target === undefined || target === '')) throw new UsageError(`"hearth models ${action}" needs a model, e.g. hearth models ${action} localai@phi-2.`);
  if (rest.length > 0 || (!takesTarget && target !== undefined)) throw new UsageError(`Unexpected argument "${rest[0] ?? target ?? ''}". Run with --help to see the options.`);
  return { action, ...defined({ target }), options: optionsFrom(parsed.values, env) };
}

export interface PairingsCommand {
  action: 'list' | 'revoke';
  /** The origin to revoke, e.g. http://localhost:5173. */
  origin?: string;
  options: SidecarOptions;
}

/** `hearth pairings list|revoke ORIGIN [options]`: argv after "pairings". */
export function parsePairingsCommand(argv: readonly string[], env: Record<string, string | undefined>): PairingsCommand | 'help' {
  const parsed = parseFlags(argv, true);
  if (parsed.values.help) return 'help';
  const [action, origin, ...rest] = parsed.positionals;
  if (action !== 'list' && action !== 'revoke') {
    throw new UsageError(`"hearth pairings" needs list or revoke${action === undefined ? '' : `, not "${action}"`}. Run with --help to see the options.`);
  }
  if (action === 'revoke' && (origin === undefined || origin === '')) throw new UsageError('"hearth pairings revoke" needs the web origin, e.g. hearth pairings revoke http://localhost:5173.');
  if (rest.length > 0 || (action === 'list' && origin !== undefined)) throw new UsageError(`Unexpected argument "${rest[0] ?? origin ?? ''}". Run with --help to see the options.`);
  return { action, ...defined({ origin }), options: optionsFrom(parsed.values, env) };
}

export function parseCliOptions(argv: readonly string[], env: Record<string, string | undefined>): SidecarOptions | 'help' {
  const parsed = parseFlags(argv, false);
  if (parsed.values.help) return 'help';
  return optionsFrom(parsed.values, env);
}

type FlagValues = ReturnType<typeof parseFlags>['values'];

function truthy(text: string | undefined): boolean {
  return ['1', 'true', 'yes'].includes((text ?? '').toLowerCase());
}

function optionsFrom(v: FlagValues, env: Record<string, string | undefined>): SidecarOptions {
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
    preload: v.preload ?? truthy(env['PRELOAD']),
    maxBodyBytes: integer('--max-body-size', v['max-body-size'] ?? env['MAX_BODY_SIZE'], 1024) ?? 10 * 1024 * 1024,
  };
  const given = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';
  const allowedHosts = list(v['allowed-hosts'] ?? env['ALLOWED_HOSTS']);
  const statePath = v['state-path'] ?? env['STATE_PATH'];
  if (allowedHosts.length > 0) options.allowedHosts = allowedHosts;
  if (v['allow-private-downloads'] || truthy(env['ALLOW_PRIVATE_DOWNLOADS'])) options.allowPrivateDownloads = true;
  if (given(statePath)) options.statePath = statePath;
  const galleries = v.galleries ?? env['GALLERIES'];
  const hfEndpoint = v['hf-endpoint'] ?? env['HF_ENDPOINT'];
  const preloadModels = v['preload-models'] ?? env['PRELOAD_MODELS'];
  const preloadModelsConfig = v['preload-models-config'] ?? env['PRELOAD_MODELS_CONFIG'];
  const hfToken = env['HF_TOKEN'];
  if (given(galleries)) options.galleries = parseGalleries(galleries);
  if (given(hfEndpoint)) options.hfEndpoint = parseHfEndpoint(hfEndpoint);
  if (v['no-auto-download'] || ['0', 'false', 'no'].includes((env['AUTO_DOWNLOAD'] ?? '').toLowerCase())) options.autoDownload = false;
  if (given(preloadModels)) options.preloadModels = parsePreloadModels(preloadModels);
  if (given(preloadModelsConfig)) options.preloadModelsConfig = preloadModelsConfig;
  if (given(hfToken)) options.hfToken = hfToken;
  const gpu = v.gpu ?? env['GPU'];
  const gpuLayers = v['gpu-layers'] ?? env['GPU_LAYERS'];
  if (gpu !== undefined && (v.gpu !== undefined || gpu.trim() !== '')) options.gpu = parseGpu(gpu);
  if (gpuLayers !== undefined && (v['gpu-layers'] !== undefined || gpuLayers.trim() !== '')) options.gpuLayers = parseGpuLayers(gpuLayers);
  const queue = integer('--queue (QUEUE)', v.queue ?? env['QUEUE'], 0);
  const queueTimeout = v['queue-timeout'] ?? env['QUEUE_TIMEOUT'];
  const maxLoaded = integer('--max-loaded-models (MAX_LOADED_MODELS)', v['max-loaded-models'] ?? env['MAX_LOADED_MODELS'], 0);
  const idleUnload = v['idle-unload'] ?? env['IDLE_UNLOAD'];
  if (queue !== undefined) options.queue = queue;
  if (given(queueTimeout)) options.queueTimeoutMs = Math.max(1, parseDuration('--queue-timeout (QUEUE_TIMEOUT)', queueTimeout));
  if (maxLoaded !== undefined && maxLoaded > 0) options.maxLoadedModels = maxLoaded;
  if (given(idleUnload)) {
    const ms = parseDuration('--idle-unload (IDLE_UNLOAD)', idleUnload);
    if (ms > 0) options.idleUnloadMs = ms;
  }
  const modelsPath = v['models-path'] ?? env['MODELS_PATH'];
  const contextSize = integer('--context-size', v['context-size'] ?? env['CONTEXT_SIZE'], 16);
  const threads = integer('--threads', v.threads ?? env['THREADS'], 1);
  if (modelsPath !== undefined && modelsPath !== '') options.modelsPath = modelsPath;
  if (contextSize !== undefined) options.contextSize = contextSize;
  if (threads !== undefined) options.threads = threads;
  return options;
}
