// Shared pieces of the gallery / download tests: a hub stand-in loaded with the tiny model and a
// gallery, and polling a job with a deadline.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ensureTestModels } from '../fixtures/test-models.js';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';
import type { JobStatus } from '../../shared/galleries/job-tracker.js';
import { CHATML_MODEL_DEFINITION } from '../fixtures/gallery-fixtures.js';

export const TINY_FILE = 'hearth/tiny-GGUF/tiny-q8_0.gguf';
export const GALLERY_INDEX = 'hearth/gallery/index.yaml';

export interface LoadedHub {
  hub: HubServer;
  tinyBytes: Buffer;
  tinySha: string;
}

/** The stand-in with the tiny model, a base definition and a gallery index naming it. */
export async function startLoadedHub(): Promise<LoadedHub> {
  const { tinyQ8_0 } = await ensureTestModels();
  const tinyBytes = readFileSync(tinyQ8_0);
  const tinySha = createHash('sha256').update(tinyBytes).digest('hex');
  const hub = await startHubServer();
  hub.put(TINY_FILE, { path: tinyQ8_0 });
  hub.put(
    'hearth/gallery/chatml.yaml',
    CHATML_MODEL_DEFINITION,
  );
  hub.put(
    GALLERY_INDEX,
    `- name: tiny-chat
  url: huggingface://hearth/gallery/chatml.yaml
  description: The tiny test model with a ChatML template.
  license: mit
  tags: [test]
  overrides:
    parameters:
      model: tiny-q8_0.gguf
  files:
    - filename: tiny-q8_0.gguf
      uri: huggingface://${TINY_FILE}
      sha256: ${tinySha}
- name: tiny-corrupt
  url: huggingface://hearth/gallery/chatml.yaml
  overrides:
    parameters:
      model: corrupt.gguf
  files:
    - filename: corrupt.gguf
      uri: huggingface://${TINY_FILE}
      sha256: "${'0'.repeat(64)}"
- name: tiny-escape
  files:
    - filename: ../escaped.gguf
      uri: huggingface://${TINY_FILE}
- name: tiny-link
  files:
    - filename: link.gguf
      uri: huggingface://${TINY_FILE}
`,
  );
  return { hub, tinyBytes, tinySha };
}

/** Polls GET /models/jobs/:uuid until processed, failing after `deadlineMs`. */
export async function waitForJob(root: string, uuid: string, deadlineMs = 30_000): Promise<JobStatus> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const status = (await (await fetch(`${root}/models/jobs/${uuid}`)).json()) as JobStatus;
    if (status.processed) return status;
    if (Date.now() > deadline) throw new Error(`job ${uuid} did not finish within ${deadlineMs} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
