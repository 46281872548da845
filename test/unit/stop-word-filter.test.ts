import { describe, expect, it } from 'vitest';
import { StopWordFilter } from '../../shared/generation/stop-word-filter.js';

/** Feeds chunks in order until a stop; returns what the client would see. */
function run(stopWords: string[], chunks: string[]): { sent: string[]; stopped: boolean; flushed: string; pushes: number } {
  const filter = new StopWordFilter(stopWords);
  const sent: string[] = [];
  let pushes = 0;
  for (const chunk of chunks) {
    pushes++;
    const { text, stopped } = filter.push(chunk);
    sent.push(text);
    if (stopped) return { sent, stopped: true, flushed: filter.flush(), pushes };
  }
  return { sent, stopped: false, flushed: filter.flush(), pushes };
}

describe('StopWordFilter', () => {
  it.each([
    { name: 'stop word inside one chunk', stop: ['<|end|>'], chunks: ['Hello<|end|>world'], sent: ['Hello'], pushes: 1 },
    { name: 'stop word at the very start', stop: ['###'], chunks: ['###tail'], sent: [''], pushes: 1 },
    { name: 'split over 2 chunks', stop: ['<|end|>'], chunks: ['Hi <|en', 'd|> more'], sent: ['Hi ', ''], pushes: 2 },
    { name: 'split over 3 chunks', stop: ['<|end|>'], chunks: ['Hi <', '|en', 'd|>x', 'never'], sent: ['Hi ', '', ''], pushes: 3 },
    {
      name: 'text before the stop in the completing chunk is released',
      stop: ['STOP'],
      chunks: ['ab', 'cST', 'OP!'],
      sent: ['ab', 'c', ''],
      pushes: 3,
    },
    { name: 'earliest of several stop words wins', stop: ['world', 'lo'], chunks: ['hello world'], sent: ['hel'], pushes: 1 },
    {
      name: 'earliest wins regardless of list order',
      stop: ['lo', 'world'],
      chunks: ['say world, hello'],
      sent: ['say '],
      pushes: 1,
    },
  ])('$name', ({ stop, chunks, sent, pushes }) => {
    const result = run(stop, chunks);
    expect(result).toEqual({ sent, stopped: true, flushed: '', pushes });
  });

  it('holds back a possible prefix and releases it when it turns out not to be a stop word', () => {
    const filter = new StopWordFilter(['</s>']);
    expect(filter.push('a</')).toEqual({ text: 'a', stopped: false });
    expect(filter.push('b>')).toEqual({ text: '</b>', stopped: false });
    expect(filter.flush()).toBe('');
  });

  it('holds back the longest suffix that could start any stop word', () => {
    const filter = new StopWordFilter(['abcd', 'cx']);
    // "abc" could start "abcd"; "c" could start "cx": the longer hold wins.
    expect(filter.push('zzabc')).toEqual({ text: 'zz', stopped: false });
    expect(filter.push('x')).toEqual({ text: 'ab', stopped: true });
  });

  it('keeps a whole-chunk prefix pending over several chunks', () => {
    const filter = new StopWordFilter(['<|im_end|>']);
    expect(filter.push('<|')).toEqual({ text: '', stopped: false });
    expect(filter.push('im_')).toEqual({ text: '', stopped: false });
    expect(filter.push('start|>')).toEqual({ text: '<|im_start|>', stopped: false });
  });

  it('flush() returns held-back text once and then nothing', () => {
    const filter = new StopWordFilter(['\nUser:']);
    expect(filter.push('Answer.\nUs')).toEqual({ text: 'Answer.', stopped: false });
    expect(filter.flush()).toBe('\nUs');
    expect(filter.flush()).toBe('');
    expect(filter.push('more')).toEqual({ text: 'more', stopped: false });
  });

  it('an empty stop list passes every chunk through unchanged', () => {
    const chunks = ['Hello', ' <|end|>', '', '\n###', ' done'];
    const result = run([], chunks);
    expect(result).toEqual({ sent: chunks, stopped: false, flushed: '', pushes: chunks.length });
  });

  it('text that never matches is all released by the end', () => {
    const chunks = ['The ', 'stop', 'ping ', 'point is ', 'S', 'T'];
    const result = run(['STOP'], chunks);
    expect(result.stopped).toBe(false);
    expect(result.sent.join('') + result.flushed).toBe(chunks.join(''));
    expect(result.flushed).toBe('ST');
  });
});
