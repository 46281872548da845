// Vite's `?url` and `?raw` imports (the bundled model, its YAML) need Vite's client types.
/// <reference types="vite/client" />
