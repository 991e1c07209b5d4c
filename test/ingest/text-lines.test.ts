import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ShipgateError } from "../../src/errors.js";
import { HEAD_BYTES } from "../../src/ingest/json-stream.js";
import { headLines, MAX_LINE_CHARS, quoteLine, readTextLines, stripAnsi } from "../../src/ingest/text-lines.js";
import type { TextLine } from "../../src/ingest/text-lines.js";

const chunked = (data: string | Buffer, size: number): Readable => {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

async function lines(stream: Readable): Promise<TextLine[]> {
  const result: TextLine[] = [];
  for await (const line of readTextLines(stream, { file: "t.txt" })) result.push(line);
  return result;
}

describe("readTextLines", () => {
  it.each([1, 2, 3, 1 << 20])("splits \\n, \\r\\n and a lone \\r alike, multi-byte characters whole, in chunks of %i bytes", async (size) => {
    const text = "a.ts(1,2): café\r\nsecond\rthird\n\nlast without break";
    expect(await lines(chunked(text, size))).toEqual([
      { text: "a.ts(1,2): café", line: 1, cut: false },
      { text: "second", line: 2, cut: false },
      { text: "third", line: 3, cut: false },
      { text: "", line: 4, cut: false },
      { text: "last without break", line: 5, cut: false },
    ]);
  });

  it("yields nothing for an empty stream, and no extra line after a final break", async () => {
    expect(await lines(chunked("", 1))).toEqual([]);
    expect(await lines(chunked("one\r\n", 4))).toEqual([{ text: "one", line: 1, cut: false }]);
  });

  it("cuts a line longer than MAX_LINE_CHARS and goes on with the next", async () => {
    const long = "x".repeat(MAX_LINE_CHARS * 3);
    const result = await lines(chunked(`${long}\nnext\n`, 8192));
    expect(result.map(({ text, line, cut }) => [text.length, line, cut])).toEqual([
      [MAX_LINE_CHARS, 1, true],
      [4, 2, false],
    ]);
  });

  it("decodes bytes that are not UTF-8 as U+FFFD rather than failing", async () => {
    expect(await lines(chunked(Buffer.from([0x61, 0xff, 0x0a]), 1))).toEqual([{ text: "a\uFFFD", line: 1, cut: false }]);
  });

  it("turns a read error into REPORT_NOT_FOUND", async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error("EISDIR: illegal operation on a directory"));
      },
    });
    const error = await lines(failing).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("REPORT_NOT_FOUND");
  });
});

describe("stripAnsi", () => {
  it("removes colours and OSC 8 hyperlinks, and leaves other text alone", () => {
    expect(stripAnsi("\x1b[96msrc/a.ts\x1b[0m:\x1b[93m1\x1b[0m - \x1b[91merror\x1b[0m")).toBe("src/a.ts:1 - error");
    expect(stripAnsi("\x1b]8;id=1;https://example.com\x1b\\link\x1b]8;;\x1b\\ [1;36m")).toBe("link [1;36m");
  });
});

describe("headLines", () => {
  it("gives the complete non-blank lines of a head, without escapes", () => {
    expect(headLines(Buffer.from("\n\x1b[91merror\x1b[0m TS1: x\r\n\nb\n"))).toEqual(["error TS1: x", "b"]);
  });
  it("drops the last line of a full head, which the head may have cut", () => {
    const head = Buffer.from(`first\n${"y".repeat(HEAD_BYTES)}`).subarray(0, HEAD_BYTES);
    expect(headLines(head)).toEqual(["first"]);
  });
  it("keeps the last line of a file shorter than a head, break or not", () => {
    expect(headLines(Buffer.from("Success: no issues found in 1 source file"))).toEqual(["Success: no issues found in 1 source file"]);
  });
});

describe("quoteLine", () => {
  it.each([
    ["short", '"short"'],
    ["x".repeat(130), `"${"x".repeat(120)}…"`],
    ["\u0089PNG\u0000", "binary data, not text"],
  ])("%s", (text, quoted) => {
    expect(quoteLine(text)).toBe(quoted);
  });
});
