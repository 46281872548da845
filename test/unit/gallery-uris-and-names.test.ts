import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import { parseHuggingFaceModelName } from '../../shared/galleries/hf-model-name.js';
import { resolveUri } from '../../shared/galleries/resolve-uri.js';
import { checkFileName, fileNameProblem } from '../../shared/galleries/safe-file-name.js';

describe('resolveUri', () => {
  it.each([
    ['https://example.com/a/b.yaml', 'https://example.com/a/b.yaml', false],
    ['http://127.0.0.1:9/x.gguf', 'http://127.0.0.1:9/x.gguf', false],
    ['https://huggingface.co/o/r/resolve/main/f.gguf', 'https://huggingface.co/o/r/resolve/main/f.gguf', true],
    ['github:mudler/LocalAI/gallery/index.yaml@master', 'https://raw.githubusercontent.com/mudler/LocalAI/master/gallery/index.yaml', false],
    ['github://go-skynet/model-gallery/gpt4all-j.yaml', 'https://raw.githubusercontent.com/go-skynet/model-gallery/main/gpt4all-j.yaml', false],
    ['huggingface://TheBloke/phi-2-GGUF/phi-2.Q8_0.gguf', 'https://huggingface.co/TheBloke/phi-2-GGUF/resolve/main/phi-2.Q8_0.gguf', true],
    ['hf://TheBloke/phi-2-GGUF/sub/dir/phi 2.gguf', 'https://huggingface.co/TheBloke/phi-2-GGUF/resolve/main/sub/dir/phi%202.gguf', true],
    ['huggingface://o/r/f.gguf@v1.0', 'https://huggingface.co/o/r/resolve/v1.0/f.gguf', true],
    ['file:///models/index.yaml', 'file:///models/index.yaml', false],
  ])('%s -> %s', (uri, url, hub) => {
    expect(resolveUri(uri)).toEqual({ url, hub });
  });

  it('uses HF_ENDPOINT for huggingface:// and marks only its URLs as the hub', () => {
    expect(resolveUri('huggingface://o/r/f.gguf', 'http://127.0.0.1:5000/')).toEqual({ url: 'http://127.0.0.1:5000/o/r/resolve/main/f.gguf', hub: true });
    expect(resolveUri('http://127.0.0.1:5000/o/r/resolve/main/f.gguf', 'http://127.0.0.1:5000').hub).toBe(true);
    expect(resolveUri('https://huggingface.co/o/r/resolve/main/f.gguf', 'http://127.0.0.1:5000').hub).toBe(false);
  });

  it.each(['ftp://x/y', 'ollama://llama3', 'oci://registry/model', 'javascript:alert(1)', 'no-scheme/file', 'huggingface://o/r', 'huggingface://o/../x', 'github:o/r/../../etc@main', 'file:relative'])(
    'refuses %s with a 400',
    (uri) => {
      const error = (() => {
        try {
          resolveUri(uri);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 400, code: 'unsupported_uri' });
    },
  );
});

describe('parseHuggingFaceModelName', () => {
  it('reads owner/repo/file (the seed example) and picks a flat local file name', () => {
    expect(parseHuggingFaceModelName('TheBloke/WizardLM-13B-V1.2-GGML/wizardlm-13b-v1.2.ggmlv3.q2_K.bin')).toEqual({
      name: 'TheBloke/WizardLM-13B-V1.2-GGML/wizardlm-13b-v1.2.ggmlv3.q2_K.bin',
      uri: 'huggingface://TheBloke/WizardLM-13B-V1.2-GGML/wizardlm-13b-v1.2.ggmlv3.q2_K.bin',
      fileName: 'TheBloke--WizardLM-13B-V1.2-GGML--wizardlm-13b-v1.2.ggmlv3.q2_K.bin',
    });
    expect(parseHuggingFaceModelName('o/r/sub/f.gguf')?.fileName).toBe('o--r--sub--f.gguf');
  });

  it.each(['ggml-koala-7b-model-q4_0-r2.bin', 'gpt-4', 'openai/gpt-4o', 'o/r/', 'o//f', '../r/f', 'o/r/../f', 'o/r/./f', 'o/r/f\\g', 'o/r/f\u0000', '.o/r/f', 'o/r/ f'])(
    '%j is not a hub name',
    (model) => {
      expect(parseHuggingFaceModelName(model)).toBeUndefined();
    },
  );
});

describe('checkFileName', () => {
  it.each(['model.gguf', 'chatml.tmpl', 'phi-2.yaml', 'a b.gguf', 'ünïcode.gguf'])('accepts %j', (name) => {
    expect(checkFileName(name, 'filename')).toBe(name);
  });

  it.each([
    ['', 'empty'],
    ['..', 'folder'],
    ['.', 'folder'],
    ['../evil.gguf', 'separator'],
    ['/etc/passwd', 'separator'],
    ['a\\b', 'separator'],
    ['evil\u0000.gguf', 'NUL'],
    ['.hearth-install.x.json', 'dot'],
    ['C:evil', 'drive'],
    ['model.gguf.partial', '.partial'],
    ['x'.repeat(300), 'longer'],
  ])('refuses %j (%s) with a 400 naming the param', (name, fact) => {
    expect(fileNameProblem(name)).toContain(fact);
    expect(() => checkFileName(name, 'files[0].filename')).toThrow(ApiError);
    expect(() => checkFileName(name, 'files[0].filename')).toThrow(
      expect.objectContaining({ status: 400, param: 'files[0].filename', code: 'unsafe_file_name' }),
    );
  });
});
