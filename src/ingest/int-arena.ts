/** A growable list of int32 (reused section after section by the lcov parser): no per-value allocation, no GC churn. */
export class IntList {
  private data = new Int32Array(0);
  length = 0;

  constructor() {
    // Assigned twice on purpose: V8 treats a field never reassigned as a constant, and the first growth
    // in push() then deoptimised every optimised function that had push() inlined (the parser's hot loop).
    this.data = new Int32Array(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  includes(value: number): boolean {
    for (let i = 0; i < this.length; i++) if (this.data[i] === value) return true;
    return false;
  }

  clear(): void {
    this.length = 0;
  }

  at(index: number): number {
    return this.data[index] as number;
  }

  /** The list's values, copied into `arena` (the list is reused for the next section). */
  copyTo(arena: IntArena): Int32Array {
    return arena.copy(this.data, this.length);
  }

  toInt32Array(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Keeps the line lists of every file in a few large blocks, each file's list a view of one: an
 * Int32Array of its own per list (three per file) cost an ArrayBuffer each, with its allocation, its
 * bookkeeping and GC work, and most of the parse's memory for 20 000 files. Bounded: the values
 * themselves, plus at most a quarter of each block left unused when the next list did not fit.
 */
export class IntArena {
  private static readonly BLOCK = 1 << 18; // 1 MiB of int32
  private block = new Int32Array(0);
  private used = 0;

  copy(data: Int32Array, length: number): Int32Array {
    if (length > IntArena.BLOCK >>> 2) return data.slice(0, length); // a big list gets its own buffer
    if (this.used + length > this.block.length) {
      this.block = new Int32Array(IntArena.BLOCK);
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + length);
    view.set(data.subarray(0, length));
    this.used += length;
    return view;
  }
}

