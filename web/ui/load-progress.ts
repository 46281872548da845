// Model load progress (fetching the file, compiling, allocating) as reported by the core's
// ModelManager; loads happen on the first request for a model, so this shows during a chat.
import type { LoadReporter } from '../../shared/models/model-manager.js';
import { describeError } from './describe-error.js';
import { element } from './dom.js';

export function loadProgressReporter(onLoaded: (name: string) => void): LoadReporter {
  const box = element('load', HTMLDivElement);
  const bar = element('load-progress', HTMLProgressElement);
  const label = element('load-status', HTMLSpanElement);
  return {
    onLoadStart(name) {
      box.hidden = false;
      bar.value = 0;
      label.textContent = `Loading ${name}…`;
    },
    onLoadProgress(name, fraction) {
      bar.value = fraction;
      label.textContent = `Loading ${name}: ${Math.round(fraction * 100)}%`;
    },
    onLoaded(name, milliseconds) {
      box.hidden = true;
      label.textContent = `${name} loaded in ${(milliseconds / 1000).toFixed(1)} s`;
      onLoaded(name);
    },
    onLoadFailed(name, error) {
      box.hidden = true;
      label.textContent = `${name} failed to load: ${describeError(error)}`;
    },
  };
}
