// One row per measured figure: what was measured, against what, and whether the target holds.
export type Comparison = 'at-most' | 'at-least';

export interface BenchRow {
  case: string;
  metric: string;
  measured: number;
  unit: string;
  /** The limit or the peer the figure is compared with, in the same unit; null when the figure stands alone. */
  reference: number | null;
  referenceLabel: string;
  /** measured / reference, taken within the same run. */
  ratio: number | null;
  target: string;
  /** Which figure the target applies to: the ratio, or the measured value itself. */
  targetOn: 'ratio' | 'measured' | 'none';
  comparison: Comparison;
  targetValue: number | null;
  met: boolean | null;
  runs: number[];
  note?: string;
}

export interface RowInput {
  case: string;
  metric: string;
  runs: number[];
  measured: number;
  unit: string;
  reference?: { value: number; label: string };
  target?: { on: 'ratio' | 'measured'; comparison: Comparison; value: number; text: string };
  note?: string;
}

export function row(input: RowInput): BenchRow {
  const ratio = input.reference && input.reference.value > 0 ? input.measured / input.reference.value : null;
  let met: boolean | null = null;
  if (input.target) {
    const figure = input.target.on === 'ratio' ? ratio : input.measured;
    met = figure === null || !Number.isFinite(figure) ? false
      : input.target.comparison === 'at-most' ? figure <= input.target.value : figure >= input.target.value;
  }
  return {
    case: input.case, metric: input.metric, measured: input.measured, unit: input.unit,
    reference: input.reference?.value ?? null, referenceLabel: input.reference?.label ?? '',
    ratio, target: input.target?.text ?? '', targetOn: input.target?.on ?? 'none',
    comparison: input.target?.comparison ?? 'at-most', targetValue: input.target?.value ?? null, met, runs: input.runs,
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
}

function figure(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

/** A fixed-width text table; a missed target reads MISSED, never hidden. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['case', 'metric', 'measured', 'limit or peer', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [
    r.case, r.metric, figure(r.measured, r.unit),
    r.reference === null ? '—' : `${figure(r.reference, r.unit)} (${r.referenceLabel})`,
    r.ratio === null ? '—' : `${figure(r.ratio)}×`,
    r.target || '—',
    r.met === null ? 'info' : r.met ? 'met' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
