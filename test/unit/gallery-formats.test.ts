import { describe, expect, it } from 'vitest';
import { deepMerge } from '../../shared/galleries/deep-merge.js';
import { parseApplyRequest } from '../../shared/galleries/parse-apply-request.js';
import { parseGalleryIndex } from '../../shared/galleries/parse-gallery-index.js';
import { parseModelDefinition } from '../../shared/galleries/parse-model-definition.js';
import { GalleryFormatError } from '../../shared/galleries/yaml-fields.js';

const SHA = 'a'.repeat(64);

describe('parseGalleryIndex (LocalAI index.yaml)', () => {
  it('reads every field of an entry', () => {
    const { entries, problems } = parseGalleryIndex(
      `
- name: phi-2-chat
  url: github:mudler/LocalAI/gallery/chatml.yaml@master
  urls: [https://huggingface.co/TheBloke/phi-2-GGUF]
  description: |
    Phi-2 fine-tuned for chat.
  license: mit
  icon: https://example.com/i.png
  tags: [llm, gguf]
  overrides:
    parameters:
      model: phi-2.Q8_0.gguf
  config_file: |
    context_size: 2048
  files:
    - filename: phi-2.Q8_0.gguf
      uri: huggingface://TheBloke/phi-2-GGUF/phi-2.Q8_0.gguf
      sha256: ${SHA.toUpperCase()}
`,
      'index.yaml',
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        name: 'phi-2-chat',
        url: 'github:mudler/LocalAI/gallery/chatml.yaml@master',
        urls: ['https://huggingface.co/TheBloke/phi-2-GGUF'],
        description: 'Phi-2 fine-tuned for chat.\n',
        license: 'mit',
        icon: 'https://example.com/i.png',
        tags: ['llm', 'gguf'],
        overrides: { parameters: { model: 'phi-2.Q8_0.gguf' } },
        configFile: { context_size: 2048 },
        files: [{ filename: 'phi-2.Q8_0.gguf', uri: 'huggingface://TheBloke/phi-2-GGUF/phi-2.Q8_0.gguf', sha256: SHA }],
        promptTemplates: [],
      },
    ]);
  });

  it('skips a malformed entry with a problem that names it, and keeps the rest', () => {
    const { entries, problems } = parseGalleryIndex('- name: good\n- description: no name\n- name: bad-sha\n  files: [{filename: a, uri: "http://x/a", sha256: "xyz"}]\n- name: good\n', 'g');
    expect(entries.map((e) => e.name)).toEqual(['good']);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/g entry 2: 'name' must be a non-empty string/);
    expect(problems[1]).toMatch(/sha256/);
    expect(problems[2]).toMatch(/two entries are named "good"/);
  });

  it('an index that is not a list, or not YAML, is a GalleryFormatError', () => {
    expect(() => parseGalleryIndex('name: x', 'g')).toThrow(GalleryFormatError);
    expect(() => parseGalleryIndex('- [unclosed', 'g')).toThrow(/not valid YAML/);
    expect(parseGalleryIndex('', 'g')).toEqual({ entries: [], problems: [] });
  });
});

describe('parseModelDefinition (LocalAI base model YAML)', () => {
  it('reads config_file as YAML text, files and prompt_templates', () => {
    const definition = parseModelDefinition(
      `name: chatml
license: apache-2.0
config_file: |
  backend: llama-cpp
  context_size: 4096
  template:
    chat_message: chatml
  stopwords: ["<|im_end|>"]
files:
  - filename: base.gguf
    uri: https://example.com/base.gguf
prompt_templates:
  - name: chatml
    content: "<|im_start|>{{.RoleName}}"
`,
      'chatml.yaml',
    );
    expect(definition).toEqual({
      name: 'chatml',
      license: 'apache-2.0',
      urls: [],
      configFile: { backend: 'llama-cpp', context_size: 4096, template: { chat_message: 'chatml' }, stopwords: ['<|im_end|>'] },
      files: [{ filename: 'base.gguf', uri: 'https://example.com/base.gguf' }],
      promptTemplates: [{ name: 'chatml', content: '<|im_start|>{{.RoleName}}' }],
    });
  });

  it('names the field that is wrong', () => {
    expect(() => parseModelDefinition('config_file: "- a list"\n', 'd.yaml')).toThrow(/d\.yaml: 'config_file' must be a YAML map/);
    expect(() => parseModelDefinition('files: {filename: x}\n', 'd.yaml')).toThrow(/'files' must be a list/);
    expect(() => parseModelDefinition('prompt_templates: [{content: x}]\n', 'd.yaml')).toThrow(/'name' must be a non-empty string/);
  });
});

describe('deepMerge (gallery overrides)', () => {
  it('merges maps key by key and replaces lists and scalars', () => {
    expect(
      deepMerge(
        { name: 'a', parameters: { model: 'x', temperature: 0.2 }, stopwords: ['a', 'b'] },
        { parameters: { temperature: 0.7, top_k: 40 }, stopwords: ['c'], context_size: 1024 },
      ),
    ).toEqual({ name: 'a', parameters: { model: 'x', temperature: 0.7, top_k: 40 }, stopwords: ['c'], context_size: 1024 });
  });

  it('never lets a key reach the object prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"x": 1}, "ok": 1}') as Record<string, unknown>;
    const merged = deepMerge({}, hostile);
    expect(merged).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseApplyRequest (/models/apply body)', () => {
  it('reads id, name, overrides and files', () => {
    expect(parseApplyRequest({ id: 'hub@tiny', name: 'my-tiny', overrides: { context_size: 256 }, files: [{ filename: 'x.gguf', uri: 'http://h/x.gguf' }] })).toEqual({
      id: 'hub@tiny',
      name: 'my-tiny',
      overrides: { context_size: 256 },
      files: [{ filename: 'x.gguf', uri: 'http://h/x.gguf' }],
    });
    expect(parseApplyRequest({ url: 'github:o/r/m.yaml' })).toEqual({ url: 'github:o/r/m.yaml', overrides: {}, files: [] });
    expect(parseApplyRequest({ config_url: 'https://x/c.yaml' })).toEqual({ configUrl: 'https://x/c.yaml', overrides: {}, files: [] });
  });

  it.each([
    [{}, 'id'],
    [{ id: 'a@b', url: 'http://x' }, 'id'],
    [{ id: 'a@b', overrides: [1] }, 'overrides'],
    [{ id: 'a@b', files: [{ filename: 'x' }] }, 'files'],
    [{ id: 5 }, 'id'],
    ['string', 'body'],
  ])('%j is a 400 naming %s', (body, param) => {
    expect(() => parseApplyRequest(body)).toThrow(expect.objectContaining({ status: 400, param }));
  });
});
