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

  toInt32Array(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * A list of int32 written straight into large blocks, where it stays: `take()` hands out the finished
 * list as a view of its block and starts the next list behind it. The lcov parser keeps every file's line
 * lists so. Before, each section's list was filled in a reused buffer and then copied into an arena: a
 * copy and a temporary typed array per list (V8's subarray costs some 900 instructions), 60 000 lists for
 * 20 000 files; and an Int32Array of its own per list costs an ArrayBuffer each, with its bookkeeping and
 * GC work. A list that outgrows its block moves to a new one, at least twice its size. Bounded: the
 * values, plus the unused end a list leaves in a block when it moves (less than one block per block).
 */
export class IntRun {
  private static readonly BLOCK = 1 << 18; // 1 MiB of int32
  /**
   * Empty until the first push: that push runs `move()`, so the call has type feedback before V8 optimises
   * `push` into the parser's hot loop (a first `move()` reached only in optimised code deoptimised it).
   */
  private data = new Int32Array(0);
  private from = 0;
  private end = 0;

  get length(): number {
    return this.end - this.from;
  }

  push(value: number): void {
    if (this.end === this.data.length) this.move();
    this.data[this.end++] = value;
  }

  at(index: number): number {
    return this.data[this.from + index] as number;
  }

  /** Drops the current list; the next one takes its place. */
  clear(): void {
    this.end = this.from;
  }

  /** The current list, as a view of its block; the next list starts behind it. */
  take(): Int32Array {
    const view = this.data.subarray(this.from, this.end);
    this.from = this.end;
    return view;
  }

  /** A copy of the current list (which goes on). */
  toInt32Array(): Int32Array {
    return this.data.slice(this.from, this.end);
  }

  private move(): void {
    const length = this.end - this.from;
    const block = new Int32Array(Math.max(IntRun.BLOCK, length * 2));
    block.set(this.data.subarray(this.from, this.end));
    this.data = block;
    this.from = 0;
    this.end = length;
  }
}
