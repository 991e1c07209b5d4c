/**
 * A cli agent's command template (`claude -p "{prompt}"`) filled in for a POSIX shell (`sh -c`): every value reaches
 * the program byte for byte, whatever it holds (quotes, `$(…)`, backticks, newlines, `{task}` in a brief's text).
 *
 * The template is read as the shell reads it — quotes, backslashes, `$(…)`, backticks, `${…}`, comments and
 * here-documents — so that each placeholder is replaced by a single-quoted value in a way that fits where it stands:
 * - outside quotes: `'value'`;
 * - inside the user's own quotes (`"{prompt}"`, `'{prompt}'`, `"task {task}: go"`): those quotes are closed before
 *   the value and opened again after it, and dropped where they would be empty, so `"{prompt}"` becomes `'value'`;
 * - inside backticks, whose text the shell reads twice: the value's `\`, `` ` `` and `$` are escaped once more per level.
 * `${VAR}` and `{a,b}` are the shell's and are left alone, as are unknown names (the plan validator reports them).
 * A placeholder in a comment is left as it is; one in a here-document, inside `${…}` or after a `case` inside `$(…)`
 * cannot be placed safely and is refused.
 */
import { ShipgateError } from "../errors.js";
import { TEMPLATE_PLACEHOLDERS } from "../plan/types.js";

export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
export type TemplateValues = Record<TemplatePlaceholder, string>;

/** `value` as one single-quoted shell word: nothing inside is interpreted; a `'` is written `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

type Frame =
  | { kind: "top" }
  /** `$( … )`, closed by the `)` that matches; `depth` counts the parentheses opened inside. */
  | { kind: "sub"; depth: number }
  | { kind: "tick" }
  | { kind: "param" }
  /** `start`: where the quoted text began in the output; `reopen`: a value closed the quote, to open again before more text. */
  | { kind: "single" | "double"; start: number; reopen: boolean };

const PLACEHOLDERS = new Set<string>(TEMPLATE_PLACEHOLDERS);
const WORD_END = new Set([" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]);
const COMMENT_AFTER = new Set([" ", "\t", "\n", ";", "&", "|", "(", ")"]);

/** The placeholder's name when `{name}` (a known one, not after `$`) starts at `i`; null otherwise. */
function placeholderAt(template: string, i: number): TemplatePlaceholder | null {
  if (template[i] !== "{" || template[i - 1] === "$") return null;
  const end = template.indexOf("}", i + 1);
  if (end < 0 || end - i > 16) return null;
  const name = template.slice(i + 1, end);
  return PLACEHOLDERS.has(name) ? (name as TemplatePlaceholder) : null;
}

function lineHasPlaceholder(line: string): boolean {
  for (let i = line.indexOf("{"); i >= 0; i = line.indexOf("{", i + 1)) if (placeholderAt(line, i) !== null) return true;
  return false;
}

/** Escapes what the shell's first reading of backquoted text removes, once per level of backquotes. */
function escapeForTicks(text: string, levels: number): string {
  let out = text;
  for (let n = 0; n < levels; n++) out = out.replace(/[\\`$]/g, (c) => `\\${c}`);
  return out;
}

/** Fills `template` for `sh -c`; throws a ShipgateError (PLAN_INVALID) for a template whose placeholders cannot be quoted. */
export function fillTemplate(template: string, values: TemplateValues): string {
  const refuse = (what: string) =>
    new ShipgateError("PLAN_INVALID", `[exec] agent ${values.agent}'s command: ${what}`, {
      hint: "write the placeholder outside here-documents and ${…}, or read the brief from {prompt_file}",
    });
  const stack: Frame[] = [{ kind: "top" }];
  const heredocs: { delimiter: string; stripTabs: boolean }[] = [];
  let out = "";
  let i = 0;
  const n = template.length;
  // A `case` pattern's `)` inside $( … ) would close the substitution early in this reading: nothing after it is filled.
  let caseInSubstitution = false;

  while (i < n) {
    const frame = stack[stack.length - 1] as Frame;
    const c = template[i] as string;
    const next = template[i + 1];

    if (c === "{") {
      const name = placeholderAt(template, i);
      if (name !== null) {
        if (stack.some((f) => f.kind === "param")) throw refuse(`{${name}} inside \${…} cannot be quoted`);
        if (caseInSubstitution) throw refuse(`{${name}} after a case … esac inside $( … ) cannot be quoted`);
        const value = escapeForTicks(shellQuote(values[name]), stack.filter((f) => f.kind === "tick").length);
        if (frame.kind === "single" || frame.kind === "double") {
          if (!frame.reopen) out = out.length === frame.start ? out.slice(0, -1) : out + (frame.kind === "single" ? "'" : '"');
          frame.reopen = true;
        }
        out += value;
        i += name.length + 2;
        continue;
      }
    }

    if (frame.kind === "single" || frame.kind === "double") {
      const quote = frame.kind === "single" ? "'" : '"';
      if (c === quote) {
        if (!frame.reopen) out += quote;
        stack.pop();
        i++;
        continue;
      }
      if (frame.reopen) {
        out += quote;
        frame.start = out.length;
        frame.reopen = false;
      }
      if (frame.kind === "single") {
        out += c;
        i++;
        continue;
      }
    }

    // Backslashes, expansions and quotes: the same in plain text, in "…" (where only some characters are escaped,
    // and quotes are literal) and in ${…}.
    const quoted = frame.kind === "double";
    if (c === "\\") {
      const escapes = !quoted || (next !== undefined && '$`"\\\n'.includes(next));
      out += escapes ? template.slice(i, i + 2) : c;
      i += escapes ? 2 : 1;
      continue;
    }
    if (c === "$" && next === "(") {
      stack.push({ kind: "sub", depth: 0 });
      out += "$(";
      i += 2;
      continue;
    }
    if (c === "$" && next === "{") {
      stack.push({ kind: "param" });
      out += "${";
      i += 2;
      continue;
    }
    if (c === "`") {
      if (frame.kind === "tick") stack.pop();
      else stack.push({ kind: "tick" });
      out += c;
      i++;
      continue;
    }
    if (quoted) {
      out += c;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      out += c;
      stack.push({ kind: c === "'" ? "single" : "double", start: out.length, reopen: false });
      i++;
      continue;
    }
    if (frame.kind === "param") {
      if (c === "}") stack.pop();
      out += c;
      i++;
      continue;
    }
    if (frame.kind === "sub" && (c === "(" || c === ")")) {
      if (c === ")" && frame.depth === 0) stack.pop();
      else frame.depth += c === "(" ? 1 : -1;
      out += c;
      i++;
      continue;
    }
    if (frame.kind === "sub" && c === "c" && template.startsWith("case", i) && COMMENT_AFTER.has(template[i - 1] as string) && WORD_END.has(template[i + 4] ?? "\n")) {
      caseInSubstitution = true;
    }
    if (c === "#" && (i === 0 || COMMENT_AFTER.has(template[i - 1] as string))) {
      // A comment runs to the end of the line; a value with a line break would end it early, so nothing is filled in.
      const end = template.indexOf("\n", i);
      out += template.slice(i, end < 0 ? n : end);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === "<" && next === "<" && template[i + 2] !== "<") {
      const start = i;
      i += 2;
      const stripTabs = template[i] === "-";
      if (stripTabs) i++;
      while (template[i] === " " || template[i] === "\t") i++;
      let delimiter = "";
      while (i < n && !WORD_END.has(template[i] as string)) {
        const d = template[i] as string;
        if (d === "'" || d === '"') {
          const close = template.indexOf(d, i + 1);
          const stop = close < 0 ? n : close;
          delimiter += template.slice(i + 1, stop);
          i = stop + 1;
        } else if (d === "\\") {
          delimiter += template[i + 1] ?? "";
          i += 2;
        } else {
          delimiter += d;
          i++;
        }
      }
      i = Math.min(i, n);
      out += template.slice(start, i);
      if (delimiter !== "") heredocs.push({ delimiter, stripTabs });
      continue;
    }
    if (c === "\n" && heredocs.length > 0) {
      // Here-document bodies start on the next line and run to their delimiter's line.
      out += c;
      i++;
      for (const doc of heredocs.splice(0)) {
        while (i < n) {
          const eol = template.indexOf("\n", i);
          const end = eol < 0 ? n : eol + 1;
          const line = template.slice(i, eol < 0 ? n : eol);
          out += template.slice(i, end);
          i = end;
          if ((doc.stripTabs ? line.replace(/^\t+/, "") : line) === doc.delimiter) break;
          if (lineHasPlaceholder(line)) throw refuse(`a placeholder inside the here-document <<${doc.delimiter} cannot be quoted`);
        }
      }
      continue;
    }
    out += c;
    i++;
  }

  const open = stack[stack.length - 1] as Frame;
  if (open.kind === "single" || open.kind === "double" || open.kind === "tick") {
    const what = open.kind === "single" ? "a ' quote" : open.kind === "double" ? 'a " quote' : "a ` backquote";
    throw new ShipgateError("PLAN_INVALID", `[exec] agent ${values.agent}'s command: ${what} is not closed`, { hint: "close it in the plan's agents[].command" });
  }
  return out;
}
