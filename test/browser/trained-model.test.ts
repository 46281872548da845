// The trained built-in model as the app bundles it, in headless Chromium: the official `openai`
// client's requests are made by the page and answered by the shim, the shared router and wllama.
import type OpenAI from 'openai';
import { defineTrainedModelCases } from '../conformance/trained-model-cases.js';
import { shimClient, useServedApp } from './served-app.js';

let client: OpenAI;
useServedApp(async (served) => {
  client = shimClient(served);
});
defineTrainedModelCases('browser shim', () => client);
