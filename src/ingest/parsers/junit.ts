import { ParseError } from "../../errors.js";
import type { Diagnostic, IngestResult, ReportParser, TestCase, TestStatus } from "../types.js";
import { detach as own, readXml } from "../xml.js";

const MESSAGE_LIMIT = 2048;
/** Elements whose attributes the parser reads; the rest (properties, system-out, reruns…) are skipped unparsed. */
const WITH_ATTRIBUTES = new Set(["testsuites", "testsuite", "testcase", "failure", "error", "skipped"]);
/** `status` / `result` attribute values that mean the case did not run (JUnit 5 legacy, GoogleTest, xunit.net, …). */
const NOT_RUN = new Set(["disabled", "skipped", "notrun", "not run", "ignored", "pending", "suppressed", "skip"]);

interface OpenCase {
  tc: TestCase;
  sawFailure: boolean;
  sawError: boolean;
  sawFlaky: boolean;
  message: string | undefined;
  isTodo?: boolean;
  /** Text of the first <failure>/<error>/<skipped> without a message attribute. */
  collected?: string;
}

/**
 * JUnit XML as written by vitest, jest-junit, pytest, mocha-junit-reporter, node:test, Surefire, …
 * Counts come from the `<testcase>` elements, never from `tests=`/`failures=` attributes, which
 * disagree with the cases in several tools (nested suites counted twice, retries, skipped forms).
 */
export const junitParser: ReportParser = {
  format: "junit",
  description: "JUnit XML (vitest, jest-junit, pytest, mocha, node:test, Maven Surefire, …)",

  detect(head) {
    const text = head.toString("utf8", 0, Math.min(head.length, 4096));
    return /<testsuites[\s>]|<testsuite[\s>]/.test(text);
  },

  async parse(stream, ctx) {
    const diagnostics: Diagnostic[] = [];
    const cases: TestCase[] = [];
    // The suite path is shared by all cases of a suite (copy on change), not copied per case.
    let suites: readonly string[] = [];
    let suiteKey = "";
    const keys: string[] = [];
    let root: string | undefined;
    let current: OpenCase | undefined;
    /** Inside <failure>/<error>/<skipped> of the current case, collecting its text when it has no message. */
    let collecting = false;
    let depthInCase = 0;

    await readXml(stream, ctx.file, {
      onOpen(name, attrs, line) {
        if (root === undefined) {
          root = name;
          if (name !== "testsuites" && name !== "testsuite") {
            throw new ParseError(ctx.file, line, `the root element is <${name}>, not <testsuites> or <testsuite>: this is not a JUnit report`, {
              hint: "pass a JUnit XML file, or force another format with --format",
            });
          }
        }
        if (current) {
          depthInCase++;
          childOfCase(current, name, attrs);
          collecting = (name === "failure" || name === "error" || name === "skipped") && current.message === undefined;
          return;
        }
        if (name === "testsuite") {
          suites = [...suites, own(attrs.name ?? "")];
          suiteKey = suites.join("\u0000");
        } else if (name === "testcase") {
          const tc: TestCase = {
            suite: suites as string[],
            name: own(attrs.name ?? ""),
            status: "passed",
            durationMs: parseDuration(attrs.time),
            reportLine: line,
          };
          if (attrs.classname !== undefined && attrs.classname !== suites[suites.length - 1]) tc.classname = own(attrs.classname);
          const file = attrs.file ?? attrs.filepath;
          if (file) tc.file = own(file);
          const declared = (attrs.status ?? attrs.result ?? "").toLowerCase();
          if (NOT_RUN.has(declared)) tc.status = "skipped";
          current = { tc, sawFailure: false, sawError: false, sawFlaky: false, message: undefined };
          depthInCase = 0;
        }
      },
      onClose(name) {
        if (current) {
          if (depthInCase > 0) {
            depthInCase--;
            collecting = false;
            return;
          }
          const tc = finishCase(current);
          cases.push(tc);
          keys.push(`${tc.file ?? ""}\u0001${suiteKey}\u0001${tc.classname ?? ""}\u0001${tc.name}`);
          current = undefined;
          return;
        }
        if (name === "testsuite") {
          suites = suites.slice(0, -1);
          suiteKey = suites.join("\u0000");
        }
      },
      wantsText: () => collecting,
      wantsAttributes: (name) => WITH_ATTRIBUTES.has(name),
      onText(text) {
        if (!current) return;
        const sofar = current.collected ?? "";
        if (sofar.length < MESSAGE_LIMIT) current.collected = sofar + text.slice(0, MESSAGE_LIMIT - sofar.length);
      },
    }, diagnostics);

    if (cases.length === 0) {
      diagnostics.push({ level: "warning", code: "junit.no-tests", message: "the report contains no <testcase>: did the test command run any test?", file: ctx.file });
    }
    return { format: "junit", tests: mergeDuplicates(cases, keys, ctx.file, diagnostics), coverage: [], diagnostics } satisfies IngestResult;
  },
};

function childOfCase(open: OpenCase, name: string, attrs: Record<string, string>): void {
  switch (name) {
    case "failure":
      open.sawFailure = true;
      open.message ??= ownMaybe(attrs.message ?? attrs.type);
      break;
    case "error":
      open.sawError = true;
      open.message ??= ownMaybe(attrs.message ?? attrs.type);
      break;
    case "skipped":
      open.tc.status = "skipped";
      // node:test writes a failing {todo} test as <skipped type="todo"> plus <failure>; it is a todo, not a failure.
      if (attrs.type === "todo") open.isTodo = true;
      open.message ??= ownMaybe(attrs.message ?? attrs.type);
      break;
    case "flakyFailure":
    case "flakyError":
      open.sawFlaky = true;
      break;
    // rerunFailure / rerunError accompany a <failure> or <error> when every rerun failed: nothing to add.
  }
}

function finishCase(open: OpenCase): TestCase {
  const { tc } = open;
  // A case with both <failure> and <error> (pytest: the call failed, then teardown errored) failed.
  let status: TestStatus = tc.status;
  if (open.isTodo) status = "skipped";
  else if (open.sawFailure) status = "failed";
  else if (open.sawError) status = "errored";
  tc.status = status;
  if (open.sawFlaky && status === "passed") tc.flaky = true;
  const message = open.message ?? open.collected?.trim();
  if (message && status !== "passed") tc.message = firstLines(message);
  return tc;
}

function ownMaybe(text: string | undefined): string | undefined {
  return text === undefined ? undefined : own(text.length > MESSAGE_LIMIT ? text.slice(0, MESSAGE_LIMIT) : text);
}

function firstLines(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

function parseDuration(time: string | undefined): number | null {
  if (time === undefined || time === "") return null;
  // Some tools write thousands separators ("1,234.5").
  const seconds = Number(time.indexOf(",") === -1 ? time : time.replace(/,/g, ""));
  return Number.isFinite(seconds) ? Math.round(seconds * 1000 * 1000) / 1000 : null;
}

/**
 * The same case may appear several times: retries (vitest, jest), reruns, or pytest's separate
 * report for a teardown error. Each test counts once: if any attempt passed and another did not,
 * the last attempt decides and the test is flaky; otherwise the first failure or error stands.
 */
function mergeDuplicates(cases: TestCase[], keys: string[], file: string, diagnostics: Diagnostic[]): TestCase[] {
  const byKey = new Map<string, TestCase[]>();
  for (let i = 0; i < cases.length; i++) {
    const tc = cases[i] as TestCase;
    const key = keys[i] as string;
    const seen = byKey.get(key);
    if (seen) seen.push(tc);
    else byKey.set(key, [tc]);
  }
  if (byKey.size === cases.length) return cases;
  const merged: TestCase[] = [];
  let duplicated = 0;
  for (const attempts of byKey.values()) {
    const first = attempts[0] as TestCase;
    if (attempts.length === 1) {
      merged.push(first);
      continue;
    }
    duplicated++;
    const statuses = attempts.map((a) => a.status);
    const passed = statuses.includes("passed");
    const bad = statuses.some((s) => s === "failed" || s === "errored");
    let winner: TestCase;
    if (passed && bad) {
      winner = { ...(attempts.filter((a) => a.status !== "skipped").pop() as TestCase), flaky: true };
    } else {
      // The first bad report is the cause; later ones are consequences (pytest's teardown error after a
      // failed call, jest-junit's <failure> copy of a suite <error>).
      winner = attempts.find((a) => a.status === "failed" || a.status === "errored") ?? attempts.find((a) => a.status === "passed") ?? first;
    }
    const durations = attempts.map((a) => a.durationMs).filter((d): d is number => d !== null);
    merged.push({ ...winner, reportLine: first.reportLine, durationMs: durations.length ? durations.reduce((a, b) => a + b, 0) : null });
  }
  diagnostics.push({
    level: "info",
    code: "junit.duplicate-testcase",
    message: `${duplicated} test case(s) appear more than once (retries, reruns or a separate setup/teardown report); each is counted once`,
    file,
  });
  return merged;
}
