import { IntList } from "./int-lists.js";

/** Bytes of FN record text kept per block; a record longer than that gets a block of its own. */
const BLOCK = 1 << 20;
/** Per slot: block index (or -1: the key is ready, in `readyKeys` at the next field), record start, name start, record end. */
const STRIDE = 4;

/**
 * The functions of an lcov tracefile (FN, FNDA, FNA records), kept as bytes, not strings.
 *
 * A function's identity is a key of line, name and occurrence (see `keysOf`): two functions may share a
 * name and are still two, as FNF counts them. Building that key for every function was most of the
 * parser's garbage (three strings and a Map entry per function, for 180 000 functions in 20 000 files).
 * In a section, the keys are distinct by construction unless a record holds a NUL or SOH byte (the
 * key's separators), so a file seen once needs only its count and how many were hit: the keys are built
 * only for a file with several sections (to merge them) or a section with such a byte.
 *
 * FNDA records find their function by name: the k-th FNDA of a name belongs to the k-th FN of that
 * name. Tools write FNDA in the order of FN, so the i-th FNDA is compared byte for byte with the i-th
 * function's name; only when that fails is the name → functions index built, from the names so far.
 * Memory: the FN record bytes plus 5 int32 per function.
 */
export class FunctionTable {
  private readonly blocks: Buffer[] = [];
  private block = Buffer.alloc(0);
  private used = 0;
  private readonly slots = new IntList();
  /** Per slot: 1 if any of its FNDA/FNA records counts a hit, else 0 (only hit or not is ever reported). */
  private readonly hits = new IntList();
  private readonly readyKeys: string[] = [];
  private sectionStart = 0;
  /** FNDA records of the section matched in order (the i-th to the i-th function). */
  private matched = 0;
  /** name → the section's functions of that name and how many an FNDA has claimed; built on the first FNDA out of order. */
  private byName: Map<string, { slots: number[]; claimed: number }> | undefined;
  private readonly byIndex = new Map<string, number>();
  /** A record of the section holds a NUL or SOH byte: its keys may collide, so they must be built. */
  odd = false;

  /** First slot of the current section. */
  get start(): number {
    return this.sectionStart;
  }

  /** Slots so far (the current section ends here). */
  get end(): number {
    return this.hits.length;
  }

  startSection(): void {
    this.sectionStart = this.hits.length;
    this.matched = 0;
    this.byName = undefined;
    if (this.byIndex.size > 0) this.byIndex.clear(); // clear() allocates a new table even when empty
    this.odd = false;
  }

  /**
   * FN:<line>,<name> or lcov 2 FN:<start>,<end>,<name>, the text after `FN:` in `buf[s, e)`.
   * Returns false when it has no comma after a non-empty first field (a malformed record).
   */
  declare(buf: Buffer, s: number, e: number): boolean {
    const length = e - s;
    if (this.used + length > this.block.length) {
      this.block = Buffer.allocUnsafe(Math.max(BLOCK, length));
      this.blocks.push(this.block);
      this.used = 0;
    }
    // One pass copies the record (a few bytes: a loop beats copy()) and finds its first comma and any NUL or
    // SOH byte; a malformed record leaves its copy behind `used`, where the next record overwrites it.
    const block = this.block;
    const at = this.used;
    let comma = -1;
    let odd = false;
    for (let i = 0; i < length; i++) {
      const c = buf[s + i] as number;
      block[at + i] = c;
      if (c <= 1) odd = true;
      else if (c === 44 /* , */ && comma === -1) comma = i;
    }
    if (comma <= 0) return false;
    if (odd) this.odd = true;
    // lcov 2 writes FN:<start>,<end>,<name>; a function name never starts with a digit.
    let name = comma + 1;
    let j = name;
    while (j < length && (block[at + j] as number) >= 48 /* 0 */ && (block[at + j] as number) <= 57 /* 9 */) j++;
    if (j > name && j < length && block[at + j] === 44 /* , */) name = j + 1;
    const slot = this.hits.length;
    this.slots.push(this.blocks.length - 1);
    this.slots.push(at);
    this.slots.push(at + name);
    this.slots.push(at + length);
    this.hits.push(0);
    this.used += length;
    if (this.byName) this.index(this.nameOf(slot), slot);
    return true;
  }

  /** FNDA:<hits>,<name>: `buf[s, e)` is the name; `hit` whether the count is non-zero. */
  count(buf: Buffer, s: number, e: number, hit: boolean): void {
    const next = this.sectionStart + this.matched;
    if (this.byName === undefined && next < this.hits.length && this.nameIs(next, buf, s, e)) {
      this.matched++;
      if (hit) this.hits.set(next, 1);
      return;
    }
    this.countByName(buf.toString("utf8", s, e), hit);
  }

  /** FNDA by name, decoded (the general case): see the class comment. */
  countByName(name: string, hit: boolean): void {
    const byName = this.nameIndex();
    const found = byName.get(name);
    let slot: number;
    // An FNDA beyond the FN records of its name adds to the last one; a name no FN declared is a function of its own.
    if (found) slot = found.slots[Math.min(found.claimed++, found.slots.length - 1)] as number;
    else {
      slot = this.add(`\u0000${name}\u0000fnda`, name);
      (byName.get(name) as { claimed: number }).claimed = 1;
    }
    if (hit) this.hits.set(slot, 1);
  }

  /** lcov 2 FNA:<index>,<hits>,<name>: several records with one index are aliases of one function (template instantiations). */
  alias(index: string, name: string, hit: boolean): void {
    this.nameIndex();
    let slot = this.byIndex.get(index);
    if (slot === undefined) {
      slot = this.add(`\u0001${index}`, name);
      this.byIndex.set(index, slot);
    }
    if (hit) this.hits.set(slot, 1);
  }

  /** Functions in slots [from, to) and how many were hit. */
  tally(from: number, to: number): { total: number; hit: number } {
    let hit = 0;
    for (let i = from; i < to; i++) hit += this.hits.at(i);
    return { total: to - from, hit };
  }

  /** Adds the functions of slots [from, to) (one section) to `into` by key; a key hit in any section is hit. */
  mergeInto(into: Map<string, number>, from: number, to: number): void {
    // Every FN record is a function, even when its name repeats (FNF counts them all): the key adds the
    // line and, for one name twice on one line (minified code), the occurrence.
    const seen = new Map<string, number>();
    for (let slot = from; slot < to; slot++) {
      let key: string;
      const base = slot * STRIDE;
      const block = this.slots.at(base);
      if (block < 0) key = this.readyKeys[this.slots.at(base + 1)] as string;
      else {
        const text = (this.blocks[block] as Buffer).toString("utf8", this.slots.at(base + 1), this.slots.at(base + 3));
        const at = `${text.slice(0, text.indexOf(","))}\u0000${this.nameOf(slot)}`;
        const n = seen.get(at) ?? 0;
        seen.set(at, n + 1);
        key = `${at}\u0000${n}`;
      }
      into.set(key, Math.max(into.get(key) ?? 0, this.hits.at(slot)));
    }
  }

  private add(key: string, name: string): number {
    const slot = this.hits.length;
    this.slots.push(-1);
    this.slots.push(this.readyKeys.length);
    this.slots.push(0);
    this.slots.push(0);
    this.hits.push(0);
    this.readyKeys.push(key);
    this.index(name, slot);
    return slot;
  }

  /** The name → slots index of the section, built from the functions so far and the FNDA records matched in order. */
  private nameIndex(): Map<string, { slots: number[]; claimed: number }> {
    if (this.byName) return this.byName;
    this.byName = new Map();
    for (let slot = this.sectionStart; slot < this.hits.length; slot++) this.index(this.nameOf(slot), slot);
    for (let slot = this.sectionStart; slot < this.sectionStart + this.matched; slot++) (this.byName.get(this.nameOf(slot)) as { claimed: number }).claimed++;
    return this.byName;
  }

  private index(name: string, slot: number): void {
    const byName = this.byName as Map<string, { slots: number[]; claimed: number }>;
    const found = byName.get(name);
    if (found) found.slots.push(slot);
    else byName.set(name, { slots: [slot], claimed: 0 });
  }

  /** The name of an FN slot (slots in order matching happens only before any other kind exists). */
  private nameOf(slot: number): string {
    const base = slot * STRIDE;
    return (this.blocks[this.slots.at(base)] as Buffer).toString("utf8", this.slots.at(base + 2), this.slots.at(base + 3));
  }

  private nameIs(slot: number, buf: Buffer, s: number, e: number): boolean {
    const base = slot * STRIDE;
    const block = this.blocks[this.slots.at(base)] as Buffer;
    const from = this.slots.at(base + 2);
    if (this.slots.at(base + 3) - from !== e - s) return false;
    for (let i = 0; i < e - s; i++) if (block[from + i] !== buf[s + i]) return false;
    return true;
  }
}
