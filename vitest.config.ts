import { defineConfig } from 'vitest/config';

// Unit tests need no model and run in parallel; model-backed tests load real GGUFs and run one
// file at a time so that two native llama.cpp instances never fight for the 2 cores.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      {
        test: {
          name: 'models',
          include: ['test/sidecar/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['test/fixtures/global-setup.ts'],
        },
      },
      {
        // Real headless Chromium against the built app (dist/web, built once by build-web.ts).
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 180_000,
          globalSetup: ['test/fixtures/global-setup.ts', 'test/browser/build-web.ts'],
        },
      },
    ],
  },
});
