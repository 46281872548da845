// Vite's `?url` and `?raw` imports (the bundled model, its YAML) need Vite's client types.
/// <reference types="vite/client" />

/** package.json's version, set by vite.config.ts (`define`). */
declare const __HEARTH_VERSION__: string;
