// Which model served a request and how many tokens it used, noted by the routes on the request's
// signal (which every layer already has) for the request log. Without a log (the tab) nothing is
// tracked and the notes are no-ops.

export interface RequestRecord {
  model?: string;
  promptTokens: number;
  completionTokens: number;
}

const RECORDS = new WeakMap<AbortSignal, RequestRecord>();

export function trackRequest(signal: AbortSignal): RequestRecord {
  const record: RequestRecord = { promptTokens: 0, completionTokens: 0 };
  RECORDS.set(signal, record);
  return record;
}

/** The model a request was served by (a no-op for requests the router does not log). */
export function noteModel(signal: AbortSignal, model: string): void {
  const record = RECORDS.get(signal);
  if (record !== undefined) record.model = model;
}

export function noteTokens(signal: AbortSignal, promptTokens: number, completionTokens: number): void {
  const record = RECORDS.get(signal);
  if (record === undefined) return;
  record.promptTokens += promptTokens;
  record.completionTokens += completionTokens;
}
