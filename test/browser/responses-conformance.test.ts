// The Responses API conformance cases against the in-browser shim (wllama in the worker, the same
// shared router and generation path as the sidecar).
import type OpenAI from 'openai';
import { afterAll } from 'vitest';
import { defineResponsesConformance } from '../conformance/responses-cases.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addToolsModel, shimClient, shimTarget, useServedApp } from './served-app.js';

let client: OpenAI;

const folder = mkdtempSync(path.join(tmpdir(), 'hearth-responses-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const served = useServedApp(async (served) => {
  await addToolsModel(served, folder);
  client = shimClient(served, 120_000);
});

defineResponsesConformance('browser shim', () => shimTarget(served, client, 'tiny-tools'));
