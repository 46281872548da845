// Keeps pulling from a source while the consumer is busy. Engines decode the next token only when
// asked for it, so without this the HTTP write of token k and the decode of token k+1 would run one
// after the other; with it they overlap. Returning the result stops the source (frees the sequence).

export function readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const buffer: Array<IteratorResult<T>> = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let stopped = false;

  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const pump = (async () => {
    try {
      while (!stopped) {
        const result = await iterator.next();
        buffer.push(result);
        notify();
        if (result.done === true) return;
      }
    } catch (error) {
      failure = { error };
      notify();
    }
  })();

  return (async function* () {
    try {
      for (;;) {
        const result = buffer.shift();
        if (result !== undefined) {
          if (result.done === true) return;
          yield result.value;
          continue;
        }
        if (failure !== undefined) throw failure.error;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (!stopped) {
        stopped = true;
        await iterator.return?.();
      }
      await pump;
    }
  })();
}
