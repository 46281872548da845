// Installs a model on first use when a request names one that is not there. The sidecar plugs in
// the Hugging Face installer below; the browser can plug in its own.
import type { ModelInstaller } from './model-installer.js';
import { planFromHuggingFaceName } from './install-plan.js';
import { parseHuggingFaceModelName } from './hf-model-name.js';

export interface AutoInstaller {
  /** True when `model` is a name this installer can fetch. */
  canInstall(model: string): boolean;
  /** Installs it. Concurrent calls for one model share one install. Rejects with ApiError. */
  install(model: string): Promise<void>;
}

/** `owner/repo/file` -> {HF_ENDPOINT}/owner/repo/resolve/main/file, configured under that name. */
export function huggingFaceAutoInstaller(installer: ModelInstaller, hfEndpoint: string): AutoInstaller {
  return {
    canInstall: (model) => parseHuggingFaceModelName(model) !== undefined,
    async install(model) {
      const plan = planFromHuggingFaceName(model, hfEndpoint);
      if (plan === undefined) return;
      if (!installer.isInstalling(plan.stem)) await installer.preflight(plan);
      await installer.start(plan).done;
    },
  };
}
