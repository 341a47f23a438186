import type { Row } from './compare.js';

/**
 * The first `n` rows in comparator order, in O(n) memory: a binary max-heap of the best n seen.
 * Ties keep arrival order, like a stable sort.
 */
export class TopN {
  private readonly heap: Array<{ row: Row; seq: number }> = [];
  private seq = 0;

  constructor(
    private readonly n: number,
    private readonly compare: (a: Row, b: Row) => number,
  ) {}

  private worse(i: number, j: number): boolean {
    const a = this.heap[i] as { row: Row; seq: number };
    const b = this.heap[j] as { row: Row; seq: number };
    const c = this.compare(a.row, b.row);
    return c > 0 || (c === 0 && a.seq > b.seq);
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i] as { row: Row; seq: number };
    this.heap[i] = this.heap[j] as { row: Row; seq: number };
    this.heap[j] = t;
  }

  push(row: Row): void {
    if (this.n <= 0) return;
    const entry = { row, seq: this.seq++ };
    if (this.heap.length < this.n) {
      this.heap.push(entry);
      let i = this.heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const top = this.heap[0] as { row: Row; seq: number };
    if (this.compare(row, top.row) >= 0) return;
    this.heap[0] = entry;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.heap.length && this.worse(l, worst)) worst = l;
      if (r < this.heap.length && this.worse(r, worst)) worst = r;
      if (worst === i) break;
      this.swap(i, worst);
      i = worst;
    }
  }

  /** The kept rows, best first. */
  sorted(): Row[] {
    return [...this.heap]
      .sort((a, b) => this.compare(a.row, b.row) || a.seq - b.seq)
      .map((e) => e.row);
  }
}
