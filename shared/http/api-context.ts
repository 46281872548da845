// Everything the routes need, injected by the composition root (sidecar or browser).
import type { Logger } from '../base/logger.js';
import type { ServingMetrics } from './serving-metrics.js';
import type { ModelManager } from '../models/model-manager.js';
import type { ModelStore } from '../models/model-store.js';
import type { AutoInstaller } from '../galleries/auto-installer.js';
import type { ModelGalleries } from '../galleries/model-galleries.js';
import type { ResponseStore } from './responses/response-store.js';
import type { Upstreams } from '../upstreams/upstreams.js';


export interface ApiContext {
  store: ModelStore;
  models: ModelManager;
  /** Hearth's version (package.json), for GET /version. */
  version?: string;
  /** `owned_by` in /v1/models: "sidecar" or "browser". */
  owner: string;
  log: Logger;
  /** Seconds since the epoch, for `created` fields. */
  now(): number;
  /** Galleries, installs and jobs behind /models/*. Without it those routes answer 404. */
  galleries?: ModelGalleries;
  /** Counters behind /metrics; createApiRouter makes one when absent. */
  metrics?: ServingMetrics;
  /** Installs a requested model that is not there yet (Hugging Face `owner/repo/file`). Without it, none is. */
  autoInstaller?: AutoInstaller;
  /** Responses API objects kept for retrieval and `previous_response_id`; createApiRouter makes one when absent. */
  responses?: ResponseStore;
  /** The upstream pools of remote models (`backend: openai`); createApiRouter makes one (with global fetch) when absent. */
  upstreams?: Upstreams;
}
