// The tools, grammar and JSON-output conformance cases against the in-browser shim (wllama in the
// worker, constrained by the same GBNF the shared core builds for the sidecar).
import type OpenAI from 'openai';
import { afterAll } from 'vitest';
import { defineToolsConformance } from '../conformance/tools-cases.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addToolsModel, shimClient, shimTarget, useServedApp } from './served-app.js';

let client: OpenAI;

const folder = mkdtempSync(path.join(tmpdir(), 'hearth-tools-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const served = useServedApp(async (served) => {
  await addToolsModel(served, folder);
  client = shimClient(served, 120_000);
});

defineToolsConformance('browser shim', () => shimTarget(served, client, 'tiny-tools'));
