// The tab's side of autogptq: a GPTQ repo whose files are in browser storage (the page hands over
// a URL per file) becomes a GGUF in `hearth-cache`, once per set of files and config values, like
// gguf-in-worker.ts does for one legacy file. Files are fetched on first use by the converter
// (the tokenizer and config are small; the weights are read by slices of the stored file).
import { ApiError } from '../../shared/base/api-error.js';
import type { ByteSink, ByteSource } from '../../shared/convert/byte-source.js';
import { convertRepoToGguf } from '../../shared/convert/convert-to-gguf.js';
import type { RepoSource } from '../../shared/convert/repo-source.js';
import type { ConversionSettings, ModelRepo } from '../../shared/engine/engine.js';
import { repoCacheKey } from './converted-copy-names.js';
import { MAX_MODEL_FILE_BYTES } from './wasm-file-limit.js';
import { blobSource, convertIntoCache, stampOf, type GgufInWorker } from './gguf-in-worker.js';


function tooBig(name: string): ApiError {
  return new ApiError(
    'invalid_request',
    `${name} converted to GGUF is larger than 2.1 GB, the most the in-browser engine (32-bit WebAssembly) loads per file. Run it with the sidecar instead.`,
    { param: 'model', code: 'model_too_large' },
  );
}

function urlRepo(repo: ModelRepo, signal: AbortSignal): RepoSource {
  const files = repo.files ?? {};
  const opened = new Map<string, Promise<ByteSource | undefined>>();
  const open = async (path: string): Promise<ByteSource | undefined> => {
    const url = files[path];
    if (url === undefined) return undefined;
    const response = await fetch(url, { signal });
    if (!response.ok) throw new ApiError('server', `Could not read ${repo.name}/${path} from browser storage (HTTP ${response.status}). Check that it is still stored.`);
    // A stored file's blob: URL answers with a Blob backed by the file itself: slices read from it, not from memory.
    return blobSource(`${repo.name}/${path}`, await response.blob());
  };
  return {
    name: repo.name,
    file(path) {
      let source = opened.get(path);
      if (source === undefined) {
        source = open(path);
        opened.set(path, source);
      }
      return source;
    },
  };
}


export async function repoGgufInWorker(repo: ModelRepo, settings: ConversionSettings, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<GgufInWorker> {
  const key = repoCacheKey(repo.name);
  const stamp = stampOf(`autogptq:${repo.stamp ?? JSON.stringify(Object.keys(repo.files ?? {}).sort())}`, settings);
  return convertIntoCache(key, `${key}.${stamp}.gguf`, async (sink: ByteSink) => {
    let written = 0;
    const limited: ByteSink = {
      write: async (bytes) => {
        written += bytes.byteLength;
        if (written > MAX_MODEL_FILE_BYTES) throw tooBig(repo.name);
        await sink.write(bytes);
      },
    };
    await convertRepoToGguf(urlRepo(repo, signal), limited, settings, { signal, onProgress });
  });
}
