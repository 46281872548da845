import type { Logger } from '../shared/base/logger.js';
import { formatDevice } from '../shared/engine/format-device.js';
import type { LoadReporter } from '../shared/models/model-manager.js';
import { errorMessage } from '../shared/base/error-message.js';

/** Logs model loads with progress every 25%, so a long load of a big model is never silent. */
export function loadProgressReporter(log: Logger): LoadReporter {
  const lastQuarter = new Map<string, number>();
  return {
    onLoadStart: (name) => {
      lastQuarter.set(name, -1);
      log('info', `loading model ${name}`);
    },
    onLoadProgress: (name, fraction) => {
      const quarter = Math.floor(fraction * 4);
      if (quarter > (lastQuarter.get(name) ?? -1) && quarter < 4) {
        lastQuarter.set(name, quarter);
        log('info', `loading model ${name}: ${quarter * 25}%`);
      }
    },
    onLoaded: (name, ms, description) => log('info', `loaded model ${name} in ${ms} ms on ${formatDevice(description)}`),
    onUnloaded: (name, reason) => log('info', `unloaded model ${name}: ${reason}`),
    onLoadFailed: (name, error) => log('error', `could not load model ${name}: ${errorMessage(error)}`),
  };
}
