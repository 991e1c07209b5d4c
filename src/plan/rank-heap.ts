/** A min-heap of task indices by a fixed rank, in typed arrays (it holds up to every task of an agent). */
export class RankHeap {
  private items = new Int32Array(16);
  size = 0;
  constructor(private readonly rank: Int32Array) {}

  push(task: number): void {
    if (this.size === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const { items, rank } = this;
    const key = rank[task] as number;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as number;
      if ((rank[p] as number) <= key) break;
      items[i] = p;
      i = parent;
    }
    items[i] = task;
  }

  /** The task of least rank; only when size > 0. */
  pop(): number {
    const { items, rank } = this;
    const top = items[0] as number;
    const last = items[--this.size] as number;
    const key = rank[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && (rank[items[child + 1] as number] as number) < (rank[items[child] as number] as number)) child++;
      if (key <= (rank[items[child] as number] as number)) break;
      items[i] = items[child] as number;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
