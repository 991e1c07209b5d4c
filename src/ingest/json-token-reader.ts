import { JSONParser, TokenParserError, TokenType, TokenizerError } from "@streamparser/json";
import type { ParsedElementInfo, ParsedTokenInfo } from "@streamparser/json";
import { ParseError } from "../errors.js";
import type { JsonStreamOptions, JsonValue } from "./json-types.js";
import { MAX_JSON_DEPTH } from "./json-depth.js";
import type { Diagnostic, ParseContext } from "./types.js";

/**
 * Where a token reader takes over from the byte splitter (json-splitter.ts): the splitter has read the
 * document up to `offset` and found it well-formed so far; `prefix` is JSON text that leaves the parser in
 * the state the document is in at `offset` (same containers, keys and array indices), written before the
 * document's own bytes from `offset` on. Values inside the prefix are never handed out.
 */
export interface TokenReaderStart {
  prefix: string;
  /** Offset in the file of the first byte written after the prefix. */
  offset: number;
  /** Line of that byte, and offset of its line's first byte. */
  line: number;
  lineStart: number;
  /** Line of the document's last token before `offset`, which the prefix's tokens stand in for. */
  lastTokenLine: number;
}

/**
 * The token-by-token reader (@streamparser/json): slower than the splitter but it knows exactly where a
 * document breaks, so the splitter hands a document over to it at the first thing it does not expect, and
 * the errors a user sees are this reader's. It also reads what the splitter does not (`sequence`).
 */
export class JsonTokenReader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly parser: JSONParser;
  private readonly lines: LineCounter;
  private readonly entryDepths: Set<number>;
  private readonly rootToken: TokenType;
  private tokens = 0;
  private depth = 0;
  // Line of the latest token at each depth an entry can start at; inner tokens sit deeper and leave it be.
  private readonly startLines: number[] = [];
  private lastToken: ParsedTokenInfo | undefined;
  private documentEnded = false;
  // While the prefix is written, its values are not the document's.
  private inPrefix = false;
  // What our callbacks threw, so that it passes through the parser untouched (a TypeError from onEntry
  // would otherwise look like the parser's own TypeError on bytes that are not UTF-8).
  private thrown: { error: unknown } | undefined;

  constructor(
    private readonly ctx: ParseContext,
    private readonly options: JsonStreamOptions,
    start?: TokenReaderStart,
  ) {
    const root = options.root ?? "object";
    this.rootToken = root === "array" ? TokenType.LEFT_BRACKET : TokenType.LEFT_BRACE;
    this.entryDepths = new Set(options.paths.map((path) => path.split(".").length - 1));
    // separator "": after a top-level value, expect the next one instead of the end.
    this.parser = new JSONParser({ paths: options.paths, keepStack: false, ...(options.sequence === true ? { separator: "" } : {}) });
    this.lines = new LineCounter(start);
    this.parser.onToken = (info) => this.onToken(info);
    this.parser.onValue = (info) => this.onValue(info);
    this.parser.onEnd = () => {
      this.documentEnded = true;
    };
    if (start !== undefined && start.prefix !== "") {
      this.inPrefix = true;
      this.parser.write(start.prefix);
      this.inPrefix = false;
    }
  }

  private rethrow(error: unknown): never {
    this.thrown = { error };
    throw error;
  }

  private onToken(info: ParsedTokenInfo): void {
    const { file } = this.ctx;
    const { lines, options } = this;
    const first = this.tokens++ === 0;
    if ((first || (options.sequence === true && this.depth === 0)) && info.token !== this.rootToken) {
      this.rethrow(new ParseError(file, lines.lineAt(info.offset), `the top-level JSON value is ${describeToken(info)}, not an ${options.root ?? "object"}`, { hint: options.hint }));
    }
    this.lastToken = info;
    if (this.entryDepths.has(this.depth)) this.startLines[this.depth] = lines.lineAt(info.offset);
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) {
      if (++this.depth > MAX_JSON_DEPTH) {
        this.rethrow(new ParseError(file, lines.lineAt(info.offset), `arrays and objects nest deeper than ${MAX_JSON_DEPTH} levels: no report does; shipgate refuses the file`, {
          hint: "check that this is the report the tool wrote",
        }));
      }
    }
    if (info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET) this.depth--;
  }

  private onValue(info: ParsedElementInfo): void {
    if (this.inPrefix) return;
    const path = info.stack.slice(1).map((element) => element.key ?? "");
    if (info.key !== undefined) path.push(info.key);
    try {
      this.options.onEntry({ path, value: info.value as JsonValue, line: this.startLines[info.stack.length] ?? 1 });
    } catch (error) {
      this.rethrow(error);
    }
  }

  // A report that breaks halfway is refused whole: partial coverage would move the totals either way.
  private broken(line: number | undefined, message: string): never {
    throw new ParseError(this.ctx.file, line, message, {
      hint: this.tokens === 0 ? this.options.hint : "the file looks truncated or corrupt: regenerate it (nothing from this run was stored)",
    });
  }

  /**
   * Reads the next bytes of the document. False when reading should stop: data after the document
   * (a diagnostic says so). Throws a ParseError when the document breaks.
   */
  write(chunk: Buffer): boolean {
    const { lines } = this;
    lines.feed(chunk);
    // Everything thrown inside write() comes back out of it: what our callbacks threw, TokenizerError for
    // bad bytes, TokenParserError for bad structure, TypeError for bytes that are not UTF-8.
    try {
      this.parser.write(chunk);
      return true;
    } catch (error) {
      if (this.thrown !== undefined) throw this.thrown.error;
      const position = error instanceof Error ? /absolute position "(\d+)"/.exec(error.message)?.[1] : undefined;
      if (this.documentEnded) {
        const offset = position === undefined ? lines.end : Number(position);
        this.diagnostics.push({
          level: "warning",
          code: "json.trailing-data",
          file: this.ctx.file,
          line: lines.lineAt(offset),
          message: "ignored data after the end of the JSON document",
        });
        return false;
      }
      const { lastToken } = this;
      if (error instanceof TokenizerError && position !== undefined) {
        const offset = Number(position);
        const line = lines.lineAt(offset);
        this.broken(line, `not valid JSON: unexpected ${describeByte(chunk, offset - lines.chunkStart)} at column ${lines.columnAt(offset)}`);
      } else if (error instanceof TokenParserError && lastToken !== undefined) {
        this.broken(lines.lineAt(lastToken.offset), `not valid JSON: unexpected ${JSON.stringify(lastToken.value)} at column ${lines.columnAt(lastToken.offset)}`);
      } else {
        // The tokenizer's TextDecoder throws a TypeError, without a position, on bytes that are not UTF-8.
        const after = lastToken === undefined ? "" : ` after line ${lines.lineAt(lastToken.offset)}`;
        this.broken(undefined, `not valid JSON text${after} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }

  /** The end of the file: throws a ParseError when it is empty, holds no value or ends inside the document. */
  end(): void {
    const { lines } = this;
    if (lines.fileBytes === 0) throw new ParseError(this.ctx.file, undefined, "the file is empty", { hint: this.options.hint });
    if (!this.parser.isEnded) {
      // A top-level number is only tokenized here, so the root check in onToken can still throw.
      try {
        this.parser.end();
      } catch {
        if (this.thrown !== undefined) throw this.thrown.error;
        this.broken(lines.lineAt(lines.end), "the file ends before the JSON document does (truncated?)");
      }
    }
    if (this.tokens === 0) throw new ParseError(this.ctx.file, lines.lineAt(lines.end), "the file holds no JSON value", { hint: this.options.hint });
  }
}

/**
 * Tracks line numbers of the parser's byte offsets as chunks go by, holding newline positions of the current
 * chunk only. After a prefix (TokenReaderStart) the parser's offsets run ahead of the file's by the prefix's
 * length less the file offset it stands for; offsets inside the prefix are on the line of the token it replaced.
 */
class LineCounter {
  /** Parser offset of the current chunk's first byte. */
  chunkStart = 0;
  /** Parser offset just past the last byte fed. */
  end = 0;
  /** Bytes of the file read, before and by this reader. */
  fileBytes = 0;
  private line = 1;
  private lineStart = 0;
  private newlines: number[] = [];
  private next = 0;
  private readonly prefixEnd: number = 0;
  private readonly prefixLine: number = 1;

  constructor(start?: TokenReaderStart) {
    if (start === undefined) return;
    const length = Buffer.byteLength(start.prefix);
    this.chunkStart = this.end = this.prefixEnd = length;
    this.fileBytes = start.offset;
    this.line = start.line;
    this.lineStart = start.lineStart - start.offset + length;
    this.prefixLine = start.lastTokenLine;
  }

  feed(chunk: Buffer): void {
    this.lineAt(this.end);
    this.chunkStart = this.end;
    this.end += chunk.length;
    this.fileBytes += chunk.length;
    this.newlines = [];
    this.next = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines.push(this.chunkStart + i);
  }

  /**
   * Line of `offset`. Offsets must not go backwards past the current chunk: a token that began in an
   * earlier chunk is a string or number, which holds no raw newline, so the current line is still right.
   */
  lineAt(offset: number): number {
    if (offset < this.prefixEnd) return this.prefixLine;
    while (this.next < this.newlines.length) {
      const newline = this.newlines[this.next] ?? Infinity;
      if (newline >= offset) break;
      this.line++;
      this.lineStart = newline + 1;
      this.next++;
    }
    return this.line;
  }

  columnAt(offset: number): number {
    this.lineAt(offset);
    return offset - this.lineStart + 1;
  }
}

const describeToken = ({ token, value }: ParsedTokenInfo): string => {
  switch (token) {
    case TokenType.LEFT_BRACE:
      return "an object";
    case TokenType.LEFT_BRACKET:
      return "an array";
    case TokenType.STRING:
      return "a string";
    case TokenType.NUMBER:
      return "a number";
    default:
      return JSON.stringify(value);
  }
};

const describeByte = (chunk: Buffer, index: number): string => {
  const byte = chunk[index];
  if (byte === undefined) return "end of data";
  return byte >= 0x20 && byte < 0x7f ? JSON.stringify(String.fromCharCode(byte)) : `byte 0x${byte.toString(16).padStart(2, "0")}`;
};
