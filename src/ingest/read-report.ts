import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Transform } from "node:stream";
import { ParseError, REMEDY, ShipgateError } from "../errors.js";
import { boundResult } from "./bound-result.js";
import { DETECT_BYTES, detectParser, formats, identifyTool, loadParser, MAX_HEAD_BYTES } from "./detect.js";
import { xmlRootOffset } from "./xml.js";
import type { IngestResult, ProducingTool, ReportFormat } from "./types.js";

/** Where a set of numbers came from: every fact and detail row points at one. */
export interface ReportSource {
  /** The path as the user or the config named it. */
  path: string;
  absolutePath: string;
  sha256: string;
  bytes: number;
  format: ReportFormat;
  tool?: ProducingTool;
  /** How the format was chosen. */
  detected: boolean;
}

export interface ReadReportOptions {
  /** Skip detection and use this parser. */
  format?: ReportFormat;
  /** Resolve `path` against this directory (default: process.cwd()). */
  cwd?: string;
}

export interface ReadReportResult {
  source: ReportSource;
  result: IngestResult;
}

/** Opens, identifies and parses one report, hashing it as it streams. */
export async function readReport(path: string, options: ReadReportOptions = {}): Promise<ReadReportResult> {
  const absolutePath = resolve(options.cwd ?? process.cwd(), path);
  const info = await stat(absolutePath).catch((error: NodeJS.ErrnoException) => {
    throw new ShipgateError("REPORT_NOT_FOUND", `[ingest] ${path}: ${error.code === "ENOENT" ? "no such file" : `cannot read it (${error.code ?? error.message})`}`, {
      hint: error.code === "ENOENT" ? "check the path, or run the test command that writes this report first" : "check the file's permissions",
      cause: error,
    });
  });
  if (info.isDirectory()) {
    throw new ShipgateError("REPORT_NOT_FOUND", `[ingest] ${path}: is a directory, not a report file`, { hint: "name the report file inside it" });
  }
  // tsc prints nothing when there is no error: an empty file forced to "tsc" is a clean run, not a failure.
  if (info.size === 0 && options.format !== "tsc") {
    throw new ParseError(path, undefined, "the file is empty", { hint: "the tool that writes it probably failed; run it again (an empty tsc output needs format: tsc)" });
  }

  const head = await readHead(absolutePath, path);
  let parser;
  if (options.format) {
    parser = await loadParser(options.format);
  } else {
    parser = await detectParser(head, path);
    if (!parser) {
      if (head.length >= MAX_HEAD_BYTES && xmlRootOffset(head.toString("latin1")) === -1 && startsLikeXml(head.toString("latin1", 0, 256))) {
        throw new ParseError(path, undefined, `unrecognised report format: no XML element starts in the first ${MAX_HEAD_BYTES / 1024} KB (only comments, processing instructions or a DOCTYPE)`, {
          hint: `${REMEDY.nameFormat} (or format: in shipgate.yaml) if the file is a report`,
        });
      }
      throw new ParseError(path, undefined, "unrecognised report format", {
        hint: `shipgate reads ${formats.join(", ")}; ${REMEDY.nameFormat} if the file is one of these`,
      });
    }
  }

  const hash = createHash("sha256");
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const stream = createReadStream(absolutePath, { highWaterMark: 1 << 20 });
  stream.on("error", (error) => hashing.destroy(error));
  stream.pipe(hashing);
  let result: IngestResult;
  try {
    result = await parser.parse(hashing, { file: path });
  } catch (error) {
    stream.destroy();
    if (error instanceof ShipgateError) throw error;
    throw new ParseError(path, undefined, `could not be read as ${parser.format}: ${(error as Error).message}`, {
      hint: `check the file, or ${REMEDY.nameFormat}`,
      cause: error,
    });
  }
  boundResult(result, path);
  const tool = result.tool ?? identifyTool(head, parser.format);
  const source: ReportSource = {
    path,
    absolutePath,
    sha256: hash.digest("hex"),
    bytes: info.size,
    format: parser.format,
    detected: options.format === undefined,
  };
  if (tool) source.tool = tool;
  return { source, result };
}

async function readHead(absolutePath: string, path: string): Promise<Buffer> {
  const handle = await open(absolutePath, "r").catch((error: NodeJS.ErrnoException) => {
    throw new ShipgateError("REPORT_NOT_FOUND", `[ingest] ${path}: cannot open it (${error.code ?? error.message})`, { hint: "check the file's permissions", cause: error });
  });
  try {
    const buffer = Buffer.alloc(MAX_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, DETECT_BYTES, 0);
    // XML whose root element lies past the first bytes (a long comment or DOCTYPE first): read on, bounded.
    const text = buffer.toString("latin1", 0, bytesRead);
    if (bytesRead < DETECT_BYTES || xmlRootOffset(text) !== -1 || !startsLikeXml(text.slice(0, 256))) return buffer.subarray(0, bytesRead);
    const more = await handle.read(buffer, bytesRead, MAX_HEAD_BYTES - bytesRead, bytesRead);
    return buffer.subarray(0, bytesRead + more.bytesRead);
  } finally {
    await handle.close();
  }
}

/** True when `text` (latin1) starts, past a UTF-8 BOM and white space, with `<`. */
const startsLikeXml = (text: string): boolean => /^(\u00ef\u00bb\u00bf)?\s*</.test(text);
