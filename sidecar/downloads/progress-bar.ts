// The terminal progress bar of `hearth models install`. On a terminal it redraws one line; in a
// pipe or log it prints a line per quarter, so CI logs stay short.
import type { JobStatus } from '../../shared/galleries/job-tracker.js';

export interface ProgressBar {
  update(status: JobStatus): void;
  /** Ends the line. */
  finish(): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

function describe(status: JobStatus): string {
  const size = status.file_size === '' ? status.downloaded_size : `${status.downloaded_size} / ${status.file_size}`;
  return `${status.progress.toFixed(1).padStart(5)}% ${status.file_name} ${size}`.trimEnd();
}

export function createProgressBar(write: (text: string) => void, isTTY: boolean, now: () => number = Date.now): ProgressBar {
  let lastDraw = 0;
  let lastQuarter = -1;
  let drawn = false;
  return {
    update(status) {
      if (status.file_name === '') return;
      if (isTTY) {
        if (now() - lastDraw < REDRAW_MS && status.progress < 100) return;
        lastDraw = now();
        const filled = Math.round((status.progress / 100) * WIDTH);
        write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${describe(status)}`);
        drawn = true;
        return;
      }
      const quarter = Math.floor(status.progress / 25);
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        write(`${describe(status)}\n`);
      }
    },
    finish() {
      if (isTTY && drawn) write('\n');
    },
  };
}
