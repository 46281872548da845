// Order statistics for benchmark samples.

/** The q-quantile (0..1) of `xs`, interpolating linearly between the two nearest samples. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return (s[lo] as number) + ((s[Math.min(lo + 1, s.length - 1)] as number) - (s[lo] as number)) * (at - lo);
}

/** The median: the middle sample, or the mean of the two middle ones. */
export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
