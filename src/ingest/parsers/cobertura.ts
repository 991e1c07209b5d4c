import { ParseError, REMEDY } from "../../errors.js";
import type { Diagnostic, FileCoverage, IngestResult, ReportParser } from "../types.js";
import { detach, readXml } from "../xml.js";

interface FileState {
  path: string;
  /** line → hits; classes that share a file (inner classes, gcovr, coverage.py packages) are merged here. */
  lines: Map<number, number>;
  /** line → [covered, total] branch conditions, from `condition-coverage="50% (1/2)"`. */
  branches: Map<number, [number, number]>;
  /** method key (name, signature, first line) → covered; only methods the report lists. */
  methods: Map<string, boolean>;
}

const CONDITION = /\((\d+)\s*\/\s*(\d+)\)/;

/**
 * Cobertura XML (coverage.py, istanbul/vitest/jest, gcovr, JaCoCo converters, …).
 * Rates (0–1) are ignored in favour of the `<line>` elements, which the rates are derived from.
 */
export const coberturaParser: ReportParser = {
  format: "cobertura",
  description: "Cobertura XML (coverage.py xml, istanbul/vitest/jest cobertura, gcovr --xml)",

  detect(head) {
    const text = head.toString("utf8", 0, Math.min(head.length, 4096));
    return /<coverage[\s>]/.test(text) && /(line-rate|lines-valid|<sources>|<packages>|cobertura)/i.test(text);
  },

  async parse(stream, ctx) {
    const diagnostics: Diagnostic[] = [];
    const files = new Map<string, FileState>();
    const sources: string[] = [];
    let root: string | undefined;
    let declared: Record<"lines" | "branches", [number | undefined, number | undefined]> | undefined;
    let inSource = false;
    let sourceText = "";
    let current: FileState | undefined;
    let method: { name: string; rate: string; line: number | undefined; hit: boolean } | undefined;
    let negative = 0;
    let firstNegative = 0;

    await readXml(stream, ctx.file, {
      onOpen(name, attrs, line) {
        if (root === undefined) {
          root = name;
          if (name !== "coverage") {
            throw new ParseError(ctx.file, line, `the root element is <${name}>, not <coverage>: this is not a Cobertura report`, {
              hint: `pass a Cobertura XML file, or ${REMEDY.nameFormat}`,
            });
          }
          declared = { lines: [num(attrs["lines-covered"]), num(attrs["lines-valid"])], branches: [num(attrs["branches-covered"]), num(attrs["branches-valid"])] };
          return;
        }
        switch (name) {
          case "source":
            inSource = true;
            sourceText = "";
            break;
          case "class": {
            const path = attrs.filename;
            if (path === undefined) {
              diagnostics.push({ level: "warning", code: "cobertura.class-without-filename", message: `<class name="${attrs.name ?? ""}"> has no filename and was skipped`, file: ctx.file, line });
              current = undefined;
              break;
            }
            current = files.get(path);
            if (!current) {
              current = { path: detach(path), lines: new Map(), branches: new Map(), methods: new Map() };
              files.set(current.path, current);
            }
            break;
          }
          case "method":
            if (current) method = { name: `${attrs.name ?? ""}${attrs.signature ?? ""}`, rate: attrs["line-rate"] ?? "", line: undefined, hit: false };
            break;
          case "line": {
            if (!current) break;
            const number = Number(attrs.number);
            const hits = Number(attrs.hits);
            if (Number.isInteger(number) && hits < 0) {
              if (negative++ === 0) firstNegative = line;
              break;
            }
            if (!Number.isInteger(number) || number < 0 || !Number.isFinite(hits)) {
              diagnostics.push({ level: "warning", code: "cobertura.bad-line", message: `<line number="${attrs.number ?? ""}" hits="${attrs.hits ?? ""}"> is malformed and was skipped`, file: ctx.file, line });
              break;
            }
            if (method) {
              // Method lines repeat the class's lines; they only tell whether the method ran, and where it starts.
              if (hits > 0) method.hit = true;
              method.line ??= number;
              break;
            }
            current.lines.set(number, Math.max(current.lines.get(number) ?? 0, hits));
            if (attrs.branch === "true" && attrs["condition-coverage"]) {
              const m = CONDITION.exec(attrs["condition-coverage"]);
              if (m && Number(m[1]) > Number(m[2])) {
                diagnostics.push({ level: "warning", code: "cobertura.bad-line", message: `condition-coverage="${attrs["condition-coverage"]}" covers more conditions than there are; its branches were skipped`, file: ctx.file, line });
              } else if (m) {
                const covered = Number(m[1]);
                const total = Number(m[2]);
                const seen = current.branches.get(number);
                current.branches.set(number, seen && seen[1] >= total ? [Math.max(seen[0], covered), seen[1]] : [covered, total]);
              }
            }
            break;
          }
        }
      },
      onClose(name) {
        if (name === "source") {
          inSource = false;
          const dir = sourceText.trim();
          if (dir) sources.push(dir);
        } else if (name === "method" && method && current) {
          // Two methods may share a name and signature (c8 names two arrow functions assigned to one
          // variable alike): their first line tells them apart. The same method listed under two
          // classes of one file (same line) is one method.
          const key = `${method.name}:${method.line ?? `rate ${method.rate}`}`;
          current.methods.set(key, (current.methods.get(key) ?? false) || method.hit);
          method = undefined;
        } else if (name === "class") {
          current = undefined;
        }
      },
      wantsText: () => inSource,
      onText(text) {
        sourceText += text;
      },
    }, diagnostics);

    if (negative > 0) {
      diagnostics.push({ level: "warning", code: "cobertura.negative-count", message: `${negative} <line> element(s) with negative hits were ignored (a broken counter: regenerate the report)`, file: ctx.file, line: firstNegative });
    }
    const coverage = [...files.values()].map((f) => toCoverage(f, sources));
    for (const metric of ["lines", "branches"] as const) {
      const [covered, valid] = declared?.[metric] ?? [];
      if (covered === undefined || valid === undefined || coverage.length === 0) continue;
      let sumCovered = 0;
      let sumValid = 0;
      for (const f of coverage) {
        sumCovered += f[metric]?.covered ?? 0;
        sumValid += f[metric]?.total ?? 0;
      }
      if ((sumCovered !== covered || sumValid !== valid) && !(metric === "branches" && valid === 0)) {
        diagnostics.push({
          level: "info",
          code: "cobertura.totals-differ",
          message: `the report's own totals say ${covered}/${valid} ${metric} but its <line> elements hold ${sumCovered}/${sumValid}; shipgate counts the lines (istanbul drops branches on non-statement lines; Cobertura lists a line shared by two classes twice)`,
          file: ctx.file,
        });
      }
    }
    if (coverage.length === 0) {
      diagnostics.push({ level: "warning", code: "cobertura.no-files", message: "the report lists no <class> with a filename: no coverage was read", file: ctx.file });
    }
    return { format: "cobertura", tests: [], coverage, diagnostics } satisfies IngestResult;
  },
};

function num(value: string | undefined): number | undefined {
  const n = Number(value);
  return value === undefined || !Number.isFinite(n) ? undefined : n;
}

function toCoverage(state: FileState, sources: string[]): FileCoverage {
  const covered: number[] = [];
  const uncovered: number[] = [];
  for (const [line, hits] of [...state.lines].sort((a, b) => a[0] - b[0])) (hits > 0 ? covered : uncovered).push(line);
  const out: FileCoverage = {
    path: state.path,
    lines: { covered: covered.length, total: covered.length + uncovered.length },
    lineHits: { covered, uncovered },
  };
  if (sources.length > 0) out.roots = sources;
  if (state.branches.size > 0) {
    let bc = 0;
    let bt = 0;
    for (const [c, t] of state.branches.values()) {
      bc += c;
      bt += t;
    }
    out.branches = { covered: bc, total: bt };
  }
  if (state.methods.size > 0) {
    let fc = 0;
    for (const hit of state.methods.values()) if (hit) fc++;
    out.functions = { covered: fc, total: state.methods.size };
  }
  return out;
}
