// The `backend: openai` (alias `remote`) part of a model config: the OpenAI-compatible servers that
// answer for the model. Read once here; the forwarder trusts what this returns.
import { isObj, type FieldReader, type Obj } from './config-field-reader.js';
import type { RemoteConfig, UpstreamConfig } from './model-config.js';
import { defined } from '../base/defined.js';

/** Generations can take minutes to start on a busy CPU upstream; the timeout is for one that never answers. */
const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_PROBE_INTERVAL_MS = 10_000;

/** http(s) root of an upstream, without a trailing slash or `/v1`; undefined when unusable. */
function upstreamRoot(read: FieldReader, text: string, path: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return read.complain(path, 'an http:// or https:// URL', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return read.complain(path, 'an http:// or https:// URL', text);
  // A password in the URL would travel in logs and /readyz: keys belong in api_key.
  if (url.username !== '' || url.password !== '') return read.complain(path, 'a URL without user or password (put the key in api_key)', `${url.protocol}//…@${url.host}`);
  if (url.search !== '' || url.hash !== '') return read.complain(path, 'a URL without ?query or #fragment', text);
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

function readUpstream(read: FieldReader, raw: unknown, index: number, defaultMaxInFlight: number | undefined): UpstreamConfig | undefined {
  const at = `upstreams[${index}]`;
  if (typeof raw === 'string') raw = { url: raw };
  if (!isObj(raw)) return read.complain(at, 'a map with at least url', raw);
  const urlText = read.string(raw, 'url', `${at}.url`);
  if (urlText === undefined) return read.complain(`${at}.url`, 'the upstream server URL (e.g. http://10.0.0.5:8000)', raw['url']);
  const url = upstreamRoot(read, urlText, `${at}.url`);
  const weight = read.number(raw, 'weight', `${at}.weight`) ?? 1;
  if (weight <= 0) read.complain(`${at}.weight`, 'a number above 0', weight);
  const maxInFlight = read.count(raw, 'max_in_flight', `${at}.max_in_flight`) ?? defaultMaxInFlight;
  if (maxInFlight === 0) read.complain(`${at}.max_in_flight`, 'at least 1 (leave it out for no limit)', 0);
  if (url === undefined) return undefined;
  return { url, weight, ...defined({ apiKey: read.string(raw, 'api_key', `${at}.api_key`), model: read.string(raw, 'model', `${at}.model`), maxInFlight }) };
}

export function readRemoteConfig(read: FieldReader, raw: Obj, name: string): RemoteConfig {
  const maxInFlight = read.count(raw, 'max_in_flight');
  const list = raw['upstreams'];
  const upstreams: UpstreamConfig[] = [];
  if (!Array.isArray(list) || list.length === 0) {
    read.complain('upstreams', 'a list of at least one upstream server ({url, api_key?, model?, weight?})', list ?? null);
  } else {
    list.forEach((item, index) => {
      const upstream = readUpstream(read, item, index, maxInFlight);
      if (upstream !== undefined) upstreams.push(upstream);
    });
  }
  const parameters = isObj(raw['parameters']) ? raw['parameters'] : {};
  return {
    upstreams,
    model: read.string(raw, 'model') ?? read.string(parameters, 'model', 'parameters.model') ?? name,
    timeoutMs: read.duration(raw, 'timeout') ?? DEFAULT_TIMEOUT_MS,
    probeIntervalMs: read.duration(raw, 'probe_interval') ?? DEFAULT_PROBE_INTERVAL_MS,
  };
}
