// The JSON reading's value and option types, shared by json-stream.ts, the splitter and the token reader
// without any of them importing another for a type.
/** A JSON value as `JSON.parse` would return it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One value picked out of a document by `JsonStreamOptions.paths`. */
export interface JsonEntry {
  /** Keys from the top-level value down to this one, e.g. `["files", "src/a.py"]` for `$.files.*`. */
  path: (string | number)[];
  value: JsonValue;
  /** 1-based line of the file where the value starts. */
  line: number;
}

/** How readJsonStream reads a document (json-stream.ts). */
export interface JsonStreamOptions {
  /**
   * What the top-level value must be: an object (the default; coverage reports, SARIF) or an array
   * (ESLint and ruff JSON output, whose elements `$.*` hands out one at a time with numeric paths).
   */
  root?: "object" | "array";
  /**
   * True when the file is a sequence of top-level values rather than one document (govulncheck's `-format json`
   * output: objects one after another, whitespace between). Each value must be a `root`; `paths` apply to each.
   */
  sequence?: boolean;
  /**
   * The values to hand to `onEntry`, in @streamparser/json path syntax (`$.*`, `$.meta`, `$.files.*`).
   * Each matching value is built in memory whole; everything else is dropped as it is read,
   * so memory is bounded by the largest matching value.
   */
  paths: string[];
  /** What the user should do when the file is not JSON or not an object; the `hint` of every ParseError raised here. */
  hint: string;
  /** Called once, before any entry, with the first bytes of the file (at most `HEAD_BYTES`). Throw a ParseError to refuse the file. */
  onHead?: (head: Buffer) => void;
  /** Called with each value matching `paths`, in document order. Throw a ParseError to stop reading. */
  onEntry: (entry: JsonEntry) => void;
}
