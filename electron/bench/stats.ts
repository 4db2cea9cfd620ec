// Order statistics for the bench: medians over runs, percentiles over samples.
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `once` warmups times unmeasured, then runs times; returns every measured figure. */
export async function measure(runs: number, warmups: number, once: () => Promise<number> | number): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await once();
  const figures: number[] = [];
  for (let i = 0; i < runs; i++) figures.push(await once());
  return figures;
}
