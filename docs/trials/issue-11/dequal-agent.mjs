#!/usr/bin/env node
// Stand-in coding agent for lukeed/dequal: real edits per task, in $SHIPGATE_WORKTREE.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
const [task, briefFile] = process.argv.slice(2);
const root = process.env.SHIPGATE_WORKTREE ?? process.cwd();
const brief = briefFile && existsSync(briefFile) ? readFileSync(briefFile, "utf8") : "";
import("node:fs").then(f => f.writeFileSync(`/tmp/trial/brief-${task}-${process.env.SHIPGATE_ATTEMPT}.md`, brief));
const at = (p) => join(root, p);
const edit = (p, from, to) => { const t = readFileSync(at(p), "utf8"); if (!t.includes(from)) { console.error(`agent: ${p} lacks anchor`); process.exit(1); } writeFileSync(at(p), t.replace(from, to)); };
const append = (p, s) => writeFileSync(at(p), readFileSync(at(p), "utf8") + s);
const commit = (msg) => { execFileSync("git", ["add", "-A"], { cwd: root }); execFileSync("git", ["-c", "user.name=bot", "-c", "user.email=bot@example.com", "commit", "-q", "-m", msg], { cwd: root }); };
console.error(`agent ${task} attempt ${process.env.SHIPGATE_ATTEMPT}: brief ${brief.length} chars, first line: ${brief.split("\n")[0]}`);
const boxedFix = `\t\tif (ctor === Number || ctor === String || ctor === Boolean) return foo.valueOf() === bar.valueOf();\n`;
switch (task) {
  case "DQ-BOXED": {
    append("test/index.js", `\n// ---\n\nconst Boxed = suite('boxed');\n\nBoxed('boxed primitives', () => {\n\tsame(new Number(1), new Number(1));\n\tdifferent(new Number(1), new Number(2));\n\tdifferent(new String('a'), new String('b'));\n\tdifferent(new Boolean(true), new Boolean(false));\n});\n\nBoxed.run();\n`);
    // First attempt: only the test (it fails: dequal ignores the boxed value). A retry whose brief quotes the failure fixes src.
    if (/FAIL +boxed/.test(brief.replace(/\x1b\[[0-9;]*m/g, ""))) {
      edit("src/index.js", "\t\tif (ctor === RegExp) return foo.toString() === bar.toString();\n", "\t\tif (ctor === RegExp) return foo.toString() === bar.toString();\n" + boxedFix);
      console.log("fixed src/index.js after reading the failure in the brief");
    }
    commit("[DQ-BOXED] compare boxed primitives by value");
    break;
  }
  case "DQ-LITE-BOXED":
    edit("src/lite.js", "\t\tif (ctor === RegExp) return foo.toString() === bar.toString();\n", "\t\tif (ctor === RegExp) return foo.toString() === bar.toString();\n" + boxedFix);
    append("test/lite.js", `\n// ---\n\nconst Boxed = suite('boxed');\n\nBoxed('boxed primitives', () => {\n\tsame(new Number(1), new Number(1));\n\tdifferent(new Number(1), new Number(2));\n});\n\nBoxed.run();\n`);
    break; // left uncommitted on purpose
  case "DQ-ERRORS":
    append("test/index.js", `\n// ---\n\nconst Errors = suite('Error');\n\nErrors('errors', () => {\n\tsame(new Error('x'), new Error('x'));\n\tdifferent(new Error('x'), new TypeError('x'));\n});\n\nErrors.run();\n`);
    commit("[DQ-ERRORS] test Error instances");
    break;
  case "DQ-README":
    edit("readme.md", "#### `dequal/lite`", "> **Note:** Boxed primitives (`new Number(1)`, `new String('a')`) are compared by their value.\n\n#### `dequal/lite`");
    break;
  case "DQ-TYPES":
    edit("index.d.ts", "export function dequal", "/** Deep equality of two values: objects, arrays, Dates, RegExps, Maps, Sets, typed arrays. */\nexport function dequal");
    commit("[DQ-TYPES] document dequal in its types");
    break;
  case "DQ-BENCH":
    append("bench/index.js", "\n// boxed primitives are compared by value since DQ-BOXED\n");
    edit("package.json", '"test": "uvu -r esm test"', '"test": "uvu -r esm test",\n    "bench": "node bench"'); // not owned!
    break;
  default:
    console.error(`agent: unknown task ${task}`); process.exit(1);
}
console.log(JSON.stringify({ type: "result", subtype: "success", is_error: false, result: `done ${task}`, total_cost_usd: 0.01, usage: { input_tokens: 1000, output_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }));
