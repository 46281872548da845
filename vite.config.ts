// Builds the browser app (web/) into dist/web. COOP/COEP make the page cross-origin isolated, which
// multi-threaded WASM needs (SharedArrayBuffer); the dev server and preview send them like production.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const packageJson = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as { version: string };

export default defineConfig({
  root: 'web',
  // GET /version in the tab answers what the sidecar answers: package.json's version.
  define: { __HEARTH_VERSION__: JSON.stringify(packageJson.version) },
  publicDir: '../public',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, 'web/index.html'),
        'engine-test': resolve(import.meta.dirname, 'web/test-pages/engine.html'),
      },
    },
  },
  worker: { format: 'es' },
  plugins: [
    // The PWA worker (web/sw/sw.ts) with the precache manifest injected. msw registers it (as /sw.js)
    // and the app ships its own manifest, so the plugin registers nothing and generates no manifest.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        // A classic script: it importScripts() msw's worker, which module workers cannot.
        rollupFormat: 'iife',
        globPatterns: ['**/*.{html,js,css,wasm,gguf,webmanifest,svg,png}'],
        globIgnores: ['mockServiceWorker.js', 'sw.js'],
        // The llama.cpp wasm builds are over workbox's 2 MB default.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
      },
    }),
  ],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
