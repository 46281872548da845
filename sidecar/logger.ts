import type { LogLevel, Logger } from '../shared/base/logger.js';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Timestamped lines on stderr, filtered by level. */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return (messageLevel, message) => {
    if (RANK[messageLevel] > RANK[level]) return;
    write(`${new Date().toISOString()} ${messageLevel.toUpperCase().padEnd(5)} ${message}\n`);
  };
}
