/** A binary max-heap of (score, id) with ties broken by the smaller id, so pops are deterministic. */
export class MaxHeap {
  private scores: number[] = [];
  private ids: number[] = [];

  get size(): number {
    return this.ids.length;
  }

  private above(i: number, j: number): boolean {
    return this.scores[i] > this.scores[j] || (this.scores[i] === this.scores[j] && this.ids[i] < this.ids[j]);
  }

  private swap(i: number, j: number): void {
    [this.scores[i], this.scores[j]] = [this.scores[j], this.scores[i]];
    [this.ids[i], this.ids[j]] = [this.ids[j], this.ids[i]];
  }

  push(score: number, id: number): void {
    this.scores.push(score);
    this.ids.push(id);
    let i = this.ids.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  peekScore(): number {
    return this.ids.length ? this.scores[0] : -Infinity;
  }

  pop(): { score: number; id: number } | undefined {
    const n = this.ids.length;
    if (!n) return undefined;
    const top = { score: this.scores[0], id: this.ids[0] };
    this.swap(0, n - 1);
    this.scores.pop();
    this.ids.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n - 1 && this.above(l, m)) m = l;
      if (r < n - 1 && this.above(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}
