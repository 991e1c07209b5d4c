// What the golden tests feed a parser and record: the input in byte chunks of one size, and the parser's result or
// the message it rejected the input with (both are output a user sees).
import { Readable } from "node:stream";
import type { ReportParser } from "../../src/ingest/types.js";

/** `data` as UTF-8 byte chunks of `size` bytes (the last one shorter; a multibyte character may be split), 0: whole. */
export function byteChunks(data: string | Buffer, size: number): Readable {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  if (size === 0) return Readable.from([bytes]);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

/** The parser's result on `data` fed in chunks of `size`, or `{ rejected }` with the error it threw. */
export async function parseOutput(parser: Pick<ReportParser, "parse">, data: string | Buffer, size: number, file: string): Promise<unknown> {
  try {
    return await parser.parse(byteChunks(data, size), { file });
  } catch (error) {
    return { rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}
