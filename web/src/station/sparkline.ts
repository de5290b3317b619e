/** A small rolling chart (QBER, accumulated key) as SVG points; pure. */

export function sparklinePoints(values: number[], width: number, height: number, lo?: number, hi?: number): string {
  if (values.length < 2) return '';
  const min = lo ?? Math.min(...values);
  const max = hi ?? Math.max(...values);
  const span = max - min || 1;
  return values
    .map((v, i) => `${((i / (values.length - 1)) * width).toFixed(1)},${(height - ((Math.min(max, Math.max(min, v)) - min) / span) * height).toFixed(1)}`)
    .join(' ');
}

/** Keeps the last n values. */
export class Rolling {
  readonly values: number[] = [];
  constructor(readonly n: number) {}
  push(v: number): void {
    this.values.push(v);
    if (this.values.length > this.n) this.values.shift();
  }
}
