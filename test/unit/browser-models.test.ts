// Pure parts of the browser model library: Hugging Face names, size limits, file names.
import { describe, expect, it } from 'vitest';
import { resolveHubName } from '../../web/models/hub-url.js';
import { assertModelFits, MAX_MODEL_FILE_BYTES, ModelRefusedError } from '../../web/models/model-limits.js';
import { fileNameFromUrl, isModelFileName } from '../../web/models/model-file-name.js';
import { checkedModelStream } from '../../web/models/checked-model-stream.js';

describe('browser model library', () => {
  it('resolves owner/repo/file.gguf against the hub with its layout', () => {
    expect(resolveHubName('bartowski/SmolLM2-135M-Instruct-GGUF/SmolLM2-135M-Instruct-Q8_0.gguf')).toBe(
      'https://huggingface.co/bartowski/SmolLM2-135M-Instruct-GGUF/resolve/main/SmolLM2-135M-Instruct-Q8_0.gguf',
    );
    expect(resolveHubName('o/r/sub/dir/m.gguf', 'http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000/o/r/resolve/main/sub/dir/m.gguf');
    for (const bad of ['o/r', 'o/r/model.bin', '../r/m.gguf', 'o//m.gguf']) expect(() => resolveHubName(bad)).toThrow(/owner\/repo\/file\.gguf/);
  });

  it('refuses files over the wasm32 limit or the quota, naming both sizes', () => {
    expect(() => assertModelFits('m.gguf', MAX_MODEL_FILE_BYTES + 1, { available: undefined })).toThrow(ModelRefusedError);
    expect(() => assertModelFits('m.gguf', 3e9, { available: 1e12 })).toThrow(/3\.0 GB; .*at most 2\.1 GB per file/);
    expect(() => assertModelFits('m.gguf', 5e8, { available: 1e8 })).toThrow(/500 MB but this site may only store 100 MB more/);
    expect(() => assertModelFits('m.gguf', 5e8, { available: 1e9 })).not.toThrow();
  });

  it('takes file names from URLs and accepts .gguf and legacy .bin files', () => {
    expect(fileNameFromUrl('https://h.co/o/r/resolve/main/My%20Model.gguf?download=1')).toBe('My Model.gguf');
    expect(isModelFileName('m.gguf')).toBe(true);
    expect(isModelFileName('m.yaml')).toBe(false);
    expect(isModelFileName('.gguf')).toBe(false);
    expect(isModelFileName('a/b.gguf')).toBe(false);
    expect(isModelFileName('ggml-koala-7b-model-q4_0-r2.bin')).toBe(true); // legacy GGML: converted on load
    expect(isModelFileName('.hearth-cache.bin')).toBe(false);
  });

  it('lets GGUF and legacy GGML / rwkv.cpp files into storage by their magic, and refuses anything else', async () => {
    const pass = async (head: number[]): Promise<string> => {
      const body = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(Uint8Array.from([...head, 0, 0, 0, 0])); c.close(); } });
      try {
        await body.pipeThrough(checkedModelStream('m.bin', undefined)).pipeTo(new WritableStream());
        return 'ok';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await pass([0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0])).toBe('ok'); // GGUF
    expect(await pass([0x74, 0x6a, 0x67, 0x67, 3, 0, 0, 0])).toBe('ok'); // ggjt v3
    expect(await pass([0x66, 0x6d, 0x67, 0x67, 101, 0, 0, 0])).toBe('ok'); // rwkv.cpp
    expect(await pass([0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0, 0])).toMatch(/m\.bin is not a GGUF model: it starts with "<htm"/);
  });

  it('lets the RWKV World vocabulary (text, no magic) into storage by its name only', async () => {
    const pass = async (name: string): Promise<string> => {
      const body = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(new TextEncoder().encode("1 '\\x00' 1\n")); c.close(); } });
      try {
        await body.pipeThrough(checkedModelStream(name, undefined)).pipeTo(new WritableStream());
        return 'ok';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await pass('rwkv_vocab_v20230424.txt')).toBe('ok');
    expect(await pass('m.bin.tokenizer.txt')).toBe('ok');
    expect(await pass('notes.txt')).toMatch(/notes\.txt is not a GGUF model/);
  });
});
