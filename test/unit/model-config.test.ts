import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import { buildCatalog, looseModelConfig, servedNames, type ModelCatalog } from '../../shared/models/model-catalog.js';
import type { ModelConfig } from '../../shared/models/model-config.js';
import { parseModelConfigFile } from '../../shared/models/parse-model-config.js';
import { resolveModel } from '../../shared/models/resolve-model.js';

// A config as LocalAI's gallery ships it (chatml family), including keys Hearth does not use.
const LOCALAI_CHATML = `
name: hermes-2-pro-mistral
mmap: true
context_size: 4096
f16: true
gpu_layers: 90
threads: 6
backend: llama-cpp
system_prompt: "You are a helpful assistant."
parameters:
  model: Hermes-2-Pro-Mistral-7B.Q4_0.gguf
  temperature: 0.2
  top_k: 40
  top_p: 0.95
  seed: -1
  max_tokens: 512
  repeat_penalty: 1.1
options:
  - use_jinja:true
known_usecases:
  - chat
stopwords:
  - <|im_end|>
  - <dummy32000>
  - "</tool_call>"
  - "<|eot_id|>"
  - <|end_of_text|>
function:
  disable_no_action: true
  return_name_in_function_response: true
  grammar:
    mixed_mode: true
  json_regex_match:
    - "(?s)<tool_call>(.*?)</tool_call>"
roles:
  assistant: "<|im_start|>assistant\\n"
  system: "<|im_start|>system\\n"
  user: "<|im_start|>user\\n"
template:
  chat_message: |
    <|im_start|>{{if eq .RoleName "assistant"}}assistant{{else if eq .RoleName "system"}}system{{else if eq .RoleName "user"}}user{{end}}
    {{ if .Content }}{{.Content}}{{ end }}<|im_end|>
  chat: |
    {{.Input -}}
    <|im_start|>assistant
  completion: |
    {{.Input}}
  function: |
    <|im_start|>system
    You are a function calling AI model.
  join_chat_messages_by_character: "\\n"
download_files:
  - filename: Hermes-2-Pro-Mistral-7B.Q4_0.gguf
    sha256: abc
    uri: huggingface://NousResearch/Hermes-2-Pro-Mistral-7B-GGUF/Hermes-2-Pro-Mistral-7B.Q4_0.gguf
usage: |
  curl http://localhost:8080/v1/chat/completions
`;

function config(name: string, extra: Partial<ModelConfig> = {}): ModelConfig {
  return { name, backend: 'llama-cpp', parameters: {}, stopwords: [], roles: {}, template: {}, sourceFile: `${name}.yaml`, ...extra };
}

describe('parseModelConfigFile', () => {
  it('reads a realistic LocalAI chatml config and tolerates the keys it does not use', () => {
    const { configs, problems, warnings } = parseModelConfigFile(LOCALAI_CHATML, 'hermes.yaml');
    expect(problems).toEqual([]);
    // Every key is one LocalAI knows, used by Hearth or not: nothing to warn about.
    expect(warnings).toEqual([]);
    // Where each inline template starts, for error messages (a `|` block starts on the next line).
    expect(configs[0]?.templatePositions).toEqual({
      chat_message: { line: 41, column: 5, exact: true },
      chat: { line: 44, column: 5, exact: true },
      completion: { line: 47, column: 5, exact: true },
      function: { line: 49, column: 5, exact: true },
    });
    expect(configs.map(({ templatePositions: _, ...rest }) => rest)).toEqual([
      {
        name: 'hermes-2-pro-mistral',
        backend: 'llama-cpp',
        mmap: true,
        f16: true,
        contextSize: 4096,
        threads: 6,
        systemPrompt: 'You are a helpful assistant.',
        sourceFile: 'hermes.yaml',
        parameters: {
          model: 'Hermes-2-Pro-Mistral-7B.Q4_0.gguf',
          temperature: 0.2,
          topK: 40,
          topP: 0.95,
          seed: -1,
          maxTokens: 512,
          repeatPenalty: 1.1,
        },
        stopwords: ['<|im_end|>', '<dummy32000>', '</tool_call>', '<|eot_id|>', '<|end_of_text|>'],
        roles: { assistant: '<|im_start|>assistant\n', system: '<|im_start|>system\n', user: '<|im_start|>user\n' },
        template: {
          chatMessage:
            '<|im_start|>{{if eq .RoleName "assistant"}}assistant{{else if eq .RoleName "system"}}system{{else if eq .RoleName "user"}}user{{end}}\n{{ if .Content }}{{.Content}}{{ end }}<|im_end|>\n',
          chat: '{{.Input -}}\n<|im_start|>assistant\n',
          completion: '{{.Input}}\n',
          function: '<|im_start|>system\nYou are a function calling AI model.\n',
          joinChatMessagesBy: '\n',
        },
        functions: { disableNoAction: true },
        gpu: { gpuLayers: 90 },
      },
    ]);
  });

  it("reads LocalAI's GPU keys: gpu_layers, main_gpu, tensor_split, low_vram, mmlock, flash_attention, no_kv_offloading, cache types", () => {
    const yaml = `
name: big
gpu_layers: 33
main_gpu: 1
tensor_split: "0.6, 0.4"
low_vram: true
mmlock: true
flash_attention: "on"
no_kv_offloading: true
cache_type_k: Q8_0
cache_type_v: q4_0
`;
    const { configs, problems } = parseModelConfigFile(yaml, 'big.yaml');
    expect(problems).toEqual([]);
    expect(configs[0]?.gpu).toEqual({
      gpuLayers: 33,
      mainGpu: '1',
      tensorSplit: [0.6, 0.4],
      lowVram: true,
      mlock: true,
      flashAttention: true,
      noKvOffloading: true,
      cacheTypeK: 'q8_0',
      cacheTypeV: 'q4_0',
    });
  });

  it.each([
    ['ngl: 12\nmlock: false\ntensor_split: [1, 3]\nflash_attention: auto', { gpuLayers: 12, mlock: false, tensorSplit: [1, 3], flashAttention: 'auto' }],
    ['gpu_layers: 0\nngl: 9\nflash_attention: false', { gpuLayers: 0, flashAttention: false }],
    ['flash_attention: "off"\ntensor_split: 2', { flashAttention: false, tensorSplit: [2] }],
    ['threads: 2', undefined],
  ])('GPU keys %#: llama.cpp spellings and forms', (body, gpu) => {
    const { configs, problems } = parseModelConfigFile(`name: m\n${body}\n`, 'm.yaml');
    expect(problems).toEqual([]);
    expect(configs[0]?.gpu).toEqual(gpu);
  });

  it('GPU keys of the wrong type get the same clear config error as other fields', () => {
    const yaml = `
name: wrong
gpu_layers: lots
tensor_split: "0.5,,x"
low_vram: "yes"
mmlock: 1
flash_attention: maybe
no_kv_offloading: 0
cache_type_k: q3
cache_type_v: [f16]
main_gpu: [0]
`;
    const { configs, problems } = parseModelConfigFile(yaml, 'wrong.yaml');
    expect(configs).toEqual([]);
    for (const fact of [
      `wrong.yaml: 'gpu_layers' must be a number, but is "lots"`,
      `'tensor_split' must be a list of numbers (e.g. "0.6,0.4" or [0.6, 0.4]), but is "0.5,,x"`,
      `'low_vram' must be true or false, but is "yes"`,
      `'mmlock' must be true or false, but is 1`,
      `'flash_attention' must be true, false, "on", "off" or "auto", but is "maybe"`,
      `'no_kv_offloading' must be true or false, but is 0`,
      `'cache_type_k' must be one of f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1, but is "q3"`,
      `'cache_type_v' must be one of f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1, but is ["f16"]`,
      `'main_gpu' must be a string, but is [0]`,
    ]) {
      expect(problems[0]?.message).toContain(fact);
    }
    expect(parseModelConfigFile('name: n\ngpu_layers: -1\n', 'n.yaml').problems[0]?.message).toContain(`'gpu_layers' must be a whole number of at least 0, but is -1`);
  });

  it('maps presence/frequency penalties, embeddings and edit template', () => {
    const yaml = `
name: m
embeddings: true
parameters:
  presence_penalty: 0.5
  frequency_penalty: -1
template:
  edit: edit-template
`;
    const [parsed] = parseModelConfigFile(yaml, 'm.yaml').configs;
    expect(parsed).toMatchObject({
      embeddings: true,
      parameters: { presencePenalty: 0.5, frequencyPenalty: -1 },
      template: { edit: 'edit-template' },
    });
  });

  it('fills defaults for a minimal config', () => {
    expect(parseModelConfigFile('name: tiny\n', 'tiny.yaml')).toEqual({
      configs: [{ name: 'tiny', backend: 'llama-cpp', parameters: {}, stopwords: [], roles: {}, template: {}, sourceFile: 'tiny.yaml' }],
      problems: [],
      warnings: [],
    });
  });

  it('reads a YAML list of configs', () => {
    const yaml = `
- name: a
  parameters: { model: a.gguf }
- name: b
  parameters: { model: b.gguf }
`;
    const { configs, problems } = parseModelConfigFile(yaml, 'list.yaml');
    expect(problems).toEqual([]);
    expect(configs.map((c) => [c.name, c.parameters.model, c.sourceFile])).toEqual([
      ['a', 'a.gguf', 'list.yaml'],
      ['b', 'b.gguf', 'list.yaml'],
    ]);
  });

  it('reads multi-document YAML, skipping empty documents', () => {
    const yaml = `---
name: first
---
---
name: second
context_size: 2048
`;
    const { configs, problems } = parseModelConfigFile(yaml, 'multi.yaml');
    expect(problems).toEqual([]);
    expect(configs.map((c) => [c.name, c.contextSize])).toEqual([
      ['first', undefined],
      ['second', 2048],
    ]);
  });

  it('an empty file has no configs and no problems', () => {
    expect(parseModelConfigFile('', 'empty.yaml')).toEqual({ configs: [], problems: [], warnings: [] });
  });

  it('reports wrong types naming the file, the config and every field, and keeps the config out', () => {
    const yaml = `
name: broken
context_size: big
f16: "yes"
parameters:
  temperature: hot
  top_k: 1.5
stopwords: <|im_end|>
roles: [user]
template: "{{.Input}}"
`;
    const { configs, problems } = parseModelConfigFile(yaml, 'broken.yaml');
    expect(configs).toEqual([]);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.file).toBe('broken.yaml');
    expect(problem?.name).toBe('broken');
    for (const fact of [
      `broken.yaml: 'parameters.temperature' must be a number, but is "hot"`,
      `'parameters.top_k' must be a whole number, but is 1.5`,
      `'template' must be a map, but is "{{.Input}}"`,
      `'context_size' must be a number, but is "big"`,
      `'f16' must be true or false, but is "yes"`,
      `'stopwords' must be a list of strings, but is "<|im_end|>"`,
      `'roles' must be a map of strings, but is ["user"]`,
    ]) {
      expect(problem?.message).toContain(fact);
    }
  });

  it('a broken entry in a list names its position and does not hide the others', () => {
    const yaml = `
- name: good
- name: bad
  threads: many
- just a string
- parameters: { model: x.gguf }
`;
    const { configs, problems } = parseModelConfigFile(yaml, 'many.yaml');
    expect(configs.map((c) => c.name)).toEqual(['good']);
    expect(problems).toEqual([
      { file: 'many.yaml', name: 'bad', line: 3, message: `many.yaml (entry 2): 'threads' must be a number, but is "many"` },
      { file: 'many.yaml', line: 5, message: `many.yaml (entry 3): a model config must be a map with at least 'name'` },
      { file: 'many.yaml', line: 6, message: `many.yaml (entry 4): 'name' is required (the name clients use as "model")` },
    ]);
  });

  it.each([
    { yaml: 'parameters:\n  model: a.gguf\n', what: 'no name' },
    { yaml: 'name: "  "\n', what: 'blank name' },
    { yaml: 'name: null\n', what: 'null name' },
  ])('reports a missing name ($what)', ({ yaml }) => {
    expect(parseModelConfigFile(yaml, 'noname.yaml')).toEqual({
      configs: [],
      problems: [{ file: 'noname.yaml', line: 1, message: `noname.yaml: 'name' is required (the name clients use as "model")` }],
      warnings: [],
    });
  });

  it('a scalar document is not a config', () => {
    expect(parseModelConfigFile('hello\n', 'scalar.yaml').problems).toEqual([
      { file: 'scalar.yaml', line: 1, message: `scalar.yaml: a model config must be a map with at least 'name'` },
    ]);
  });

  it.each([
    { yaml: 'name: a\n  bad indent: [\n', what: 'nested map', at: 'line 1, column 7: Nested mappings are not allowed in compact mappings' },
    { yaml: 'name: a\nname: b\n', what: 'duplicate key', at: 'line 2, column 1: Map keys must be unique' },
    { yaml: 'name: "unterminated\n', what: 'unterminated string', at: 'line 2, column 1: Missing closing "quote' },
  ])('reports invalid YAML ($what) with the file name and line, and the names a request may use', ({ yaml, at }) => {
    const { configs, problems } = parseModelConfigFile(yaml, 'bad.yaml');
    expect(configs).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'bad.yaml', line: Number(/line (\d+)/.exec(at)?.[1]), message: `config bad.yaml could not be read: ${at}` });
    // The file name without .yaml, and the `name:` values found in the text
    expect(problems[0]?.unreadableNames?.slice(0, 2)).toEqual(['bad', /name: "?(\w+)/.exec(yaml)?.[1]]);
  });

  it('warns about keys LocalAI does not know either, with their line and the key probably meant', () => {
    const yaml = `name: typo
contex_size: 512
gpu_memory_utilization: 0.9
paramters:
  model: a.gguf
flux_capacitor: on
template:
  chatt: "{{.Input}}"
`;
    const { configs, problems, warnings } = parseModelConfigFile(yaml, 'typo.yaml');
    // Still served, as LocalAI would (it ignores unknown keys): a warning, not an error.
    expect(configs.map((c) => c.name)).toEqual(['typo']);
    expect(problems).toEqual([]);
    // gpu_memory_utilization is LocalAI's (vLLM), unused here: not reported
    expect(warnings).toEqual([
      { file: 'typo.yaml', name: 'typo', line: 2, message: "typo.yaml: unknown key 'contex_size': did you mean 'context_size'?" },
      { file: 'typo.yaml', name: 'typo', line: 4, message: "typo.yaml: unknown key 'paramters': did you mean 'parameters'?" },
      { file: 'typo.yaml', name: 'typo', line: 6, message: "typo.yaml: unknown key 'flux_capacitor': LocalAI has no such key, so it does nothing" },
      { file: 'typo.yaml', name: 'typo', line: 8, message: "typo.yaml: unknown key 'template.chatt': did you mean 'template.chat'?" },
    ]);
  });
});

describe('buildCatalog', () => {
  it('lists configs plus loose model files that no config references, sorted by name', () => {
    const files = ['phi.yaml', 'phi-3.gguf', 'tiny.gguf', 'zeta.bin', 'chatml.tmpl', 'README.md', 'x.gguf.partial', '.hidden.gguf', 'notes.txt', 'other.yml'];
    const catalog = buildCatalog(files, [
      { configs: [config('phi', { parameters: { model: 'phi-3.gguf' } })], problems: [] },
      { configs: [config('alpha', { parameters: { model: 'missing.gguf' } })], problems: [] },
    ]);
    expect(catalog.problems).toEqual([]);
    expect(catalog.entries.map((e) => [e.name, e.loose])).toEqual([
      ['alpha', false],
      ['phi', false],
      ['tiny.gguf', true],
      ['zeta.bin', true],
    ]);
    expect(catalog.entries.find((e) => e.name === 'tiny.gguf')?.config).toEqual(looseModelConfig('tiny.gguf'));
    // phi-3.gguf is not listed, but stays servable by its file name
    expect(catalog.referencedFiles).toEqual([{ name: 'phi-3.gguf', config: looseModelConfig('phi-3.gguf'), loose: true }]);
    expect(servedNames(catalog)).toEqual(['alpha', 'phi', 'tiny.gguf', 'zeta.bin', 'phi-3.gguf']);
  });

  it('looseModelConfig serves a file by its own name with no templates', () => {
    expect(looseModelConfig('m.gguf')).toEqual({
      name: 'm.gguf',
      backend: 'llama-cpp',
      parameters: { model: 'm.gguf' },
      stopwords: [],
      roles: {},
      template: {},
    });
  });

  it.each(['a.yaml', 'a.YML', 'chat.tmpl', 'x.json', 'README.md', 'm.gguf.partial', '.DS_Store', '.keep', 'x.sha256', 'a.lock', 'run.log'])(
    'ignores %s',
    (file) => {
      expect(buildCatalog([file], []).entries).toEqual([]);
    },
  );

  it('keeps the first of two configs with the same name and reports the second', () => {
    const first = config('dup', { parameters: { model: 'a.gguf' }, sourceFile: 'a.yaml' });
    const second = config('dup', { parameters: { model: 'b.gguf' }, sourceFile: 'b.yaml' });
    const catalog = buildCatalog(['a.gguf', 'b.gguf'], [
      { configs: [first], problems: [] },
      { configs: [second], problems: [] },
    ]);
    // b.gguf is referenced only by the losing config, so it is served as a loose file.
    expect(catalog.entries.map((e) => e.config)).toEqual([looseModelConfig('b.gguf'), first]);
    expect(catalog.problems).toEqual([{ file: 'b.yaml', name: 'dup', message: 'two configs are named "dup"; the first one wins' }]);
  });

  it('a config named like a model file takes its place', () => {
    const named = config('m.gguf', { parameters: { model: 'other.gguf' } });
    const catalog = buildCatalog(['m.gguf', 'other.gguf'], [{ configs: [named], problems: [] }]);
    expect(catalog.entries).toEqual([{ name: 'm.gguf', config: named, loose: false }]);
  });

  it('passes the problems of config files through', () => {
    const problem = { file: 'bad.yaml', message: 'bad.yaml: not valid YAML: x' };
    expect(buildCatalog([], [{ configs: [], problems: [problem] }]).problems).toEqual([problem]);
  });
});

describe('resolveModel', () => {
  const two: ModelCatalog = buildCatalog(['tiny.gguf', 'phi.gguf'], [
    { configs: [config('chat', { parameters: { model: 'phi.gguf' } })], problems: [] },
  ]);
  const brokenProblem = { file: 'broken.yaml', name: 'broken', message: `broken.yaml: 'threads' must be a number, but is "x"` };
  const withBroken: ModelCatalog = { ...two, problems: [brokenProblem] };
  const one: ModelCatalog = buildCatalog(['only.gguf'], []);
  const oneConfig: ModelCatalog = buildCatalog(['phi.gguf'], [{ configs: [config('chat', { parameters: { model: 'phi.gguf' } })], problems: [] }]);
  const empty: ModelCatalog = buildCatalog([], []);
  // A legacy GGML file sorts first ("G" < "t") but is not what a request without a model gets.
  const legacyFirst: ModelCatalog = buildCatalog(['GGML-koala-q4_0.bin', 'tiny.gguf'], []);
  const onlyLegacy: ModelCatalog = buildCatalog(['a.bin', 'b.bin'], []);

  it.each([
    { name: 'no model -> the first config or .gguf, not a legacy .bin', catalog: legacyFirst, selection: {}, expected: 'tiny.gguf' },
    { name: 'no model and only legacy files -> the first', catalog: onlyLegacy, selection: {}, expected: 'a.bin' },
    { name: 'config name', catalog: two, selection: { requested: 'chat' }, expected: 'chat' },
    { name: 'loose file name', catalog: two, selection: { requested: 'tiny.gguf' }, expected: 'tiny.gguf' },
    { name: 'a file a config references, by its file name', catalog: two, selection: { requested: 'phi.gguf' }, expected: 'phi.gguf' },
    { name: 'a referenced file beats the single-model fallback', catalog: oneConfig, selection: { requested: 'phi.gguf' }, expected: 'phi.gguf' },
    { name: 'bearer token names a referenced file', catalog: two, selection: { bearerToken: 'phi.gguf' }, expected: 'phi.gguf' },
    { name: 'single model serves any name', catalog: one, selection: { requested: 'gpt-4o' }, expected: 'only.gguf' },
    { name: 'bearer token names the model', catalog: two, selection: { bearerToken: 'tiny.gguf' }, expected: 'tiny.gguf' },
    { name: 'body model beats the bearer token', catalog: two, selection: { requested: 'chat', bearerToken: 'tiny.gguf' }, expected: 'chat' },
    { name: 'a bearer token that is not a model -> first', catalog: two, selection: { bearerToken: 'sk-secret' }, expected: 'chat' },
    { name: 'no model -> first', catalog: two, selection: {}, expected: 'chat' },
  ])('$name', ({ catalog, selection, expected }) => {
    expect(resolveModel(catalog, selection, '/models').name).toBe(expected);
  });

  it('an unknown model is a 404 naming the available models', () => {
    let error: unknown;
    try {
      resolveModel(two, { requested: 'gpt-4o' }, '/models');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).toJSON()).toEqual({
      error: {
        message: 'The model "gpt-4o" does not exist. Available models: chat, tiny.gguf.',
        type: 'not_found_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
    expect((error as ApiError).status).toBe(404);
  });

  it('a model whose config is broken is a 500 carrying the problem', () => {
    let error: unknown;
    try {
      resolveModel(withBroken, { requested: 'broken' }, '/models');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect([apiError.status, apiError.kind, apiError.param, apiError.code]).toEqual([500, 'server', 'model', 'invalid_model_config']);
    expect(apiError.message).toBe(`Model "broken" has a broken config: broken.yaml: 'threads' must be a number, but is "x"`);
  });

  it('exactName (the Ollama routes) turns the single-model fallback off: an unknown name is a 404', () => {
    expect(() => resolveModel(one, { requested: 'gpt-4o', exactName: true }, '/models')).toThrow(expect.objectContaining({ status: 404, code: 'model_not_found' }));
    expect(resolveModel(one, { requested: 'only.gguf', exactName: true }, '/models').name).toBe('only.gguf');
  });

  it('a broken config is reported even when a single model would otherwise serve', () => {
    const catalog: ModelCatalog = { ...one, problems: [brokenProblem] };
    expect(() => resolveModel(catalog, { requested: 'broken' }, '/models')).toThrow(/broken config/);
  });

  it('a model whose YAML cannot be read is a 404 naming the file and line, even where the single-model fallback would serve', () => {
    const unreadable = parseModelConfigFile('name: mistral\nparameters:\n  model: [m.gguf\n', 'mistral-7b.yaml');
    for (const catalog of [buildCatalog(['tiny.gguf', 'phi.gguf', 'mistral-7b.yaml'], [unreadable]), buildCatalog(['only.gguf', 'mistral-7b.yaml'], [unreadable])]) {
      // by its `name:` and by the file name alike
      for (const requested of ['mistral', 'mistral-7b']) {
        expect(() => resolveModel(catalog, { requested }, '/models')).toThrow(
          expect.objectContaining({
            status: 404,
            code: 'model_not_found',
            message: `The model "${requested}" is not available: config mistral-7b.yaml could not be read: line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ].`,
          }),
        );
      }
    }
    // Any other unknown name is told which configs could not be read
    const catalog = buildCatalog(['tiny.gguf', 'phi.gguf'], [unreadable]);
    expect(() => resolveModel(catalog, { requested: 'gpt-4o' }, '/models')).toThrow(/does not exist\. Available models: phi\.gguf, tiny\.gguf\. Some model configs could not be read: config mistral-7b\.yaml could not be read: line 4/);
  });

  it.each([{ requested: 'chat' }, {}])('an empty catalog is a 404 naming the folder (%o)', (selection) => {
    let error: unknown;
    try {
      resolveModel(empty, selection, '/srv/hearth/models');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect([apiError.status, apiError.type, apiError.param, apiError.code]).toEqual([404, 'not_found_error', 'model', 'model_not_found']);
    expect(apiError.message).toBe('No models are installed. Put a .gguf file or a model YAML config in /srv/hearth/models.');
  });
});
