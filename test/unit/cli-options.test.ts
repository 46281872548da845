import { describe, expect, it } from 'vitest';
import { SIDECAR_FLAGS } from '../../sidecar/cli-flags.js';
import { HELP, parseAddress, parseCliOptions, parseModelsCommand, UsageError, type SidecarOptions } from '../../sidecar/cli-options.js';

const DEFAULTS: SidecarOptions = {
  host: '127.0.0.1',
  port: 8080,
  parallel: 4,
  apiKeys: [],
  corsOrigins: [],
  logLevel: 'info',
  preload: false,
  maxBodyBytes: 10 * 1024 * 1024,
};

function usageError(argv: string[], env: Record<string, string> = {}): UsageError {
  let thrown: unknown;
  try {
    parseCliOptions(argv, env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UsageError);
  return thrown as UsageError;
}

describe('parseCliOptions: GPU', () => {
  it('--gpu and --gpu-layers, from flags or GPU / GPU_LAYERS; flags win', () => {
    expect(parseCliOptions(['--gpu', 'vulkan', '--gpu-layers', '12'], {})).toEqual({ ...DEFAULTS, gpu: 'vulkan', gpuLayers: 12 });
    expect(parseCliOptions([], { GPU: 'CPU', GPU_LAYERS: 'max' })).toEqual({ ...DEFAULTS, gpu: 'cpu', gpuLayers: 'max' });
    expect(parseCliOptions(['--gpu=cuda', '--gpu-layers=auto'], { GPU: 'cpu', GPU_LAYERS: '3' })).toEqual({ ...DEFAULTS, gpu: 'cuda', gpuLayers: 'auto' });
    for (const gpu of ['auto', 'cuda', 'vulkan', 'metal', 'cpu'] as const) expect(parseCliOptions(['--gpu', gpu], {}).valueOf()).toMatchObject({ gpu });
    expect(parseCliOptions(['--gpu-layers', '0'], {})).toMatchObject({ gpuLayers: 0 });
  });

  it('empty GPU / GPU_LAYERS variables mean the defaults (auto), left unset', () => {
    expect(parseCliOptions([], { GPU: '', GPU_LAYERS: ' ' })).toEqual(DEFAULTS);
  });

  it('bad values are usage errors that list what is allowed', () => {
    expect(usageError(['--gpu', 'rocm']).message).toBe('--gpu (GPU) must be one of auto, cuda, vulkan, metal, cpu, but got "rocm".');
    expect(usageError([], { GPU: 'nvidia' }).message).toContain('but got "nvidia"');
    expect(usageError(['--gpu', '']).message).toContain('--gpu (GPU) must be one of');
    for (const bad of ['-1', '2.5', 'all', '']) {
      expect(usageError([`--gpu-layers=${bad}`]).message).toBe(`--gpu-layers (GPU_LAYERS) must be a whole number of at least 0, max or auto, but got "${bad}".`);
    }
    expect(usageError([], { GPU_LAYERS: 'many' }).message).toContain('but got "many"');
  });

  it('--help documents both, with their variables and defaults', () => {
    expect(HELP).toContain('--gpu auto|cuda|vulkan|metal|cpu');
    expect(HELP).toContain('[GPU]. Default auto');
    expect(HELP).toContain('--gpu-layers N|max|auto');
    expect(HELP).toContain('[GPU_LAYERS]. Default auto: as many as fit');
  });
});

describe('parseCliOptions', () => {
  it('defaults: loopback 8080, 4 parallel, info, no keys', () => {
    expect(parseCliOptions([], {})).toEqual(DEFAULTS);
  });

  it('reads every flag', () => {
    const options = parseCliOptions(
      [
        '--address', '0.0.0.0:9000',
        '--models-path', '/srv/models',
        '--context-size', '2048',
        '--threads', '3',
        '--parallel', '2',
        '--api-keys', 'k1, k2,,',
        '--cors-allowed-origins', 'http://localhost:5173,https://app.example',
        '--max-body-size', '4096',
        '--preload',
        '--log-level', 'DEBUG',
      ],
      {},
    );
    expect(options).toEqual({
      host: '0.0.0.0',
      port: 9000,
      modelsPath: '/srv/models',
      contextSize: 2048,
      threads: 3,
      parallel: 2,
      apiKeys: ['k1', 'k2'],
      corsOrigins: ['http://localhost:5173', 'https://app.example'],
      maxBodyBytes: 4096,
      preload: true,
      logLevel: 'debug',
    });
  });

  const env = {
    ADDRESS: ':9090',
    MODELS_PATH: '/env/models',
    CONTEXT_SIZE: '1024',
    THREADS: '2',
    PARALLEL: '8',
    API_KEY: 'a,b',
    CORS_ALLOW_ORIGINS: '*',
    MAX_BODY_SIZE: '2048',
    LOG_LEVEL: 'warn',
    PRELOAD: 'true',
  };

  it('reads every environment variable', () => {
    expect(parseCliOptions([], env)).toEqual({
      host: '127.0.0.1',
      port: 9090,
      modelsPath: '/env/models',
      contextSize: 1024,
      threads: 2,
      parallel: 8,
      apiKeys: ['a', 'b'],
      corsOrigins: ['*'],
      maxBodyBytes: 2048,
      logLevel: 'warn',
      preload: true,
    });
  });

  it('flags beat environment variables', () => {
    const options = parseCliOptions(
      ['--address', '127.0.0.1:7000', '--models-path', 'm', '--context-size', '512', '--threads', '1', '--parallel', '1', '--api-keys', 'flag', '--cors-allowed-origins', 'http://x', '--max-body-size', '1024', '--log-level', 'error'],
      env,
    );
    expect(options).toEqual({
      host: '127.0.0.1',
      port: 7000,
      modelsPath: 'm',
      contextSize: 512,
      threads: 1,
      parallel: 1,
      apiKeys: ['flag'],
      corsOrigins: ['http://x'],
      maxBodyBytes: 1024,
      logLevel: 'error',
      preload: true,
    });
  });

  it.each([
    { value: '1', preload: true },
    { value: 'YES', preload: true },
    { value: 'True', preload: true },
    { value: '0', preload: false },
    { value: 'false', preload: false },
    { value: '', preload: false },
  ])('PRELOAD=$value -> $preload', ({ value, preload }) => {
    expect(parseCliOptions([], { PRELOAD: value })).toMatchObject({ preload });
  });

  it('empty environment values mean "not set"', () => {
    expect(parseCliOptions([], { MODELS_PATH: '', CONTEXT_SIZE: '', THREADS: '', PARALLEL: '', API_KEY: '' })).toEqual(DEFAULTS);
  });

  it('--help and -h ask for help', () => {
    expect(parseCliOptions(['--help'], {})).toBe('help');
    expect(parseCliOptions(['-h'], {})).toBe('help');
    expect(parseCliOptions(['--parallel', '2', '--help'], { PARALLEL: 'nonsense' })).toBe('help');
  });

  it.each([
    { argv: ['--parallel', '0'], message: '--parallel must be a whole number of at least 1, but got "0".' },
    { argv: ['--parallel', 'four'], message: '--parallel must be a whole number of at least 1, but got "four".' },
    { argv: ['--threads', '1.5'], message: '--threads must be a whole number of at least 1, but got "1.5".' },
    { argv: ['--context-size', '8'], message: '--context-size must be a whole number of at least 16, but got "8".' },
    { argv: ['--max-body-size', '100'], message: '--max-body-size must be a whole number of at least 1024, but got "100".' },
    { argv: ['--log-level', 'verbose'], message: '--log-level must be one of error, warn, info, debug, but got "verbose".' },
    { argv: ['--address', 'localhost'], message: 'must look like 127.0.0.1:8080 or :8080, but got "localhost".' },
    { argv: ['--address', '127.0.0.1:70000'], message: 'but got "127.0.0.1:70000"' },
  ])('$argv -> UsageError', ({ argv, message }) => {
    expect(usageError(argv).message).toContain(message);
  });

  it.each([
    { env: { PARALLEL: 'many' }, message: '--parallel must be a whole number of at least 1, but got "many".' },
    { env: { THREADS: '-2' }, message: '--threads must be a whole number of at least 1, but got "-2".' },
    { env: { ADDRESS: 'nowhere' }, message: 'but got "nowhere"' },
    { env: { LOG_LEVEL: 'trace' }, message: 'but got "trace"' },
  ])('bad environment $env -> UsageError', ({ env: bad, message }) => {
    expect(usageError([], bad).message).toContain(message);
  });

  it.each([
    { argv: ['--port', '80'], fact: "'--port'" },
    { argv: ['models'], fact: "'models'" },
    { argv: ['--parallel'], fact: '--parallel' },
  ])('unknown flags and stray arguments name the culprit and point to --help: $argv', ({ argv, fact }) => {
    const { message } = usageError(argv);
    expect(message).toContain(fact);
    expect(message).toMatch(/Run with --help to see the options\.$/);
  });

  it('UsageError is an Error named UsageError', () => {
    const error = usageError(['--bogus']);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UsageError');
  });
});

describe('parseAddress', () => {
  it.each([
    { text: '127.0.0.1:8080', host: '127.0.0.1', port: 8080 },
    { text: ':9090', host: '127.0.0.1', port: 9090 },
    { text: '0.0.0.0:80', host: '0.0.0.0', port: 80 },
    { text: '[::1]:8080', host: '::1', port: 8080 },
    { text: '[::]:8080', host: '::', port: 8080 },
    { text: 'localhost:3000', host: 'localhost', port: 3000 },
    { text: ' 10.0.0.2:1 ', host: '10.0.0.2', port: 1 },
  ])('$text -> $host $port', ({ text, host, port }) => {
    expect(parseAddress(text)).toEqual({ host, port });
  });

  it.each(['8080', '127.0.0.1', '::1:8080', '127.0.0.1:', 'host:port', '127.0.0.1:65536', '[::1]'])('%s is refused', (text) => {
    expect(() => parseAddress(text)).toThrow(UsageError);
    expect(() => parseAddress(text)).toThrow(`must look like 127.0.0.1:8080 or :8080, but got "${text}".`);
  });
});

describe('HELP', () => {
  it.each([
    ['--address', 'ADDRESS'],
    ['--models-path', 'MODELS_PATH'],
    ['--context-size', 'CONTEXT_SIZE'],
    ['--threads', 'THREADS'],
    ['--parallel', 'PARALLEL'],
    ['--api-keys', 'API_KEY'],
    ['--cors-allowed-origins', 'CORS_ALLOW_ORIGINS'],
    ['--max-body-size', 'MAX_BODY_SIZE'],
    ['--preload', 'PRELOAD'],
    ['--log-level', 'LOG_LEVEL'],
    ['--galleries', 'GALLERIES'],
    ['--hf-endpoint', 'HF_ENDPOINT'],
    ['--no-auto-download', 'AUTO_DOWNLOAD=false'],
    ['--preload-models', 'PRELOAD_MODELS'],
    ['--preload-models-config', 'PRELOAD_MODELS_CONFIG'],
  ])('mentions %s and [%s]', (flag, envName) => {
    expect(HELP).toContain(`  ${flag}`);
    expect(HELP).toContain(`[${envName}]`);
  });

  it('mentions -h, --help and the defaults it promises', () => {
    expect(HELP).toContain('-h, --help');
    expect(HELP).toContain('Default 127.0.0.1:8080');
    expect(HELP).toContain('Default 4.');
    expect(HELP).toContain('Default info.');
    expect(HELP).toContain('Default 10485760.');
  });

  it('every flag the parser accepts is documented, and every documented flag is accepted', () => {
    const documented = [...HELP.matchAll(/^ {2}(?:-h, )?(--[a-z-]+)/gm)].map((m) => m[1] ?? '');
    expect(documented).toEqual(SIDECAR_FLAGS.map((flag) => `--${flag.name}`));
    expect(documented).toEqual(expect.arrayContaining(['--address', '--parallel', '--queue', '--queue-timeout', '--max-loaded-models', '--idle-unload', '--gpu', '--help']));
    const VALUES: Record<string, string> = {
      '--address': ':1',
      '--log-level': 'warn',
      '--galleries': '[{"name":"g","url":"https://example.com/index.yaml"}]',
      '--hf-endpoint': 'http://127.0.0.1:1',
      '--preload-models': '[{"id":"g@m"}]',
      '--preload-models-config': 'preload.yaml',
      '--gpu': 'cpu',
    };
    for (const flag of documented) {
      const argv = ['--preload', '--help', '--no-auto-download', '--allow-private-downloads'].includes(flag) ? [flag] : [flag, VALUES[flag] ?? '2048'];
      expect(() => parseCliOptions(argv, {}), flag).not.toThrow();
    }
  });
});

describe('queue and model lifecycle options', () => {
  it('are absent by default and read from flags or the environment, flags first', () => {
    const none = parseCliOptions([], {}) as SidecarOptions;
    expect([none.queue, none.queueTimeoutMs, none.maxLoadedModels, none.idleUnloadMs]).toEqual([undefined, undefined, undefined, undefined]);
    const env = { QUEUE: '3', QUEUE_TIMEOUT: '90s', MAX_LOADED_MODELS: '2', IDLE_UNLOAD: '5m' };
    expect(parseCliOptions([], env)).toMatchObject({ queue: 3, queueTimeoutMs: 90_000, maxLoadedModels: 2, idleUnloadMs: 300_000 });
    expect(parseCliOptions(['--queue', '0', '--queue-timeout', '30', '--idle-unload', '1h', '--max-loaded-models', '1'], env)).toMatchObject({
      queue: 0,
      queueTimeoutMs: 30_000,
      maxLoadedModels: 1,
      idleUnloadMs: 3_600_000,
    });
  });

  it('0 turns the model limit and idle unloading off', () => {
    const options = parseCliOptions(['--max-loaded-models', '0', '--idle-unload', '0'], {}) as SidecarOptions;
    expect([options.maxLoadedModels, options.idleUnloadMs]).toEqual([undefined, undefined]);
  });

  it.each([
    [['--queue=-1'], '--queue (QUEUE) must be a whole number of at least 0'],
    [['--queue-timeout', 'soon'], '--queue-timeout (QUEUE_TIMEOUT) must be a duration such as 300, 90s, 5m or 1h, but got "soon".'],
    [['--idle-unload', '5 minutes'], '--idle-unload (IDLE_UNLOAD) must be a duration'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });
});

describe('gallery, hub and preload options', () => {
  it('are absent by default (DEFAULT_GALLERIES, huggingface.co and auto-download apply at start)', () => {
    const options = parseCliOptions([], {}) as SidecarOptions;
    expect(options.galleries).toBeUndefined();
    expect(options.hfEndpoint).toBeUndefined();
    expect(options.autoDownload).toBeUndefined();
    expect(options.preloadModels).toBeUndefined();
  });

  it('reads flags and environment, flags first', () => {
    const env = {
      GALLERIES: '[{"name":"env","url":"github:o/r/index.yaml@main"}]',
      HF_ENDPOINT: 'http://127.0.0.1:5000/',
      HF_TOKEN: 'hf_secret',
      AUTO_DOWNLOAD: 'false',
      PRELOAD_MODELS: '[{"id":"env@m","name":"x"},{"url":"github:o/r/m.yaml","overrides":{"context_size":256}}]',
      PRELOAD_MODELS_CONFIG: '/etc/preload.yaml',
    };
    expect(parseCliOptions([], env)).toMatchObject({
      galleries: [{ name: 'env', url: 'github:o/r/index.yaml@main' }],
      hfEndpoint: 'http://127.0.0.1:5000',
      hfToken: 'hf_secret',
      autoDownload: false,
      preloadModels: [
        { id: 'env@m', name: 'x', overrides: {}, files: [] },
        { url: 'github:o/r/m.yaml', overrides: { context_size: 256 }, files: [] },
      ],
      preloadModelsConfig: '/etc/preload.yaml',
    });
    expect(parseCliOptions(['--galleries', '[{"name":"flag","url":"https://x/i.yaml"}]', '--hf-endpoint', 'https://hub.example', '--no-auto-download'], env)).toMatchObject({
      galleries: [{ name: 'flag', url: 'https://x/i.yaml' }],
      hfEndpoint: 'https://hub.example',
      autoDownload: false,
    });
  });

  it.each([
    { argv: ['--galleries', 'not json'], message: '--galleries (GALLERIES) must be JSON' },
    { argv: ['--galleries', '[{"name":"x"}]'], message: 'must be a JSON list of {"name": "...", "url": "..."}' },
    { argv: ['--hf-endpoint', 'ftp://x'], message: 'must be an http(s) URL' },
    { argv: ['--preload-models', '{"id":"a@b"}'], message: 'must be a list of /models/apply bodies' },
    { argv: ['--preload-models', '[{"id":"a@b"},{}]'], message: 'item 2: Send exactly one of "id"' },
  ])('$argv -> UsageError', ({ argv, message }) => {
    expect(usageError(argv).message).toContain(message);
  });
});

describe('parseModelsCommand', () => {
  it('reads the action, the target and the usual options', () => {
    expect(parseModelsCommand(['list', '--models-path', '/m'], {})).toMatchObject({ action: 'list', options: { modelsPath: '/m' } });
    expect(parseModelsCommand(['install', 'o/r/f.gguf', '--hf-endpoint', 'http://127.0.0.1:9'], {})).toMatchObject({
      action: 'install',
      target: 'o/r/f.gguf',
      options: { hfEndpoint: 'http://127.0.0.1:9' },
    });
    expect(parseModelsCommand(['remove', 'phi-2'], {})).toMatchObject({ action: 'remove', target: 'phi-2' });
    expect(parseModelsCommand(['check', '--models-path', '/m'], {})).toMatchObject({ action: 'check', options: { modelsPath: '/m' } });
    expect(parseModelsCommand(['--help'], {})).toBe('help');
  });

  it.each([
    { argv: [], message: 'needs list, install, remove or check' },
    { argv: ['destroy'], message: 'not "destroy"' },
    { argv: ['install'], message: 'needs a model' },
    { argv: ['remove', 'a', 'b'], message: 'Unexpected argument "b"' },
    { argv: ['list', 'x'], message: 'Unexpected argument "x"' },
    { argv: ['check', 'x.yaml'], message: 'Unexpected argument "x.yaml"' },
  ])('$argv -> UsageError', ({ argv, message }) => {
    expect(() => parseModelsCommand(argv, {})).toThrow(UsageError);
    expect(() => parseModelsCommand(argv, {})).toThrow(message);
  });
});

describe('security options', () => {
  it('reads --allowed-hosts, --allow-private-downloads and --state-path, flags over environment', () => {
    expect(parseCliOptions(['--allowed-hosts', 'hearth.lan, *.example.com', '--allow-private-downloads', '--state-path', '/s'], { ALLOWED_HOSTS: 'other' })).toMatchObject({
      allowedHosts: ['hearth.lan', '*.example.com'],
      allowPrivateDownloads: true,
      statePath: '/s',
    });
    expect(parseCliOptions([], { ALLOWED_HOSTS: '*', ALLOW_PRIVATE_DOWNLOADS: '1', STATE_PATH: '/t' })).toMatchObject({ allowedHosts: ['*'], allowPrivateDownloads: true, statePath: '/t' });
    const defaults = parseCliOptions([], {}) as SidecarOptions;
    expect([defaults.allowedHosts, defaults.allowPrivateDownloads, defaults.statePath]).toEqual([undefined, undefined, undefined]);
    expect(HELP).toContain('hearth pairings revoke ORIGIN');
  });
});
