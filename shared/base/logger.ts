// The one logging shape every layer writes to; the composition root decides where lines go.
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type Logger = (level: LogLevel, message: string) => void;
