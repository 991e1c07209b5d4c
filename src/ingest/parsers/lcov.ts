import { ParseError, REMEDY } from "../../errors.js";
import { IntList, IntRun } from "../int-lists.js";
import { FunctionTable } from "../lcov-functions.js";
import type { Diagnostic, FileCoverage, IngestResult, ReportParser } from "../types.js";

/** Everything one source file accumulates over its `SF:` sections (a tracefile may repeat a file). */
interface FileState {
  path: string;
  /** Hits per line, for repeated sections only; the first section's lines live in covered/uncovered. */
  hits: Map<number, number> | undefined;
  covered: Int32Array;
  uncovered: Int32Array;
  /** line, id of block+branch, taken (0 or 1), flattened; all sections of the file. */
  branches: Int32Array;
  /** A branch key repeats (template instantiations, repeated sections): count distinct keys. */
  branchesRepeat: boolean;
  /**
   * Function → hit (1) or not (0), keyed by line, name and occurrence (see FunctionTable), once the file
   * has several sections or one whose keys must be built; until then the functions are the FunctionTable's
   * slots [fnFrom, fnTo).
   */
  functions: Map<string, number> | undefined;
  fnFrom: number;
  fnTo: number;
  /** Summary lines (LF/LH, BRF/BRH, FNF/FNH), used only when the detail lines are absent. */
  summary: { lf?: number; lh?: number; brf?: number; brh?: number; fnf?: number; fnh?: number };
  sections: number;
}

// Byte values are written as literals with the character in a comment, not as module constants: a module's
// `const` is read through its module cell with a check that it is initialised (TDZ) at every use, and TurboFan
// does not fold it, so `c >= ZERO && c <= NINE` loaded and checked two cells per byte in the hot loops (a const
// enum would inline them, but trips the type-checked lint rules).

/**
 * lcov tracefiles (geninfo, c8, vitest/istanbul, v8-to-istanbul, coverage.py `lcov`, grcov, …).
 *
 * Reads bytes, not strings: only paths and function names are decoded; numbers are parsed in
 * place. That is what keeps a 68 MB tracefile within a few times a bare byte scan.
 */
export const lcovParser: ReportParser = {
  format: "lcov",
  description: "lcov tracefile (.info): geninfo, c8, vitest, jest, istanbul, coverage.py lcov, grcov",

  detect(head, path) {
    const text = head.toString("latin1", 0, Math.min(head.length, 4096));
    // `[^\n]*` already takes a "\r": a `\r?` after it made each CRLF line matchable two ways, and the
    // regex backtracked exponentially over a head of test-name lines with no SF: after them.
    const startsLikeLcov = /^(TN:[^\n]*\n)*SF:/.test(text);
    return startsLikeLcov || (/\.(info|lcov)$/.test(path) && /^(TN|SF|VER):/.test(text));
  },

  async parse(stream, ctx) {
    const parser = new LcovReader(ctx.file);
    for await (const chunk of stream as AsyncIterable<Buffer>) parser.feed(chunk);
    return parser.end();
  },
};

class LcovReader {
  private readonly files = new Map<string, FileState>();
  private readonly order: FileState[] = [];
  private current: FileState | undefined;
  /** Line numbers of DA in the current section arrive ascending in practice; if not, we dedupe at the end. */
  private lastDaLine = 0;
  private unsortedSection = false;
  /**
   * The current section's lines, written where they stay: at end_of_record a file seen once takes them as
   * views; a repeated or unsorted section copies them out, and the next section writes over them.
   */
  private readonly covered = new IntRun();
  private readonly uncovered = new IntRun();
  private readonly branches = new IntRun();
  private lastBrLine = 0;
  /** Ids of the BRDA records of the last line, to spot a repeated one. */
  private readonly lineBranchIds = new IntList();
  private sectionBranchesRepeat = false;
  private readonly fns = new FunctionTable();
  private readonly sectionSummary: FileState["summary"] = noSummary();
  private totalsDiffer = 0;
  private firstTotalsDiffer = "";
  private negative = 0;
  private firstNegativeLine = 0;
  private sectionStartLine = 0;
  /** The unfinished last line of the previous chunk; never undefined (a field that changes type deoptimises the code that reads it). */
  private rest: Buffer = NO_BYTES;
  private lineNo = 0;
  private records = 0;
  private unknown = 0;
  private firstUnknownLine = 0;
  private bad = 0;
  private firstBadLine = 0;
  private readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly file: string) {}

  feed(chunk: Buffer): void {
    let start = 0;
    if (this.rest.length > 0) {
      // Only the line cut by the chunk boundary is joined: copying the whole chunk behind it cost a
      // megabyte of copy and of short-lived memory per megabyte read.
      const rest = this.rest;
      this.rest = NO_BYTES;
      const nl = chunk.indexOf(10 /* \n */);
      if (nl === -1) {
        this.rest = Buffer.concat([rest, chunk]);
        return;
      }
      this.scan(Buffer.concat([rest, chunk.subarray(0, nl + 1)]), 0);
      start = nl + 1;
    }
    const stop = this.scan(chunk, start);
    if (stop < chunk.length) this.rest = chunk.subarray(stop);
  }

  /**
   * Reads the whole lines of `buf` from `from`; returns where the unfinished last line begins (or the
   * length). The hot loop of the parser. It reads only up to the chunk's last newline, found once: every
   * loop below stops at a newline (it is not a digit, and the line loops look for it), so none tests for
   * the end of the buffer byte by byte, and none reads past it (a read out of bounds deoptimised the loop
   * at every chunk end, and each recompilation cost more than parsing a thousand lines).
   */
  private scan(buf: Buffer, from: number): number {
    // `end` is computed here, not at the return: the loop is compiled while it runs (on-stack replacement),
    // before the first return is reached, and a `+` never executed there had no type feedback, so the
    // compiled code deoptimised at the end of every chunk.
    const end = buf.lastIndexOf(10 /* \n */) + 1;
    if (end <= from) return from;
    let start = from;
    while (start < end) {
      // Fast path for DA:<line>,<hits>[,<checksum>] (about 70 % of all lines): parsed where it stands,
      // the newline found on the way, no call per line. Anything unusual takes the general path.
      const state = this.current;
      if (buf[start] === 68 /* D */ && buf[start + 1] === 65 /* A */ && buf[start + 2] === 58 /* : */ && state !== undefined && state.hits === undefined) {
        let i = start + 3;
        let line = 0;
        let c = buf[i] as number;
        while (c >= 48 /* 0 */ && c <= 57 /* 9 */) {
          line = line * 10 + (c - 48 /* 0 */);
          c = buf[++i] as number;
        }
        if (c === 44 /* , */ && i > start + 3 && line <= 0x7fffffff /* the largest line number an Int32Array holds */) {
          let j = i + 1;
          let hit = false;
          c = buf[j] as number;
          while (c >= 48 /* 0 */ && c <= 57 /* 9 */) {
            if (c !== 48 /* 0 */) hit = true;
            c = buf[++j] as number;
          }
          if (j > i + 1 && (c === 10 /* \n */ || c === 13 /* \r */ || c === 44 /* , */)) {
            while (c !== 10 /* \n */) c = buf[++j] as number;
            this.lineNo++;
            if (line <= this.lastDaLine) this.unsortedSection = true;
            this.lastDaLine = line;
            if (hit) this.covered.push(line);
            else this.uncovered.push(line);
            start = j + 1;
            continue;
          }
        }
      }
      // BRDA:<line>,<block>,<branch>,<taken> in digits (a fifth of all lines) has a fast path of its own.
      if (buf[start] === 66 /* B */ && state !== undefined) {
        const next = this.plainBrda(buf, start, state);
        if (next > start) {
          start = next;
          continue;
        }
      }
      // A short loop finds the newline faster than a call to indexOf for a line of a few dozen bytes.
      let nl = start;
      while (buf[nl] !== 10 /* \n */) nl++;
      this.lineNo++;
      this.line(buf, start, nl > start && buf[nl - 1] === 13 /* \r */ ? nl - 1 : nl);
      start = nl + 1;
    }
    return end;
  }

  end(): IngestResult {
    if (this.rest.length > 0) {
      const buf = this.rest;
      this.rest = NO_BYTES;
      this.lineNo++;
      this.line(buf, 0, buf.length);
    }
    if (this.current) {
      throw new ParseError(this.file, this.sectionStartLine, `the record for ${this.current.path} has no end_of_record: the file looks truncated`, {
        hint: "regenerate the tracefile; nothing from it was stored",
      });
    }
    if (this.records === 0) {
      throw new ParseError(this.file, undefined, this.lineNo === 0 ? "the file is empty" : "no lcov record (SF: … end_of_record) found: this is not an lcov tracefile", {
        hint: `pass an lcov .info file, or ${REMEDY.nameFormat}`,
      });
    }
    if (this.unknown > 0) {
      this.diagnostics.push({ level: "warning", code: "lcov.unknown-line", message: `${this.unknown} line(s) with an unknown record type were ignored`, file: this.file, line: this.firstUnknownLine });
    }
    if (this.bad > 0) {
      this.diagnostics.push({ level: "warning", code: "lcov.bad-line", message: `${this.bad} malformed record(s) were ignored`, file: this.file, line: this.firstBadLine });
    }
    if (this.negative > 0) {
      this.diagnostics.push({
        level: "warning",
        code: "lcov.negative-count",
        message: `${this.negative} record(s) with a negative count were ignored (a broken counter: regenerate the tracefile)`,
        file: this.file,
        line: this.firstNegativeLine,
      });
    }
    if (this.totalsDiffer > 0) {
      this.diagnostics.push({
        // A warning, not a note: the figure shown is not the one the tool printed (coverage.py 6.5's lcov has
        // DA lines for 537 lines where its own LF and report say 532 statements).
        level: "warning",
        code: "lcov.totals-differ",
        message: `${this.totalsDiffer} record(s) state totals (LF/LH, BRF/BRH, FNF/FNH) that differ from their own DA/BRDA/FN lines, the first ${this.firstTotalsDiffer}; shipgate counts the lines`,
        file: this.file,
      });
    }
    const repeated = this.order.filter((f) => f.sections > 1).length;
    if (repeated > 0) {
      this.diagnostics.push({ level: "info", code: "lcov.repeated-file", message: `${repeated} source file(s) have several SF sections; their coverage was merged (a line is covered if any section covers it)`, file: this.file });
    }
    return { format: "lcov", tests: [], coverage: this.order.map((f) => toCoverage(f, this.fns)), diagnostics: this.diagnostics };
  }

  private line(buf: Buffer, s: number, e: number): void {
    if (e - s < 3) {
      if (e > s) this.unknownLine();
      return;
    }
    const b0 = buf[s];
    const b1 = buf[s + 1];
    const b2 = buf[s + 2];
    // DA:<line>,<hits>[,<checksum>] is the vast majority of lines.
    if (b0 === 68 /* D */ && b1 === 65 /* A */ && b2 === 58 /* : */) return this.da(buf, s + 3, e);
    if (b0 === 66 /* B */ && b1 === 82 /* R */ && b2 === 68 /* D */ && buf[s + 3] === 65 /* A */ && buf[s + 4] === 58 /* : */) return this.brda(buf, s + 5, e);
    if (b0 === 70 /* F */ && b1 === 78 /* N */) {
      if (b2 === 58 /* : */) return this.fn(buf, s + 3, e);
      if (b2 === 68 /* D */ && buf[s + 3] === 65 /* A */ && buf[s + 4] === 58 /* : */) return this.fnda(buf, s + 5, e);
      if (b2 === 70 /* F */ && buf[s + 3] === 58 /* : */) return this.summary("fnf", buf, s + 4, e);
      if (b2 === 72 /* H */ && buf[s + 3] === 58 /* : */) return this.summary("fnh", buf, s + 4, e);
      // lcov 2 FNL/FNA records: a later lcov writes functions this way.
      if (b2 === 76 /* L */ && buf[s + 3] === 58 /* : */) return this.fnl(buf, s + 4, e);
      if (b2 === 65 /* A */ && buf[s + 3] === 58 /* : */) return this.fna(buf, s + 4, e);
    }
    if (b0 === 83 /* S */ && b1 === 70 /* F */ && b2 === 58 /* : */) return this.sf(buf.toString("utf8", s + 3, e).trim());
    if (b0 === 101 /* e */ && (isEndOfRecord(buf, s, e) || buf.toString("latin1", s, e).trim() === "end_of_record")) return this.endOfRecord();
    if (b0 === 76 /* L */ && b2 === 58 /* : */) {
      if (b1 === 70 /* F */) return this.summary("lf", buf, s + 3, e);
      if (b1 === 72 /* H */) return this.summary("lh", buf, s + 3, e);
    }
    if (b0 === 66 /* B */ && b1 === 82 /* R */ && buf[s + 3] === 58 /* : */) {
      if (b2 === 70 /* F */) return this.summary("brf", buf, s + 4, e);
      if (b2 === 72 /* H */) return this.summary("brh", buf, s + 4, e);
    }
    // TN (test name), VER (lcov 2 version), BRDA-less geninfo extras, and line-checksum records carry nothing we count.
    if ((b0 === 84 /* T */ && b1 === 78 /* N */ && b2 === 58 /* : */) || (b0 === 86 /* V */ && b1 === 69 /* E */ && b2 === 82 /* R */)) return;
    this.unknownLine();
  }

  private sf(path: string): void {
    if (this.current) {
      this.badLine();
      this.endOfRecord();
    }
    let state = this.files.get(path);
    if (!state) {
      state = { path, hits: undefined, covered: EMPTY, uncovered: EMPTY, branches: EMPTY, branchesRepeat: false, functions: undefined, fnFrom: 0, fnTo: 0, summary: noSummary(), sections: 0 };
      this.files.set(path, state);
      this.order.push(state);
    } else if (state.hits === undefined) {
      // Second section of the same file: from now on, merge per line.
      state.hits = new Map();
      for (const l of state.covered) state.hits.set(l, 1);
      for (const l of state.uncovered) if (!state.hits.has(l)) state.hits.set(l, 0);
    }
    state.sections++;
    this.current = state;
    this.lastDaLine = 0;
    this.unsortedSection = false;
    this.covered.clear();
    this.uncovered.clear();
    this.branches.clear();
    this.lastBrLine = 0;
    this.lineBranchIds.clear();
    this.sectionBranchesRepeat = false;
    this.fns.startSection();
    clearSummary(this.sectionSummary); // one object for every section: no allocation per file
    this.sectionStartLine = this.lineNo;
  }

  private endOfRecord(): void {
    const state = this.current;
    if (!state) {
      this.badLine();
      return;
    }
    this.checkTotals(state);
    if (state.hits === undefined && !this.unsortedSection) {
      state.covered = this.covered.take();
      state.uncovered = this.uncovered.take();
    } else {
      // A repeated section, or DA lines out of order (which may repeat a line): merge per line.
      const hits = state.hits ?? new Map<number, number>();
      const covered = this.covered.toInt32Array();
      for (const l of this.uncovered.toInt32Array()) if (!hits.has(l)) hits.set(l, 0);
      for (const l of covered) hits.set(l, 1);
      const sorted = [...hits].sort((a, b) => a[0] - b[0]);
      state.covered = Int32Array.from(sorted.filter(([, h]) => h > 0).map(([l]) => l));
      state.uncovered = Int32Array.from(sorted.filter(([, h]) => h === 0).map(([l]) => l));
      state.hits = state.sections > 1 ? hits : undefined;
    }
    if (this.branches.length > 0) {
      if (state.branches.length === 0) {
        state.branches = this.branches.take();
      } else {
        const mine = this.branches.toInt32Array();
        const all = new Int32Array(state.branches.length + mine.length);
        all.set(state.branches);
        all.set(mine, state.branches.length);
        state.branches = all;
      }
    }
    const fns = this.fns;
    if (state.functions === undefined && state.sections === 1 && !fns.odd) {
      state.fnFrom = fns.start;
      state.fnTo = fns.end;
    } else {
      if (state.functions === undefined) {
        state.functions = new Map();
        fns.mergeInto(state.functions, state.fnFrom, state.fnTo);
      }
      fns.mergeInto(state.functions, fns.start, fns.end);
    }
    // Repeated sections: keep the larger figure; detail lines, when present, win anyway.
    const section = this.sectionSummary;
    const summary = state.summary;
    if (section.lf !== undefined) summary.lf = Math.max(summary.lf ?? 0, section.lf);
    if (section.lh !== undefined) summary.lh = Math.max(summary.lh ?? 0, section.lh);
    if (section.brf !== undefined) summary.brf = Math.max(summary.brf ?? 0, section.brf);
    if (section.brh !== undefined) summary.brh = Math.max(summary.brh ?? 0, section.brh);
    if (section.fnf !== undefined) summary.fnf = Math.max(summary.fnf ?? 0, section.fnf);
    if (section.fnh !== undefined) summary.fnh = Math.max(summary.fnh ?? 0, section.fnh);
    this.records++;
    this.current = undefined;
  }

  /** Compares the section's LF/LH, BRF/BRH, FNF/FNH with its own detail lines (what a de-duplication bug would break). */
  private checkTotals(state: FileState): void {
    const { lf, lh, brf, brh, fnf, fnh } = this.sectionSummary;
    const lines = this.covered.length + this.uncovered.length;
    const linesDiffer = lf !== undefined && lines > 0 && !this.unsortedSection && (lf !== lines || (lh !== undefined && lh !== this.covered.length));
    const branches = this.branches.length / 3;
    let taken = 0;
    let branchesDiffer = false;
    if (brf !== undefined && branches > 0 && !this.sectionBranchesRepeat) {
      for (let i = 2; i < this.branches.length; i += 3) taken += this.branches.at(i);
      branchesDiffer = brf !== branches || (brh !== undefined && brh !== taken);
    }
    const functions = this.fns.tally(this.fns.start, this.fns.end);
    const functionsDiffer = fnf !== undefined && functions.total > 0 && (fnf !== functions.total || (fnh !== undefined && fnh !== functions.hit));
    if ((linesDiffer || branchesDiffer || functionsDiffer) && this.totalsDiffer++ === 0) {
      // Only the first is described (the message names it), so the text is built once.
      const differ: string[] = [];
      if (linesDiffer) differ.push(`lines ${this.covered.length}/${lines} vs LH/LF ${lh ?? "?"}/${lf}`);
      if (branchesDiffer) differ.push(`branches ${taken}/${branches} vs BRH/BRF ${brh ?? "?"}/${brf}`);
      if (functionsDiffer) differ.push(`functions ${functions.hit}/${functions.total} vs FNH/FNF ${fnh ?? "?"}/${fnf}`);
      this.firstTotalsDiffer = `(SF:${state.path}, line ${this.sectionStartLine}) has ${differ.join(", ")}`;
    }
  }

  private da(buf: Buffer, s: number, e: number): void {
    const state = this.current;
    let i = s;
    let line = 0;
    let c = buf[i];
    while (i < e && c !== undefined && c >= 48 /* 0 */ && c <= 57 /* 9 */) {
      line = line * 10 + (c - 48 /* 0 */);
      c = buf[++i];
    }
    // Lines are kept in Int32Arrays: a line number past 2^31 − 1 would wrap around, so it is a bad line.
    if (!state || i === s || c !== 44 /* , */ || line > 0x7fffffff) return this.badLine();
    // Hits may be huge (uint64) or negative in broken tools; only zero vs non-zero matters.
    let j = i + 1;
    let hit = false;
    let digits = 0;
    const negative = buf[j] === 45 /* - */;
    if (negative) j++;
    for (c = buf[j]; j < e && c !== 44 /* , */; c = buf[++j]) {
      if (c === undefined || c < 48 /* 0 */ || c > 57 /* 9 */) return this.badLine();
      if (c !== 48 /* 0 */) hit = true;
      digits++;
    }
    if (digits === 0) return this.badLine();
    if (negative && hit) return this.negativeCount();
    if (state.hits !== undefined) {
      if (hit || !state.hits.has(line)) state.hits.set(line, hit ? 1 : 0);
      return;
    }
    if (line <= this.lastDaLine) this.unsortedSection = true;
    this.lastDaLine = line;
    if (hit) this.covered.push(line);
    else this.uncovered.push(line);
  }

  /**
   * `BRDA:<line>,<block>,<branch>,<taken>` with digits in every field (a `-` for taken), at `start`:
   * recorded as `brda()` records it, reading the line once, forwards, and finding its newline on the way.
   * Returns where the next line begins, or `start` when the line has another shape (then `brda()` reads it).
   */
  private plainBrda(buf: Buffer, start: number, state: FileState): number {
    if (buf[start + 1] !== 82 /* R */ || buf[start + 2] !== 68 /* D */ || buf[start + 3] !== 65 /* A */ || buf[start + 4] !== 58 /* : */) return start;
    let i = start + 5;
    let line = 0;
    let c = buf[i] as number;
    while (c >= 48 /* 0 */ && c <= 57 /* 9 */) {
      line = line * 10 + (c - 48 /* 0 */);
      c = buf[++i] as number;
    }
    if (c !== 44 /* , */ || i === start + 5 || line > 0x7fffffff) return start;
    // The id hashes the bytes between the first and the last comma, as brda() does: here <block>,<branch>.
    let id = 0;
    let from = ++i;
    c = buf[i] as number;
    while (c >= 48 /* 0 */ && c <= 57 /* 9 */) {
      id = (Math.imul(id, 31) + c) | 0;
      c = buf[++i] as number;
    }
    if (c !== 44 /* , */ || i === from) return start;
    id = (Math.imul(id, 31) + c) | 0;
    from = ++i;
    c = buf[i] as number;
    while (c >= 48 /* 0 */ && c <= 57 /* 9 */) {
      id = (Math.imul(id, 31) + c) | 0;
      c = buf[++i] as number;
    }
    if (c !== 44 /* , */ || i === from) return start;
    // Taken: "-" (never evaluated) or a count; only zero vs non-zero matters.
    let taken = 0;
    from = ++i;
    c = buf[i] as number;
    if (c === 45 /* - */) c = buf[++i] as number;
    else {
      while (c >= 48 /* 0 */ && c <= 57 /* 9 */) {
        if (c !== 48 /* 0 */) taken = 1;
        c = buf[++i] as number;
      }
      if (i === from) return start;
    }
    if (c === 13 /* \r */) c = buf[++i] as number;
    if (c !== 10 /* \n */) return start;
    this.lineNo++;
    this.branch(state, line, id, taken);
    return i + 1;
  }

  private brda(buf: Buffer, s: number, e: number): void {
    const state = this.current;
    if (!state) return this.badLine();
    // BRDA:<line>,[<exception>]<block>,<branch>,<taken>; block and branch may be expressions in lcov 2,
    // so everything between the first and the last comma is the branch's id.
    let i = s;
    let line = 0;
    let c = buf[i];
    while (i < e && c !== undefined && c >= 48 /* 0 */ && c <= 57 /* 9 */) {
      line = line * 10 + (c - 48 /* 0 */);
      c = buf[++i];
    }
    if (i === s || c !== 44 /* , */) return this.badLine();
    let last = e - 1;
    while (last > i && buf[last] !== 44 /* , */) last--;
    if (last <= i + 1) return this.badLine();
    let id = 0;
    for (let j = i + 1; j < last; j++) id = (Math.imul(id, 31) + (buf[j] as number)) | 0;
    // Taken: "-" (never evaluated) or a count; only zero vs non-zero matters.
    let taken = 0;
    let j = last + 1;
    while (buf[j] === 32) j++;
    const dash = buf[j] === 45 /* - */;
    if (dash) j++;
    let digits = 0;
    for (; j < e; j++) {
      const d = buf[j] as number;
      if (d > 48 /* 0 */ && d <= 57 /* 9 */) taken = 1;
      else if (d !== 48 /* 0 */) {
        if (d === 32) continue;
        return this.badLine();
      }
      digits++;
    }
    if (dash && taken === 1) return this.negativeCount();
    if (!dash && digits === 0) return this.badLine();
    this.branch(state, line, id, taken);
  }

  /** One branch of the section: its line, id and whether it was taken (0 or 1). */
  private branch(state: FileState, line: number, id: number, taken: number): void {
    // Keys arrive grouped by line; a line seen again, or an id repeated on the same line, means duplicates.
    if (line < this.lastBrLine || (line === this.lastBrLine && this.lineBranchIds.includes(id))) {
      state.branchesRepeat = true;
      this.sectionBranchesRepeat = true;
    }
    if (line !== this.lastBrLine) this.lineBranchIds.clear(); // usually 0-4 long
    this.lineBranchIds.push(id);
    this.lastBrLine = line;
    this.branches.push(line);
    this.branches.push(id);
    this.branches.push(taken);
  }

  private fn(buf: Buffer, s: number, e: number): void {
    if (!this.current || !this.fns.declare(buf, s, e)) this.badLine();
  }

  private fnda(buf: Buffer, s: number, e: number): void {
    if (!this.current) return this.badLine();
    let comma = s;
    while (comma < e && buf[comma] !== 44 /* , */) comma++;
    if (comma === s || comma === e) return this.badLine();
    // Hits: digits (what tools write; huge ones are fine, only zero vs non-zero matters) read in place.
    let hit = false;
    for (let i = s; i < comma; i++) {
      const c = buf[i] as number;
      if (c < 48 /* 0 */ || c > 57 /* 9 */) {
        const hits = readCount(buf.toString("utf8", s, comma));
        if (hits === "bad") return this.badLine();
        if (hits === "negative") return this.negativeCount();
        break; // not reached: readCount takes digits only
      }
      if (c !== 48 /* 0 */) hit = true;
    }
    this.fns.count(buf, comma + 1, e, hit);
  }

  /** lcov 2: FNL:<index>,<line>[,<end>] declares a function; FNA:<index>,<hits>,<name> names it. */
  private fnl(_buf: Buffer, _s: number, _e: number): void {
    // The FNA record carries the name and hits; FNL adds only lines, which we do not report.
  }

  private fna(buf: Buffer, s: number, e: number): void {
    if (!this.current) return this.badLine();
    const text = buf.toString("utf8", s, e);
    const a = text.indexOf(",");
    const b = text.indexOf(",", a + 1);
    if (a <= 0 || b === -1) return this.badLine();
    const hits = readCount(text.slice(a + 1, b));
    if (hits === "negative") return this.negativeCount();
    this.fns.alias(text.slice(0, a), text.slice(b + 1), hits !== "bad" && hits > 0);
  }

  private summary(key: keyof FileState["summary"], buf: Buffer, s: number, e: number): void {
    if (!this.current) return this.badLine();
    // Digits only (what every tool writes) are read in place; anything else as Number() reads it.
    const n = readDigits(buf, s, e) ?? Number(buf.toString("latin1", s, e));
    if (!Number.isInteger(n)) return this.badLine();
    if (n < 0) return this.negativeCount();
    this.sectionSummary[key] = n;
  }

  private unknownLine(): void {
    if (this.unknown++ === 0) this.firstUnknownLine = this.lineNo;
  }

  private negativeCount(): void {
    if (this.negative++ === 0) this.firstNegativeLine = this.lineNo;
  }

  private badLine(): void {
    if (this.bad++ === 0) this.firstBadLine = this.lineNo;
  }
}

const EMPTY = new Int32Array(0);
const NO_BYTES = Buffer.alloc(0);

/** Summary figures, all absent; one shape for every record keeps the code that reads them monomorphic. */
const noSummary = (): FileState["summary"] => ({ lf: undefined, lh: undefined, brf: undefined, brh: undefined, fnf: undefined, fnh: undefined });

function clearSummary(summary: FileState["summary"]): void {
  summary.lf = undefined;
  summary.lh = undefined;
  summary.brf = undefined;
  summary.brh = undefined;
  summary.fnf = undefined;
  summary.fnh = undefined;
}
const END_OF_RECORD = Buffer.from("end_of_record", "latin1");

/** The exact bytes `end_of_record` (without the whitespace the general check trims). */
function isEndOfRecord(buf: Buffer, s: number, e: number): boolean {
  if (e - s !== END_OF_RECORD.length) return false;
  for (let i = 0; i < END_OF_RECORD.length; i++) if (buf[s + i] !== END_OF_RECORD[i]) return false;
  return true;
}

/** The number written in `buf[s, e)` when it is 1 to 15 decimal digits (exact in a double), else undefined. */
function readDigits(buf: Buffer, s: number, e: number): number | undefined {
  if (e <= s || e - s > 15) return undefined;
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i] as number;
    if (c < 48 /* 0 */ || c > 57 /* 9 */) return undefined;
    n = n * 10 + (c - 48 /* 0 */);
  }
  return n;
}

/** A hit count: digits only (huge ones are fine, only zero vs non-zero matters); "-5" is negative, "NaN" or "1e3" bad. */
function readCount(text: string): number | "negative" | "bad" {
  if (/^\d+$/.test(text)) return Number(text);
  return /^-\d+$/.test(text) ? "negative" : "bad";
}

function toCoverage(state: FileState, fns: FunctionTable): FileCoverage {
  const out: FileCoverage = { path: state.path };
  const { summary } = state;
  const lineCount = state.covered.length + state.uncovered.length;
  if (lineCount > 0) {
    out.lines = { covered: state.covered.length, total: lineCount };
    out.lineHits = { covered: state.covered, uncovered: state.uncovered };
  } else if (summary.lf !== undefined) {
    out.lines = { covered: Math.min(summary.lh ?? 0, summary.lf), total: summary.lf };
  }
  if (state.branches.length > 0) {
    out.branches = countBranches(state.branches, state.sections > 1 || state.branchesRepeat);
  } else if (summary.brf !== undefined) {
    out.branches = { covered: Math.min(summary.brh ?? 0, summary.brf), total: summary.brf };
  }
  const functions = state.functions ? countFunctions(state.functions) : fns.tally(state.fnFrom, state.fnTo);
  if (functions.total > 0) {
    out.functions = { covered: functions.hit, total: functions.total };
  } else if (summary.fnf !== undefined) {
    out.functions = { covered: Math.min(summary.fnh ?? 0, summary.fnf), total: summary.fnf };
  }
  return out;
}

function countFunctions(functions: Map<string, number>): { hit: number; total: number } {
  let hit = 0;
  for (const h of functions.values()) if (h > 0) hit++;
  return { hit, total: functions.size };
}

function countBranches(flat: Int32Array, merge: boolean): { covered: number; total: number } {
  if (!merge) {
    let covered = 0;
    for (let i = 2; i < flat.length; i += 3) covered += flat[i] as number;
    return { covered, total: flat.length / 3 };
  }
  const taken = new Map<string, number>();
  for (let i = 0; i < flat.length; i += 3) {
    const key = `${flat[i]}:${flat[i + 1]}`;
    // lcov sums the counts of a repeated key: taken in any instance is taken.
    taken.set(key, Math.max(taken.get(key) ?? 0, flat[i + 2] as number));
  }
  let covered = 0;
  for (const t of taken.values()) covered += t;
  return { covered, total: taken.size };
}
