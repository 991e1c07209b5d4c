import { ParseError, REMEDY } from "../../errors.js";
import type { Diagnostic, IngestResult, ReportParser, TestCase, TestStatus } from "../types.js";
import { createCaseTag, readCaseTag } from "../junit-case-tag.js";
import { scanJunitXml } from "../junit-fast-scan.js";
import { detach as own } from "../xml.js";

const MESSAGE_LIMIT = 2048;
/** A JavaScript or TypeScript source file name, as vitest names the case for a file that failed to load. */
const SCRIPT_FILE = /\.[cm]?[jt]sx?$/;
/** Elements whose attributes the parser reads (and <property> inside a <testcase>); the rest (system-out, reruns…) are skipped unparsed. */
const WITH_ATTRIBUTES = new Set(["testsuites", "testsuite", "testcase", "failure", "error", "skipped"]);
/** `status` / `result` attribute values that mean the case did not run (JUnit 5 legacy, GoogleTest, xunit.net, …). */
const NOT_RUN = new Set(["disabled", "skipped", "notrun", "not run", "ignored", "pending", "suppressed", "skip"]);
/** pytest's message on the extra <testcase> it writes when a test that failed in call also errors in teardown. */
const PYTEST_TEARDOWN = "failed on teardown with ";
/**
 * The test case property `shipgate init` has jest-junit write for an it.todo (through its testCasePropertiesFile
 * hook): without it a todo looks like a pass.
 */
const JEST_STATUS_PROPERTY = "jest.status";
/** jest-junit's classname for the cases of a test file that failed to load (reportTestSuiteErrors). */
const JEST_SUITE_ERROR = "Test suite failed to run";
/** How far back the teardown report of a pytest test may be from its call report (pytest-xdist interleaves workers). */
const TEARDOWN_LOOKBACK = 64;

interface OpenCase {
  tc: TestCase;
  sawFailure: boolean;
  sawError: boolean;
  sawFlaky: boolean;
  message: string | undefined;
  isTodo: boolean;
  /** Text of the first <failure>/<error>/<skipped> without a message attribute. */
  collected: string | undefined;
}

/**
 * What a leaf <testsuite> (one without nested suites) declares and holds, to spot jest-junit's todo tests:
 * it writes `it.todo` as a <testcase> with no child (like a pass) and time="0", and leaves it out of tests=.
 */
interface OpenSuite {
  name: string;
  line: number;
  /** tests=, failures=, errors=, skipped= (disabled= for some tools); undefined when absent or not a count. */
  declared: [tests: number | undefined, failures: number | undefined, errors: number | undefined, skipped: number | undefined];
  hasNested: boolean;
  /** The message of a <failure>/<error> written directly in the suite (not in a case): the suite itself failed. */
  suiteFailure: string | undefined;
  /** Indexes in `cases` of this suite's passing cases with time="0" (or no time). */
  zeroTimePasses: number[];
  held: Record<TestStatus, number>;
}

/**
 * JUnit XML as written by vitest, jest-junit, pytest, mocha-junit-reporter, node:test, Surefire, …
 * Counts come from the `<testcase>` elements, never from `tests=`/`failures=` attributes, which
 * disagree with the cases in several tools (nested suites counted twice, retries, skipped forms).
 *
 * One `<testcase>` is one test, also when several share a name (`test.each` without `%s`, a loop
 * in node:test): the pipeline tells those apart by order. The exceptions are the shapes a tool uses
 * to write more of one test as a second element, which are folded into the element they continue:
 * pytest's `<error message="failed on teardown with …">` after a failed call, and jest-junit's
 * `<failure>` copy of a suite's `<error>`. Retries never show up as repeated elements in the tools
 * measured (vitest and jest-junit write the last attempt, Surefire nests `flakyFailure` /
 * `rerunFailure` inside the one element, pytest-rerunfailures 10.2 writes the final outcome).
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
    // The suite path is shared by all cases of a suite: copied from the open suites when a case needs it
    // and a suite opened or closed since the last copy, so nesting alone costs nothing per level.
    const openSuites: string[] = [];
    let suites: readonly string[] = [];
    let suitesChanged = false;

    let root: string | undefined;
    // Cases of one suite share their classname: copy it once.
    let lastClassname: string | undefined;
    let lastClassnameOwned: string | undefined;
    /** Whether lastClassname is the last name in classnameSuites (undefined: not decided yet). */
    let classnameIsSuite: boolean | undefined;
    let classnameSuites: readonly string[] | undefined;
    let current: OpenCase | undefined;
    /** Inside <failure>/<error>/<skipped> of the current case, collecting its text when it has no message. */
    let collecting = false;
    let depthInCase = 0;
    let continuations = 0;
    let badTimes = 0;
    const suiteStack: OpenSuite[] = [];
    let inferredTodos = 0;
    let suiteFailures = 0;
    /** failures= + errors= of a <testsuites> root. */
    let rootDeclared = 0;
    const unmarkedTodos: { suite: string; line: number; todos: number; candidates: number }[] = [];
    let firstBadTime: { value: string; line: number } | undefined;

    /**
     * A new test case: `name` and `file` already owned (copied off the read buffer); `durationMs` NaN when
     * the time attribute (`time`) is no duration.
     */
    const newCase = (classname: string | undefined, name: string, file: string | undefined, durationMs: number | null, time: string | undefined, declared: string | undefined, line: number): TestCase => {
      if (suitesChanged) {
        suites = openSuites.slice();
        suitesChanged = false;
      }
      if (classname !== undefined && classname !== lastClassname) {
        lastClassname = classname;
        lastClassnameOwned = own(classname);
        classnameIsSuite = undefined;
      }
      // Whether the classname repeats the innermost suite's name, decided once per classname and suite path:
      // two equal strings that are not one string are compared character by character on every comparison.
      if (classname !== undefined && (classnameIsSuite === undefined || classnameSuites !== suites)) {
        classnameSuites = suites;
        classnameIsSuite = classname === suites[suites.length - 1];
      }
      if (durationMs !== null && Number.isNaN(durationMs)) {
        badTimes++;
        firstBadTime ??= { value: own(time ?? ""), line };
        durationMs = null;
      }
      // Every field set up front: one object shape for all cases keeps the code monomorphic.
      const tc: TestCase = {
        file,
        suite: suites as string[],
        classname: classname === undefined || classnameIsSuite === true ? undefined : lastClassnameOwned,
        name,
        status: "passed",
        durationMs,
        message: undefined,
        flaky: undefined,
        reportLine: line,
      };
      if (declared !== undefined && NOT_RUN.has(declared.toLowerCase())) tc.status = "skipped";
      return tc;
    };
    /** A finished test case joins the results (or the case it continues). */
    const keepCase = (tc: TestCase): void => {
      const into = continued(cases, tc);
      if (into) {
        continuations++;
        if (tc.durationMs !== null) into.durationMs = (into.durationMs ?? 0) + tc.durationMs;
      } else {
        cases.push(tc);
        const suite = suiteStack[suiteStack.length - 1];
        if (suite) {
          // By name, not held[tc.status]++: a store under a key that varies goes through V8's megamorphic store stub.
          const { held } = suite;
          if (tc.status === "passed") held.passed++;
          else if (tc.status === "failed") held.failed++;
          else if (tc.status === "errored") held.errored++;
          else held.skipped++;
          if (tc.status === "passed" && !tc.flaky && (tc.durationMs === null || tc.durationMs === 0)) suite.zeroTimePasses.push(cases.length - 1);
        }
      }
    };
    const tag = createCaseTag();

    await scanJunitXml(stream, ctx.file, {
      onCase(classname, name, file, seconds, time, declared, line, selfClosing) {
        const durationMs = seconds === seconds ? Math.round(seconds * 1000 * 1000) / 1000 : parseDuration(time);
        const tc = newCase(classname, name ?? "", file ? file : undefined, durationMs, time, declared, line);
        if (selfClosing) {
          // A case with no child: nothing to finish (finishCase would leave it as it is).
          keepCase(tc);
        } else {
          current = { tc, sawFailure: false, sawError: false, sawFlaky: false, message: undefined, isTodo: false, collected: undefined };
          depthInCase = 0;
        }
      },
      onOpen(name, attrs, line) {
        if (root === undefined) {
          root = name;
          if (name === "testsuites") rootDeclared = (count(attrs.failures) ?? 0) + (count(attrs.errors) ?? 0);
          if (name !== "testsuites" && name !== "testsuite") {
            throw new ParseError(ctx.file, line, `the root element is <${name}>, not <testsuites> or <testsuite>: this is not a JUnit report`, {
              hint: `pass a JUnit XML file, or ${REMEDY.nameFormat}`,
            });
          }
        }
        if (current) {
          depthInCase++;
          childOfCase(current, name, attrs);
          collecting = (name === "failure" || name === "error" || name === "skipped") && current.message === undefined;
          return;
        }
        if ((name === "failure" || name === "error") && suiteStack.length > 0) {
          const suite = suiteStack[suiteStack.length - 1] as OpenSuite;
          suite.suiteFailure ??= ownMaybe(attrs.message ?? attrs.type) ?? `<${name}>`;
          return;
        }
        if (name === "testsuite") {
          openSuites.push(own(attrs.name ?? ""));
          suitesChanged = true;
          const parent = suiteStack[suiteStack.length - 1];
          if (parent) parent.hasNested = true;
          suiteStack.push({
            name: openSuites[openSuites.length - 1] as string,
            line,
            declared: [count(attrs.tests), count(attrs.failures), count(attrs.errors), count(attrs.skipped ?? attrs.disabled)],
            hasNested: false,
            suiteFailure: undefined,
            zeroTimePasses: [],
            held: { passed: 0, failed: 0, errored: 0, skipped: 0 },
          });
        } else if (name === "testcase") {
          const file = attrs.file ?? attrs.filepath;
          const tc = newCase(attrs.classname, own(attrs.name ?? ""), file ? own(file) : undefined, parseDuration(attrs.time), attrs.time, attrs.status ?? attrs.result, line);
          // Every field set up front, here and for suites: a field added later changes the object's shape, which
          // throws away the optimized code that relied on the old one.
          current = { tc, sawFailure: false, sawError: false, sawFlaky: false, message: undefined, isTodo: false, collected: undefined };
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
          keepCase(finishCase(current));
          current = undefined;
          return;
        }
        if (name === "testsuite") {
          const failedSuite = suiteStack[suiteStack.length - 1];
          const why = failedSuite ? suiteFailedWithoutCase(failedSuite) : null;
          if (failedSuite && why !== null) {
            // A suite that failed with no failing case in it (a file that failed to load, a failing hook):
            // one errored test, so the report cannot look clean.
            cases.push(erroredCase(openSuites.slice(), "suite failed without a failing test case", why, failedSuite.line));
            suiteFailures++;
          }
          openSuites.pop();
          suitesChanged = true;
          const suite = suiteStack.pop();
          const todos = suite ? uncountedPasses(suite) : 0;
          if (suite && todos > 0) {
            // Which passes are the todos is certain only when every passing case with time="0" must be one.
            if (suite.zeroTimePasses.length === todos) {
              for (const i of suite.zeroTimePasses) {
                const tc = cases[i] as TestCase;
                tc.status = "skipped";
                tc.message = "todo";
              }
              inferredTodos += todos;
            } else {
              unmarkedTodos.push({ suite: suite.name, line: suite.line, todos, candidates: suite.zeroTimePasses.length });
            }
          }
        }
      },
      // Most cases are one plain self-closing tag: read without the reader's general tag parser (see readCaseTag).
      onEmptyElement(buf, lt, line) {
        if (current !== undefined) return -1;
        const end = readCaseTag(buf, lt, tag, lastClassname);
        if (end === -1) return -1;
        const file = tag.file ?? tag.filepath;
        const { timeFrom, timeTo } = tag;
        const durationMs = timeFrom === -1 ? null : durationAt(buf, timeFrom, timeTo);
        const time = durationMs !== null && Number.isNaN(durationMs) ? buf.slice(timeFrom, timeTo) : undefined;
        // A case with no child: nothing to finish (finishCase would leave it as it is).
        keepCase(newCase(tag.classname, tag.name ?? "", file ? file : undefined, durationMs, time, undefined, line));
        return end;
      },
      wantsText: () => collecting,
      // A <property> is read only inside a <testcase>: suites carry many (Surefire writes the JVM's system properties).
      wantsAttributes: (name) => WITH_ATTRIBUTES.has(name) || (name === "property" && current !== undefined),
      onText(text) {
        if (!current) return;
        const sofar = current.collected ?? "";
        if (sofar.length < MESSAGE_LIMIT) current.collected = sofar + text.slice(0, MESSAGE_LIMIT - sofar.length);
      },
    }, diagnostics);

    if (cases.length === 0) {
      diagnostics.push({ level: "warning", code: "junit.no-tests", message: "the report contains no <testcase>: did the test command run any test?", file: ctx.file });
    }
    // gotestsum leaves a package that failed to build out of the report and only counts it in the root's
    // errors=: the one trace of it. A root that declares failures while no case failed gets one errored test.
    if (rootDeclared > 0 && !cases.some((tc) => tc.status === "failed" || tc.status === "errored")) {
      cases.push(erroredCase([], "report declares failures without a failing test case", `<testsuites> declares ${rootDeclared} failure(s) or error(s) but no test case failed (a package or file that failed to build or load?)`, 1));
      suiteFailures++;
    }
    if (suiteFailures > 0) {
      diagnostics.push({
        level: "warning",
        code: "junit.suite-failed",
        message: `${suiteFailures} suite(s) (or the report's root) declare a failure without a failing test case in them (a file that failed to build or load, a failing setup or hook): each counted as one errored test`,
        file: ctx.file,
      });
    }
    // vitest writes a test file that failed to load as one failing case named after the file (its own
    // "Tests" line leaves it out): counted here, and said so, since our total is then one above vitest's.
    const loadFailures = cases.filter((tc) => (tc.status === "failed" || tc.status === "errored") && tc.name === tc.suite[tc.suite.length - 1] && SCRIPT_FILE.test(tc.name));
    if (loadFailures.length > 0) {
      diagnostics.push({
        level: "info",
        code: "junit.file-failed-to-load",
        message: `${loadFailures.length} failing test case(s) stand for a test file that failed to load (${loadFailures[0]?.name ?? ""}${loadFailures.length > 1 ? ", …" : ""}): counted as failed tests, which the runner's own test count leaves out`,
        file: ctx.file,
      });
    }
    if (badTimes > 0 && firstBadTime) {
      diagnostics.push({
        level: "warning",
        code: "junit.bad-duration",
        message: `${badTimes} <testcase> time value(s) are not a finite number of seconds >= 0 (first: time="${firstBadTime.value.slice(0, 40)}"): their durations are left unknown`,
        file: ctx.file,
        line: firstBadTime.line,
      });
    }
    if (inferredTodos > 0) {
      diagnostics.push({
        level: "info",
        code: "junit.todo-inferred",
        message: `${inferredTodos} <testcase> element(s) with no outcome and time="0" are left out of their suite's tests= count (jest-junit's it.todo): counted as skipped`,
        file: ctx.file,
      });
    }
    if (unmarkedTodos.length > 0) {
      const first = unmarkedTodos[0] as (typeof unmarkedTodos)[number];
      const todos = unmarkedTodos.reduce((n, u) => n + u.todos, 0);
      diagnostics.push({
        level: "warning",
        code: "junit.suite-count-mismatch",
        message: `${todos} passing <testcase>(s) in ${unmarkedTodos.length} <testsuite>(s) are not counted by their tests= attribute (first: "${first.suite.slice(0, 80)}", ${first.todos} of its ${first.candidates} passes with time="0"): jest-junit writes it.todo this way, and nothing in the report says which of those passes are todos, so they count as passed`,
        file: ctx.file,
        line: first.line,
      });
    }
    if (continuations > 0) {
      diagnostics.push({
        level: "info",
        code: "junit.test-continued",
        message: `${continuations} <testcase> element(s) report more of the test just before them (pytest's teardown error after a failed call, jest-junit's copy of a suite error): each such test is counted once`,
        file: ctx.file,
      });
    }
    // Same-named cases that are not such continuations stay separate: the pipeline numbers them (see numberOccurrences).
    return { format: "junit", tests: cases, coverage: [], diagnostics } satisfies IngestResult;
  },
};

/**
 * The earlier case `tc` continues, when it is one of the shapes a tool uses to write more of one test
 * as a second element; otherwise undefined. The earlier case already holds the failure that stands.
 */
function continued(cases: readonly TestCase[], tc: TestCase): TestCase | undefined {
  let lookback: number;
  let wanted: TestStatus;
  if (tc.status === "errored" && tc.message?.startsWith(PYTEST_TEARDOWN)) {
    lookback = TEARDOWN_LOOKBACK;
    wanted = "failed";
  } else if (tc.classname === JEST_SUITE_ERROR && tc.status !== "passed") {
    lookback = 1;
    wanted = "errored";
  } else {
    return undefined;
  }
  for (let i = cases.length - 1, stop = Math.max(0, cases.length - lookback); i >= stop; i--) {
    const c = cases[i] as TestCase;
    if (c.name === tc.name && c.classname === tc.classname && c.file === tc.file && sameSuite(c.suite, tc.suite)) return c.status === wanted ? c : undefined;
  }
  return undefined;
}

/**
 * How many of a leaf suite's passing cases its attributes leave out, when that is the only disagreement:
 * failures=, errors= and skipped= (where given) equal the cases held, and tests= counts fewer passes.
 * Any other disagreement (pytest counts a test that fails in call and errors in teardown under both
 * failures= and errors=; nested suites add up their children) says nothing about todos: 0.
 */
function uncountedPasses(suite: OpenSuite): number {
  const [tests, failures, errors, skipped] = suite.declared;
  const { held } = suite;
  if (suite.hasNested || tests === undefined) return 0;
  if ((failures ?? held.failed) !== held.failed || (errors ?? held.errored) !== held.errored || (skipped ?? held.skipped) !== held.skipped) return 0;
  return held.passed - Math.max(0, tests - held.failed - held.errored - held.skipped);
}

/**
 * Why a suite failed though none of its cases did, or null: a <failure>/<error> written in the suite
 * itself, or a leaf suite whose failures=/errors= declare failures it holds no case for (mocha and Surefire
 * write a suite whose setup failed this way). A suite holding a failing case is left alone: pytest counts
 * a test that fails in call and errors in teardown under both attributes.
 */
function suiteFailedWithoutCase(suite: OpenSuite): string | null {
  if (suite.held.failed + suite.held.errored > 0) return null;
  if (suite.suiteFailure !== undefined) return suite.suiteFailure;
  const [, failures, errors] = suite.declared;
  const declared = (failures ?? 0) + (errors ?? 0);
  return !suite.hasNested && declared > 0 ? `the suite declares ${declared} failure(s) or error(s) but lists no failing test case` : null;
}

/** The errored case that stands for a failure the report declares without a failing case of its own. */
function erroredCase(suite: string[], name: string, message: string, line: number): TestCase {
  return { file: undefined, suite, classname: undefined, name, status: "errored", durationMs: null, message, flaky: undefined, reportLine: line };
}

function count(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function sameSuite(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

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
    case "property":
      if (attrs.name === JEST_STATUS_PROPERTY && attrs.value === "todo") {
        open.isTodo = true;
        open.message ??= "todo";
      }
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

/** Milliseconds; null when the report gives no time; NaN when it gives one that is no duration (negative, NaN, Infinity, text). */
function parseDuration(time: string | undefined): number | null {
  if (time === undefined) return null;
  const plain = plainDecimal(time, 0, time.length);
  if (plain !== undefined) return Math.round(plain * 1000 * 1000) / 1000;
  if (time.trim() === "") return null;
  // Some tools write thousands separators ("1,234.5").
  const seconds = Number(time.indexOf(",") === -1 ? time : time.replace(/,/g, ""));
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000 * 1000) / 1000 : Number.NaN;
}

/** parseDuration of `buf` from `from` to `to`, without slicing the usual plain decimal out of the buffer. */
function durationAt(buf: string, from: number, to: number): number | null {
  const plain = plainDecimal(buf, from, to);
  return plain !== undefined ? Math.round(plain * 1000 * 1000) / 1000 : parseDuration(buf.slice(from, to));
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `Number(text.slice(from, to))` for what tools write as a time ("1.454", "0", ".5"): digits with at most one dot and at most
 * 15 digits; undefined for anything else. Exact: the digits as an integer and the power of ten are both
 * exact doubles below 2^53, so their quotient is the correctly rounded value, which is what Number() returns.
 * Number() itself goes through the runtime's general string conversion, a measurable share of a parse.
 */
function plainDecimal(text: string, from: number, to: number): number | undefined {
  const len = to - from;
  if (len === 0 || len > 16) return undefined;
  let digits = 0;
  let mantissa = 0;
  let dot = -1;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 /* . */ && dot === -1) {
      dot = i;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 15) return undefined;
  return dot === -1 ? mantissa : mantissa / (POWERS_OF_TEN[to - dot - 1] as number);
}
