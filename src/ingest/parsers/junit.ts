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

    let root: string | undefined;
    // Cases of one suite share their classname: copy it once.
    let lastClassname: string | undefined;
    let lastClassnameOwned: string | undefined;
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
        } else if (name === "testcase") {
          // Every field set up front: one object shape for all cases keeps the code monomorphic.
          const classname = attrs.classname;
          if (classname !== undefined && classname !== lastClassname) {
            lastClassname = classname;
            lastClassnameOwned = own(classname);
          }
          const file = attrs.file ?? attrs.filepath;
          const tc: TestCase = {
            file: file ? own(file) : undefined,
            suite: suites as string[],
            classname: classname === undefined || classname === suites[suites.length - 1] ? undefined : lastClassnameOwned,
            name: own(attrs.name ?? ""),
            status: "passed",
            durationMs: parseDuration(attrs.time),
            message: undefined,
            flaky: undefined,
            reportLine: line,
          };
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
          cases.push(finishCase(current));
          current = undefined;
          return;
        }
        if (name === "testsuite") {
          suites = suites.slice(0, -1);
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
    // Repeated cases (retries, reruns, pytest's teardown report) stay separate here: the pipeline merges
    // them by stable identity, which needs the resolved file path (see mergeAttempts).
    return { format: "junit", tests: cases, coverage: [], diagnostics } satisfies IngestResult;
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
