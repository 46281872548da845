// Pure decisions of a resumable download: which Range to ask for, and what the server's answer
// means for the partial file. Kept apart from I/O so every server behaviour is unit-tested.

export type RangeAnswer =
  /** Append the body to the partial file; `total` is the complete size when the server said. */
  | { kind: 'append'; total: number | undefined }
  /** The server sends the whole file: empty the partial file first, then append the body. */
  | { kind: 'restart'; total: number | undefined }
  /** The answer does not fit the partial file: ignore the body, empty the file and ask again from byte 0. */
  | { kind: 'discard' }
  /** The partial file already holds the whole file (416 for a range starting at its end). */
  | { kind: 'complete' }
  | { kind: 'failed'; status: number };

export function rangeHeaders(offset: number): Record<string, string> {
  return offset > 0 ? { range: `bytes=${offset}-` } : {};
}

/** "bytes 100-199/1000" -> start 100, total 1000; "bytes *\/1000" -> total 1000. */
export function parseContentRange(header: string | null): { start: number | undefined; total: number | undefined } | undefined {
  const match = /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[2] === '*' || match[2] === undefined ? undefined : Number(match[2]),
  };
}

function contentLength(headers: Headers): number | undefined {
  const text = headers.get('content-length');
  const value = text === null ? NaN : Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export function interpretRangeAnswer(status: number, headers: Headers, offset: number): RangeAnswer {
  if (status === 206) {
    const range = parseContentRange(headers.get('content-range'));
    // A 206 that does not continue exactly where we stopped cannot be appended safely.
    if (range?.start !== offset) return { kind: 'discard' };
    const length = contentLength(headers);
    return { kind: 'append', total: range.total ?? (length === undefined ? undefined : offset + length) };
  }
  if (status >= 200 && status < 300) {
    return offset > 0 ? { kind: 'restart', total: contentLength(headers) } : { kind: 'append', total: contentLength(headers) };
  }
  if (status === 416 && offset > 0) {
    const range = parseContentRange(headers.get('content-range'));
    if (range?.total === offset) return { kind: 'complete' };
    return { kind: 'discard' };
  }
  return { kind: 'failed', status };
}
