// `backend: openai` / `remote` configs: the upstreams list read once, with config errors in the
// same words as the other fields.
import { describe, expect, it } from 'vitest';
import { parseModelConfigFile } from '../../shared/models/parse-model-config.js';

describe('remote model configs', () => {
  it('reads upstreams with keys, names, weights, limits, timeout and probe interval', () => {
    const { configs, problems, warnings } = parseModelConfigFile(
      `
name: llama-fleet
backend: openai
model: meta-llama/Llama-3.1-8B-Instruct
timeout: 90s
probe_interval: 500ms
max_in_flight: 8
upstreams:
  - url: http://10.0.0.5:8000/v1
    api_key: \${VLLM_KEY}
  - url: http://10.0.0.6:8080/
    model: llama-3.1-8b
    weight: 2
    max_in_flight: 2
  - http://10.0.0.7:8080
`,
      'fleet.yaml',
    );
    expect(problems).toEqual([]);
    // Hearth's own keys, not typos: `hearth models check` must not warn about them.
    expect(warnings).toEqual([]);
    expect(configs[0]?.backend).toBe('openai');
    expect(configs[0]?.remote).toEqual({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      timeoutMs: 90_000,
      probeIntervalMs: 500,
      upstreams: [
        { url: 'http://10.0.0.5:8000', apiKey: '${VLLM_KEY}', weight: 1, maxInFlight: 8 },
        { url: 'http://10.0.0.6:8080', model: 'llama-3.1-8b', weight: 2, maxInFlight: 2 },
        { url: 'http://10.0.0.7:8080', weight: 1, maxInFlight: 8 },
      ],
    });
  });

  it('`remote` is the same backend; the model name defaults to the config name', () => {
    const { configs } = parseModelConfigFile('name: box\nbackend: remote\nupstreams: [{url: "https://box.lan"}]\n', 'box.yaml');
    expect(configs[0]?.remote).toMatchObject({ model: 'box', timeoutMs: 120_000, probeIntervalMs: 10_000, upstreams: [{ url: 'https://box.lan', weight: 1 }] });
  });

  it('a missing or broken upstreams list is a config problem naming each field', () => {
    expect(parseModelConfigFile('name: a\nbackend: openai\n', 'a.yaml').problems[0]?.message).toContain("'upstreams' must be a list of at least one upstream server");
    const { configs, problems } = parseModelConfigFile(
      'name: b\nbackend: openai\ntimeout: soon\nupstreams:\n  - url: ftp://x\n  - url: http://user:pw@host\n  - url: http://ok\n    weight: 0\n  - {api_key: k}\n',
      'b.yaml',
    );
    expect(configs).toEqual([]);
    const message = problems[0]?.message ?? '';
    expect(message).toContain(`'timeout' must be seconds, or a duration such as "500ms", "30s" or "2m"`);
    expect(message).toContain("'upstreams[0].url' must be an http:// or https:// URL");
    expect(message).toContain("'upstreams[1].url' must be a URL without user or password (put the key in api_key)");
    expect(message).not.toContain('pw');
    expect(message).toContain("'upstreams[2].weight' must be a number above 0");
    expect(message).toContain("'upstreams[3].url' must be the upstream server URL");
    // The key never shows in a problem.
    expect(message).not.toMatch(/\bk\b"/);
  });
});
