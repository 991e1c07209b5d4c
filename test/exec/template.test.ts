import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fillTemplate, shellQuote, type TemplateValues } from "../../src/exec/template.js";

const dir = mkdtempSync(join(tmpdir(), "shipgate-template-"));
/** A program that prints the arguments it received, as JSON. */
const argvScript = join(dir, "argv.mjs");
writeFileSync(argvScript, "process.stdout.write(JSON.stringify(process.argv.slice(2)));\n");
const node = `${shellQuote(process.execPath)} ${shellQuote(argvScript)}`;
/** The shell's printf prints its arguments NUL-separated: as exact as the node program, without a process start per case. */
const printf = "printf '%s\\0'";

/** Every shell a template may meet: Debian's sh (dash) and bash (macOS's sh). */
const SHELLS = ["/bin/sh", "bash"];

/** What the program received when `sh -c` ran the filled template (in a scratch folder, so a leaked `touch` shows). */
function received(shell: string, command: string, program: string): string[] {
  const out = execFileSync(shell, ["-c", command], { cwd: dir, encoding: "utf8", env: { ...process.env, HOME: "/home/someone" } });
  return program === node ? (JSON.parse(out) as string[]) : out.split("\0").slice(0, -1);
}

const NASTY = [
  `it's "quoted" and 'single'`,
  "$(touch pwned-dollar)",
  "`touch pwned-backtick`",
  "line one\nline two\n\nline four",
  "'",
  '"',
  "",
  "unicode: héllo — 日本語 🚀",
  "a {task} and {prompt} and {prompt_file} inside the text",
  "backslashes \\ \\\\ \\n \\' \\\" end\\",
  "${HOME} $HOME ~ * ? [a] ; && || | > out < in & # not a comment",
  "tab\there, CR\rthere",
  "'\\''",
  "-p --flag",
].join("|");

const values = (prompt: string): TemplateValues => ({ prompt, prompt_file: "/tmp/brief dir/T-1.md", task: "T-1", agent: "claude", worktree: "/work/it's here" });

describe("shellQuote", () => {
  it("single-quotes every value, a quote inside as '\\''", () => {
    expect(shellQuote("plain")).toBe("'plain'");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe("fillTemplate", () => {
  it("fills the docs' example claude -p \"{prompt}\" replacing the user's quotes too", () => {
    expect(fillTemplate('claude -p "{prompt}"', values("it's $(here)"))).toBe("claude -p 'it'\\''s $(here)'");
    expect(fillTemplate("codex exec '{prompt}' --cd {worktree}", values("x"))).toBe("codex exec 'x' --cd '/work/it'\\''s here'");
    expect(fillTemplate('run "task {task} by {agent}: go"', values("x"))).toBe(`run "task "'T-1'" by "'claude'": go"`);
  });

  it("leaves ${VAR}, {a,b}, unknown names and a backslash-escaped brace alone", () => {
    expect(fillTemplate("x ${HOME} {a,b} {unknown} \\{task} ${task} '${task}' {task}", values("p"))).toBe("x ${HOME} {a,b} {unknown} \\{task} ${task} '${task}' 'T-1'");
  });

  it("does not fill a placeholder in a comment (a line break in the value would end the comment)", () => {
    expect(fillTemplate("run {task} # {prompt}\nnext {agent}", values("a\nrm -rf x"))).toBe("run 'T-1' # {prompt}\nnext 'claude'");
  });

  it("refuses a placeholder in a here-document or in ${…}, and an unclosed quote", () => {
    expect(() => fillTemplate("cat <<EOF\n{prompt}\nEOF", values("p"))).toThrowErrorMatchingInlineSnapshot(`[ShipgateError: [exec] agent claude's command: a placeholder inside the here-document <<EOF cannot be quoted]`);
    expect(() => fillTemplate("x ${A:-{task}}", values("p"))).toThrowErrorMatchingInlineSnapshot(`[ShipgateError: [exec] agent claude's command: {task} inside \${…} cannot be quoted]`);
    expect(() => fillTemplate('x "$(case a in a) echo {prompt};; esac)"', values("p"))).toThrowErrorMatchingInlineSnapshot(`[ShipgateError: [exec] agent claude's command: {prompt} after a case … esac inside $( … ) cannot be quoted]`);
    expect(() => fillTemplate('claude -p "{prompt}', values("p"))).toThrowErrorMatchingInlineSnapshot(`[ShipgateError: [exec] agent claude's command: a " quote is not closed]`);
    expect(fillTemplate("cat <<-'EOF'\n\tplain\n\tEOF\nrun {task}", values("p"))).toBe("cat <<-'EOF'\n\tplain\n\tEOF\nrun 'T-1'");
  });

  for (const [shell, argv, prompts] of SHELLS.flatMap((sh) => [
    [sh, node, [NASTY, "", "'"]],
    [sh, printf, [NASTY, ...NASTY.split("|")]],
  ] as const)) {
    describe(`${argv === node ? "a node program" : "printf"} run by ${shell} -c`, () => {
      const cases: [string, string, (v: TemplateValues) => string[]][] = [
        ["bare", `${argv} {prompt}`, (v) => [v.prompt]],
        ["in the user's double quotes", `${argv} -p "{prompt}"`, (v) => ["-p", v.prompt]],
        ["in the user's single quotes", `${argv} '{prompt}'`, (v) => [v.prompt]],
        ["amid text in double quotes", `${argv} "task {task}: {prompt} (by {agent})"`, (v) => [`task ${v.task}: ${v.prompt} (by ${v.agent})`]],
        ["amid text in single quotes", `${argv} 'in {worktree}, {prompt}!'`, (v) => [`in ${v.worktree}, ${v.prompt}!`]],
        ["glued to other words", `${argv} --file={prompt_file} {task}{agent} "{task}"'{agent}'`, (v) => [`--file=${v.prompt_file}`, `${v.task}${v.agent}`, `${v.task}${v.agent}`]],
        ["inside $( … ) in double quotes", `${argv} "$(printf '%s' {prompt})" "$(printf '%s' "{task}")"`, (v) => [v.prompt, v.task]],
        ["inside backquotes", `${argv} "\`printf '%s' {prompt}\`" \`printf '%s' "{task}"\``, (v) => [v.prompt, v.task]],
        ["next to the shell's own ${VAR}", `${argv} \${HOME} "\${HOME}{task}"`, (v) => ["/home/someone", `/home/someone${v.task}`]],
      ];
      for (const [name, template, expected] of cases) {
        it(`passes every value byte for byte: ${name}`, () => {
          for (const prompt of prompts) {
            const v = values(prompt);
            expect(received(shell, fillTemplate(template, v), argv)).toEqual(expected(v));
          }
          expect(existsSync(join(dir, "pwned-dollar"))).toBe(false);
          expect(existsSync(join(dir, "pwned-backtick"))).toBe(false);
        });
      }
    });
  }
});
