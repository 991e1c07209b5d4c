import type { Readable } from "node:stream";
import { TokenType, Tokenizer } from "@streamparser/json";
import { ParseError, REMEDY, ShipgateError } from "../errors.js";
import { JsonSplitter } from "./json-splitter.js";
import type { SplitterHandover } from "./json-splitter.js";
import { JsonTokenReader } from "./json-token-reader.js";
import type { JsonObject, JsonStreamOptions, JsonValue } from "./json-types.js";
import type { Diagnostic, ParseContext, ReportFormat } from "./types.js";

// The value types live in their own module, which the splitter shares without importing this one.
export type { JsonEntry, JsonObject, JsonStreamOptions, JsonValue } from "./json-types.js";

export const isJsonObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** True for the counts coverage reports hold: finite integers ≥ 0. */
export const isCount = (value: JsonValue | undefined): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0;

/** How many bytes `detect` sees and `JsonStreamOptions.onHead` gets. */
export const HEAD_BYTES = 4096;

export { MAX_JSON_DEPTH } from "./json-depth.js";

/**
 * Streams a JSON document whose top-level value must be an object (an array with `root: "array"`), handing the
 * values selected by `options.paths` to `options.onEntry` one at a time. Resolves with diagnostics about the document itself
 * (a break after usable entries, data after the document); rejects with a ParseError naming the file and
 * line when nothing usable was read.
 *
 * The byte splitter (json-splitter.ts) reads the document while it is plain well-formed JSON; at anything
 * else it hands over to the token reader (json-token-reader.ts), which says what is wrong exactly as it
 * always has. A `sequence` is read by the token reader throughout.
 */
export async function readJsonStream(stream: Readable, ctx: ParseContext, options: JsonStreamOptions): Promise<Diagnostic[]> {
  const splitter = options.sequence === true ? undefined : new JsonSplitter({ root: options.root ?? "object", paths: options.paths, onEntry: options.onEntry });
  // The token reader, once it reads (from the start for a sequence, else from a handover).
  const state: { reader: JsonTokenReader | undefined } = { reader: splitter === undefined ? new JsonTokenReader(ctx, options) : undefined };
  let bytes = 0;

  /** Reads one chunk; false when reading should stop (data after the document). */
  const write = (chunk: Buffer): boolean => {
    bytes += chunk.length;
    if (state.reader !== undefined) return state.reader.write(chunk);
    const handover = splitter?.feed(chunk);
    return handover === undefined || takeOver(handover);
  };
  const takeOver = ({ start, pending }: SplitterHandover): boolean => {
    const reader = new JsonTokenReader(ctx, options, start);
    state.reader = reader;
    for (const piece of pending) if (!reader.write(piece)) return false;
    return true;
  };

  let head: Buffer[] | undefined = [];
  let headBytes = 0;
  const flushHead = (): boolean => {
    const buffered = Buffer.concat(head ?? []);
    head = undefined;
    options.onHead?.(buffered.subarray(0, HEAD_BYTES));
    return buffered.length === 0 || write(buffered);
  };

  let reading = true;
  for await (const chunk of chunksOf(stream, ctx.file)) {
    if (head !== undefined) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < HEAD_BYTES) continue;
      reading = flushHead();
    } else {
      reading = write(chunk);
    }
    if (!reading) break;
  }
  if (head !== undefined) reading = flushHead();
  const diagnostics = (): Diagnostic[] => state.reader?.diagnostics ?? [];
  if (!reading) return diagnostics();

  if (bytes === 0) throw new ParseError(ctx.file, undefined, "the file is empty", { hint: options.hint });
  if (state.reader === undefined) {
    const handover = splitter?.end();
    if (handover === undefined) return [];
    if (!takeOver(handover)) return diagnostics();
  }
  state.reader?.end();
  return diagnostics();
}

/**
 * The stream's chunks as bytes. Only read errors land in the catch: when the caller stops early or throws,
 * the generator is returned from, which ends the stream.
 */
async function* chunksOf(stream: Readable, file: string): AsyncGenerator<Buffer> {
  try {
    for await (const data of stream as AsyncIterable<Buffer | string>) yield typeof data === "string" ? Buffer.from(data) : data;
  } catch (error) {
    throw new ShipgateError("REPORT_NOT_FOUND", `[ingest] ${file}: cannot read the report: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** What the first bytes of a JSON file show, as far as they reach. Never throws: garbage gives `root: undefined`. */
export interface JsonHead {
  /** Kind of the top-level value, or undefined when the head holds no JSON token. */
  root: "object" | "array" | "scalar" | undefined;
  /** Keys of the top-level object, in order. */
  keys: string[];
  /** Keys of the top-level object's values that are objects, by their key; for an array, its first element under `"0"`. */
  childKeys: Map<string, string[]>;
}

export function sniffJson(head: Buffer): JsonHead {
  const { root, keys, childKeys } = sniffHead(head);
  return { root, keys, childKeys };
}

/** `sniffJson`, plus the top-level object's string values by key (SARIF's `version` and `$schema`). */
function sniffHead(head: Buffer): JsonHead & { strings: Map<string, string> } {
  const result: JsonHead & { strings: Map<string, string> } = { root: undefined, keys: [], childKeys: new Map(), strings: new Map() };
  const open: { object: boolean; expectKey: boolean }[] = [];
  let topKey: string | undefined;
  const tokenizer = new Tokenizer();
  tokenizer.onToken = ({ token, value }) => {
    const top = open[open.length - 1];
    switch (token) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET:
        if (open.length === 0) result.root = token === TokenType.LEFT_BRACE ? "object" : "array";
        if (open.length === 1 && result.root === "array" && !result.childKeys.has("0")) topKey = "0";
        if (open.length === 1 && token === TokenType.LEFT_BRACE && topKey !== undefined && !result.childKeys.has(topKey)) {
          result.childKeys.set(topKey, []);
        }
        open.push({ object: token === TokenType.LEFT_BRACE, expectKey: token === TokenType.LEFT_BRACE });
        return;
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET:
        open.pop();
        if (open.length === 1) topKey = undefined;
        return;
      case TokenType.COMMA:
        if (top?.object === true) top.expectKey = true;
        return;
      case TokenType.COLON:
        if (top !== undefined) top.expectKey = false;
        return;
      default:
        if (open.length === 0) result.root ??= "scalar";
        if (token !== TokenType.STRING) return;
        if (top?.expectKey !== true) {
          if (open.length === 1 && top?.object === true && topKey !== undefined) result.strings.set(topKey, String(value));
          return;
        }
        if (open.length === 1) {
          result.keys.push(String(value));
          topKey = String(value);
        } else if (open.length === 2 && topKey !== undefined) {
          result.childKeys.get(topKey)?.push(String(value));
        }
    }
  };
  try {
    tokenizer.write(head);
  } catch {
    // A head cut anywhere, or garbage: keep what was seen before it.
  }
  return result;
}

/** JSON reports shipgate recognises: its own formats, and others that get handed to it by mistake. */
export type JsonReportKind = Extract<ReportFormat, "istanbul-summary" | "istanbul-final" | "coveragepy"> | "eslint" | "npm-audit" | "sarif";

const JSON_REPORT_NAMES: Record<JsonReportKind, string> = {
  "istanbul-summary": "istanbul coverage-summary.json",
  "istanbul-final": "istanbul coverage-final.json",
  coveragepy: "coverage.py JSON (coverage json)",
  eslint: "ESLint JSON output",
  "npm-audit": "npm audit JSON",
  sarif: "a SARIF log",
};

/**
 * Which known JSON report `head` starts, if any. One function decides for all formats, so no two
 * parsers can claim the same file.
 */
export function classifyJsonReport(head: Buffer, path: string): JsonReportKind | undefined {
  const { root, keys, childKeys, strings } = sniffHead(head);
  const name = path.replace(/\\/g, "/").split("/").pop() ?? "";
  if (root === "array") {
    const first = childKeys.get("0");
    // `[]` is what ESLint writes when it lints no file (and ruff when it finds nothing): only the name tells.
    if (first === undefined) return isEmptyArray(head) && /eslint/i.test(name) ? "eslint" : undefined;
    // ESLint writes "filePath" first: a path longer than the head leaves only that key in view.
    if (first.length === 1 && first[0] === "filePath" && head.length >= HEAD_BYTES) return "eslint";
    return first.includes("filePath") && first.includes("messages") ? "eslint" : undefined;
  }
  if (root !== "object") return undefined;
  if (keys.includes("auditReportVersion")) return "npm-audit";
  // SARIF writers order keys freely (ruff and semgrep put "version" after the runs): either field will do.
  const schema = strings.get("$schema") ?? "";
  if (keys.includes("runs") && (/sarif/i.test(schema) || /^\d+\.\d+/.test(strings.get("version") ?? ""))) return "sarif";
  const meta = childKeys.get("meta") ?? [];
  if (meta.includes("version") && (keys.includes("files") || meta.includes("branch_coverage") || (name.endsWith("coverage.json") && keys[0] === "meta"))) {
    return "coveragepy";
  }
  const [firstKey] = keys;
  const first = firstKey === undefined ? [] : (childKeys.get(firstKey) ?? []);
  if (firstKey === "total" && (first.includes("lines") || first.includes("statements"))) return "istanbul-summary";
  if (first.includes("statementMap") || first.includes("fnMap")) return "istanbul-final";
  // An empty `{}` is what the json reporter writes when nothing was covered; only the name tells.
  if (keys.length === 0 && /^\s*\{\s*\}\s*$/.test(head.toString("utf8"))) {
    if (name === "coverage-final.json") return "istanbul-final";
  }
  return undefined;
}

const isEmptyArray = (head: Buffer): boolean => /^\s*\[\s*\]\s*$/.test(head.toString("utf8"));

/**
 * True when `head` starts ruff's JSON output (`ruff check --output-format json`): an array of diagnostics
 * whose (sorted) keys include `code` and `filename`, or `[]` in a file whose name says ruff.
 * Kept beside `classifyJsonReport`, which never claims such a file, so that no two parsers can.
 */
export function isRuffJsonHead(head: Buffer, path: string): boolean {
  const { root, childKeys } = sniffHead(head);
  if (root !== "array") return false;
  const first = childKeys.get("0");
  if (first === undefined) return isEmptyArray(head) && /ruff/i.test(path.replace(/\\/g, "/").split("/").pop() ?? "");
  return first.includes("code") && first.includes("filename") && !first.includes("filePath");
}

/** Throws a ParseError when `head` is recognisably another JSON report than `expected`. */
export function refuseOtherJsonReport(head: Buffer, ctx: ParseContext, expected: JsonReportKind, hint: string): void {
  const kind = classifyJsonReport(head, ctx.file);
  if (kind === undefined || kind === expected) return;
  const ours = kind === "istanbul-summary" || kind === "istanbul-final" || kind === "coveragepy";
  throw new ParseError(ctx.file, 1, `this looks like ${JSON_REPORT_NAMES[kind]}, not ${JSON_REPORT_NAMES[expected]}`, {
    hint: ours ? REMEDY.formatIs(kind) : hint,
  });
}

/** The static-analysis JSON formats, named as their parsers' messages name them. */
const FINDING_REPORT_NAMES = { eslint: "ESLint JSON output", sarif: "a SARIF log", ruff: "ruff JSON output" } as const;

/**
 * Throws a ParseError naming the format to read it as when `head` is recognisably another JSON report than
 * `expected` (ruff's output included, which `classifyJsonReport` leaves to `isRuffJsonHead`).
 */
export function refuseOtherFindingReport(head: Buffer, ctx: ParseContext, expected: keyof typeof FINDING_REPORT_NAMES): void {
  const kind = isRuffJsonHead(head, ctx.file) ? "ruff" : classifyJsonReport(head, ctx.file);
  if (kind === undefined || kind === expected) return;
  const name = kind === "ruff" ? FINDING_REPORT_NAMES.ruff : JSON_REPORT_NAMES[kind];
  throw new ParseError(ctx.file, 1, `this looks like ${name}, not ${FINDING_REPORT_NAMES[expected]}`, { hint: REMEDY.formatIs(kind) });
}
