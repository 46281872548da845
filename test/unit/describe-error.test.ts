// The app's error text: advice is given once, and only where the message has none.
import { describe, expect, it } from 'vitest';
import { describeError } from '../../web/ui/describe-error.js';

describe('describeError', () => {
  it('adds connection advice to the bare platform network error', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toBe('Failed to fetch. Check your connection: models on other sites need the network.');
    expect(describeError(new TypeError('NetworkError when attempting to fetch resource.'))).toBe(
      'NetworkError when attempting to fetch resource. Check your connection: models on other sites need the network.',
    );
  });

  it('leaves a message that already has advice alone (no doubled advice, no "..")', () => {
    const message = 'Could not reach https://example.org: Failed to fetch. Check the address and your connection.';
    expect(describeError(new Error(message))).toBe(message);
  });

  it('passes API errors through unchanged', () => {
    expect(describeError(new Error('The model "x" is not installed.'))).toBe('The model "x" is not installed.');
  });
});
