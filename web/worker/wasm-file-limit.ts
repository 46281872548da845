// The largest model file the in-browser engine loads. No imports: the page (web/models/model-limits.ts)
// and the engine worker's build both use it.

/** wasm32 addresses 4 GiB, and wllama reads one model file into one buffer: about 2 GiB per file. */
export const MAX_MODEL_FILE_BYTES = 2 * 1024 ** 3;
