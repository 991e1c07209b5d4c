import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { glob, isDynamicPattern } from "tinyglobby";
import type { CollectorRun } from "../collect/run-collector.js";
import type { LoadedConfig } from "../config/load-config.js";
import type { CollectorConfig, ShipgateConfig } from "../config/schema.js";
import { scoreSettings } from "../config/score-settings.js";
import { CollectorError, REMEDY, ShipgateError, throwIfInterrupted } from "../errors.js";
import { errorLines, type ErrorLines } from "../collect/error-lines.js";
import { createPathResolver, listRepoFiles, repoRelativeDir } from "../ingest/paths.js";
import { readReport } from "../ingest/read-report.js";
import type { ReportFormat } from "../ingest/types.js";
import type { FactRecord, Store } from "../store/types.js";
import { collectRepoFacts } from "../facts/repo-facts.js";
import { buildSnapshotRows, type ReadReport } from "../snapshot/rows.js";
import { createLineReader } from "../ingest/line-reader.js";
import type { DocsOutcome } from "../snapshot/readiness.js";
import { readGitState } from "../git/state.js";
import { summarize, type AssessSummary } from "../snapshot/summary.js";
import { computeAlerts } from "../gate/alerts.js";
import { normalizeSummary, summaryMetrics } from "../gate/metrics.js";
import { traceEnv, type TraceResult, type TraceSpan } from "./tracing.js";
import { COLLECT_AFTER_BYTES, collectGarbage } from "./collect-garbage.js";

export interface ReportRequest {
  path: string;
  format?: ReportFormat;
}

export type AssessProgress =
  | { type: "collector-start"; name: string; command: string }
  | { type: "collector-output"; name: string; text: string }
  | { type: "collector-end"; name: string; run: CollectorRun }
  | { type: "report-start"; path: string; bytes: number }
  | { type: "report-end"; path: string; format: ReportFormat; tests: number; coverageFiles: number; findings: number; advisories: number; ms: number }
  | { type: "docs-progress"; done: number; total: number }
  | { type: "docs-end"; files: number; links: number; broken: number; ms: number };

export interface AssessOptions {
  /** Repository root: report paths resolve against it. */
  root: string;
  config: LoadedConfig;
  /** Reports named on the command line; read in addition to the collectors' (or instead, with `run: false` and no config). */
  reports: ReportRequest[];
  /** Run the collectors' commands (false: only read their reports as they are). */
  run: boolean;
  store: Store;
  onProgress?: (event: AssessProgress) => void;
  /**
   * Stops the assessment: the running collector's process group is ended and nothing is stored; the
   * promise rejects with an InterruptedError. Once the snapshot is being stored it is too late to stop.
   */
  signal?: AbortSignal;
  /** For tests: a fixed clock. */
  now?: () => Date;
  /** The pipeline run this assessment is (tracing): each collector is a step under it, and its command gets TRACEPARENT. */
  trace?: TraceSpan | undefined;
}

export interface AssessResult {
  summary: AssessSummary;
  snapshotId: number;
}

/**
 * Runs collectors, reads every report, and stores one snapshot. Nothing is stored unless every
 * collector and every report succeeded: a failure halfway rejects with a ShipgateError, an abort
 * (`signal`) with an InterruptedError.
 */
export async function assess(options: AssessOptions): Promise<AssessResult> {
  const { root, config } = options;
  const collectors = config.config.collectors;
  if (collectors.length === 0 && options.reports.length === 0) {
    throw new ShipgateError("USAGE", "[assess] nothing to assess: shipgate.yaml has no collectors and no report was named", {
      hint: `run \`shipgate init\` to write a config for this repository, or ${REMEDY.nameReport} (JUnit, lcov, Cobertura, istanbul, coverage.py)`,
    });
  }
  const takenAt = (options.now?.() ?? new Date()).toISOString();
  const runs: CollectorRun[] = [];
  const requests: { path: string; format?: ReportFormat; collector: string | null; runDir?: string }[] = [];

  const { signal } = options;
  const stopped = (detail: string) => throwIfInterrupted(signal, "assess", `${detail}; nothing was stored`);
  for (const collector of collectors) {
    stopped(`before collector ${collector.name} ran`);
    let run: CollectorRun | undefined;
    let before: Map<string, number> | undefined;
    let errors: string | undefined;
    if (options.run && collector.command) {
      before = await reportTimes(collector, root);
      options.onProgress?.({ type: "collector-start", name: collector.name, command: collector.command });
      const scan: Record<"stdout" | "stderr", ErrorLines> = { stdout: errorLines(), stderr: errorLines() };
      const span = options.trace?.step("collector", collector.name);
      // Loaded when a command runs: a run that only reads reports does without it (and the schema it imports).
      const { runCollector } = await import("../collect/run-collector.js");
      run = await runCollector({ ...collector, command: collector.command, env: { ...collector.env, ...traceEnv(span) } }, {
        root,
        onOutput: (stream, text) => {
          scan[stream].push(text);
          options.onProgress?.({ type: "collector-output", name: collector.name, text });
        },
        ...(signal ? { signal } : {}),
      });
      runs.push(run);
      span?.end(...collectorResult(run));
      options.onProgress?.({ type: "collector-end", name: collector.name, run });
      stopped(`collector ${collector.name} was stopped`);
      errors = scan.stderr.lines() || scan.stdout.lines();
      checkRun(collector, run, errors);
    }
    const found = await findReports(collector, root, run, before, errors);
    for (const f of found) requests.push({ ...f, collector: collector.name, ...(collector.cwd ? { runDir: collector.cwd } : {}) });
  }
  for (const r of options.reports) requests.push({ ...r, collector: null });

  // The repository's file list and git state (git processes) are read while the reports are parsed: they
  // do not depend on them, only on what the collectors left, and they cost as much as a small report.
  const repoAndGit = Promise.all([listRepoFiles(root), readGitState(root)]);
  // Awaited below; a report that fails first must not leave this one rejecting unhandled.
  repoAndGit.catch(() => undefined);
  // The docs link check needs neither the reports nor the rows either: it runs while the reports are parsed
  // (its git process and directory walk took ~50 ms after them on the 20 000-file lcov). Its progress is held
  // until the reports are read, so the lines come in the order they always did.
  const heldDocsProgress: AssessProgress[] = [];
  let holdDocsProgress = true;
  const docsCheck = checkDocs(root, config.config.docs, (event) => (holdDocsProgress ? heldDocsProgress.push(event) : options.onProgress?.(event)));
  docsCheck.catch(() => undefined);

  const reports: ReadReport[] = [];
  for (const request of requests) {
    stopped("while the reports were read");
    const absolute = isAbsolute(request.path) ? request.path : join(root, request.path);
    const shownPath = relative(process.cwd(), absolute) || request.path;
    const started = Date.now();
    const size = await stat(absolute).then((s) => s.size, () => 0);
    options.onProgress?.({ type: "report-start", path: shownPath, bytes: size });
    const read = await readReport(absolute, request.format ? { format: request.format } : {}).catch((error: unknown) => {
      // A collector's report that cannot be read (npm audit offline writes its error instead): name the collector.
      if (request.collector === null || !(error instanceof ShipgateError) || error instanceof CollectorError) throw error;
      throw new CollectorError(error.code, request.collector, error.message, { ...(error.hint ? { hint: error.hint } : {}), cause: error });
    });
    read.source.path = relative(root, absolute).startsWith("..") ? absolute : relative(root, absolute);
    reports.push({ ...read, reportDir: repoRelativeDir(root, absolute), collector: request.collector, ...(request.runDir ? { runDir: request.runDir } : {}) });
    options.onProgress?.({
      type: "report-end",
      path: shownPath,
      format: read.source.format,
      tests: read.result.tests.length,
      coverageFiles: read.result.coverage.length,
      findings: read.result.findings?.length ?? 0,
      advisories: read.result.advisories?.length ?? 0,
      ms: Date.now() - started,
    });
  }

  for (const run of runs) flagExitWithoutFailingTest(run, reports, collectors.find((c) => c.name === run.name)?.exit_without_failing_test ?? "error");

  stopped("while the reports were read");
  holdDocsProgress = false;
  for (const event of heldDocsProgress.splice(0)) options.onProgress?.(event);
  // The parsers' garbage goes before the rows are built, so that they reuse its room (collect-garbage.ts).
  const collecting = reports.reduce((n, r) => n + r.source.bytes, 0) >= COLLECT_AFTER_BYTES;
  if (collecting) collectGarbage();
  const [repo, git] = await repoAndGit;
  const resolver = createPathResolver(repo, { componentDirs: await componentDirs(root, config.config.components) });
  const rows = buildSnapshotRows(reports, resolver, createLineReader(root));
  // And building the rows leaves its own (range parts, lookup keys): the store's writes then reuse that room.
  // On the 20 000-file lcov: peak RSS 199-205 MB → 186-196 MB (stdout on a pipe), for ~10 ms.
  if (collecting) collectGarbage();
  const [repoFacts, docs] = await Promise.all([collectRepoFacts(repo), docsCheck]);
  const summary = summarize({
    takenAt,
    git,
    configHash: config.hash,
    sources: rows.sources,
    tests: rows.tests,
    coverageFiles: rows.coverageFiles,
    findings: rows.findings,
    advisories: rows.advisories,
    repoFacts,
    docs,
    packageOf: (path) => resolver.packageOf(path),
    scoreSettings: scoreSettings(config.config),
    resolveThreshold: config.config.paths.resolve_threshold,
    collectors: collectors.map((c) => {
      const run = runs.find((r) => r.name === c.name);
      return { name: c.name, command: run ? c.command ?? null : null, exitCode: run?.exitCode ?? null, timedOut: run?.timedOut ?? false, durationMs: run?.durationMs ?? null };
    }),
    diagnostics: rows.diagnostics,
  });
  const [previous] = await options.store.listSnapshots({ limit: 1 });
  if (previous) {
    const a = config.config.alerts;
    summary.alerts = computeAlerts(summaryMetrics(normalizeSummary(previous.summary)), summaryMetrics(summary), { scoreDecline: a.score_decline, worseByPct: a.worse_by_pct, metrics: a.metrics });
  }
  // The per-file list lives in the coverage_file rows; the stored summary keeps the headline numbers.
  const stored = { ...summary, coverage: { ...summary.coverage, files: [] } };
  // The last point where stopping leaves nothing behind; the save itself is one transaction.
  stopped("before the snapshot was stored");
  const snapshot = await options.store.saveSnapshot({
    takenAt,
    git,
    configHash: config.hash,
    summary: stored,
    sources: rows.sources,
    facts: factsOf(summary),
    tests: rows.tests,
    coverageFiles: rows.coverageFiles,
    findings: rows.findings,
    advisories: rows.advisories,
    events: summary.alerts.map((alert) => ({ type: "alert", data: { ...alert, previousSnapshotId: previous?.id ?? null } })),
  });
  summary.snapshot.id = snapshot.id;
  return { summary, snapshotId: snapshot.id };
}

/** How a collector's run ended, for its trace span. */
function collectorResult(run: CollectorRun): [TraceResult, string | null] {
  if (run.aborted) return ["cancellation", "stopped"];
  if (run.timedOut) return ["timeout", "timed out"];
  if (run.spawnError) return ["error", run.spawnError];
  return run.exitCode === 0 ? ["success", null] : ["failure", `exited with ${run.exitCode ?? run.signal ?? "?"}`];
}

/** Component directories: the config's globs, else the workspaces of package.json / pnpm-workspace.yaml. */
async function componentDirs(root: string, globs: string[] | undefined): Promise<string[]> {
  let patterns = globs;
  if (!patterns) {
    patterns = [];
    try {
      const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces?: string[] | { packages?: string[] } };
      patterns.push(...(Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces?.packages ?? [])));
    } catch {
      // No package.json, or not JSON: no npm/yarn workspaces.
    }
    try {
      const pnpm = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
      // Line by line, with [ \t]: a multi-line `\s*` under /m made 80 000 blank lines take seconds.
      for (const m of pnpm.matchAll(/^[ \t]*-[ \t]*["']?([^"'\n#]+?)["']?[ \t]*$/gm)) patterns.push(m[1] as string);
    } catch {
      // No pnpm workspace.
    }
  }
  const include = patterns.filter((p) => !p.startsWith("!"));
  if (include.length === 0) return [];
  const dirs = await glob(include, { cwd: root, onlyDirectories: true, ignore: ["**/node_modules/**", ...patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1))] });
  return dirs.map((d) => d.replace(/\/+$/, ""));
}

/** The offline markdown link check, as facts for the documentation category; null when switched off. */
async function checkDocs(root: string, docs: ShipgateConfig["docs"], onProgress: AssessOptions["onProgress"]): Promise<DocsOutcome | null> {
  if (!docs.check) return null;
  const started = Date.now();
  const { checkDocsLinks } = await import("../facts/docs-links.js");
  const result = await checkDocsLinks({
    root,
    ...(docs.paths ? { paths: docs.paths } : {}),
    ...(docs.ignore ? { ignore: docs.ignore } : {}),
    onProgress: (done, total) => onProgress?.({ type: "docs-progress", done, total }),
  });
  onProgress?.({ type: "docs-end", files: result.files, links: result.links, broken: result.broken.length, ms: Date.now() - started });
  return { files: result.files, links: result.links, broken: result.broken.map(({ file, line, target, reason }) => ({ file, line, target, reason })) };
}

/** What a failed run printed: the lines that look like its error, else its last lines. */
function outputOf(run: CollectorRun, errors: string | undefined): string {
  if (errors) return `; its error:\n${errors}`;
  const tail = (run.stderrTail.trim() || run.stdoutTail.trim()).split("\n").slice(-8).join("\n");
  return tail ? `; its last output:\n${tail}` : "";
}

function checkRun(collector: CollectorConfig, run: CollectorRun, errors: string | undefined): void {
  if (run.spawnError) {
    throw new CollectorError("COLLECT_FAILED", collector.name, `[collect] ${collector.name}: could not start \`${run.command}\`: ${run.spawnError}`, {
      hint: "check the command in shipgate.yaml and that the tool is installed",
    });
  }
  if (run.timedOut) {
    throw new CollectorError("COLLECT_FAILED", collector.name, `[collect] ${collector.name}: \`${run.command}\` did not finish within ${String(collector.timeout)} and was killed${outputOf(run, errors)}`, {
      hint: `raise collectors[].timeout for "${collector.name}" in shipgate.yaml if it is just slow, or look for a test that hangs; nothing was stored`,
    });
  }
  if (run.exitCode !== 0 && collector.fail_on_exit) {
    throw new CollectorError("COLLECT_FAILED", collector.name, `[collect] ${collector.name}: \`${run.command}\` exited with ${run.exitCode ?? run.signal}${outputOf(run, errors)}`, {
      hint: "fix the failure, or set fail_on_exit: false to accept a non-zero exit when fresh reports were written; nothing was stored",
    });
  }
}

/**
 * A collector that exited non-zero while its JUnit reports hold no failed or errored test: the runner saw
 * a failure its report does not show (jest-junit leaves out a test file that failed to load unless
 * reportTestSuiteErrors is on; a failing hook; an unmet coverage threshold; another step of the command).
 * Only reached with `fail_on_exit: false` (true stops in checkRun). One errored test is added to its last
 * JUnit report, so the tests signal does not look clean and `tests.errored == 0` fails.
 */
function flagExitWithoutFailingTest(run: CollectorRun, reports: ReadReport[], mode: "error" | "warn"): void {
  if (run.exitCode === 0) return;
  const junit = reports.filter((r) => r.collector === run.name && r.source.format === "junit");
  const last = junit[junit.length - 1];
  if (!last || junit.some((r) => r.result.tests.some((t) => t.status === "failed" || t.status === "errored"))) return;
  const exit = run.exitCode === null ? `was ended by ${run.signal ?? "a signal"}` : `exited with ${run.exitCode}`;
  const what = `\`${run.command}\` ${exit} but its report lists no failing test`;
  if (mode === "error") {
    last.result.tests.push({
      suite: [],
      classname: `collector ${run.name}`,
      name: "exited non-zero with no failing test in its report",
      status: "errored",
      durationMs: null,
      message: `${what}: a test file may have failed to load, a hook may have failed, or a coverage threshold was not met; see the command's output`,
    });
  }
  const counted = mode === "error" ? ", counted as one errored test (a test file that failed to load, a failing hook, an unmet coverage threshold?)" : " (exit_without_failing_test: warn, so no test is counted for it)";
  last.result.diagnostics.push({ level: "warning", code: "assess.exit-without-failing-test", message: `${run.name}: ${what}${counted}; run the command to see why`, file: last.source.path });
}

async function expand(pattern: string, root: string): Promise<string[]> {
  return isDynamicPattern(pattern) ? (await glob(pattern, { cwd: root, dot: true })).sort() : [pattern];
}

const patternOf = (spec: CollectorConfig["reports"][number]) => (typeof spec === "string" ? spec : spec.path);

/** Modification times of the collector's existing reports, taken before its command runs. */
async function reportTimes(collector: CollectorConfig, root: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const spec of collector.reports) {
    for (const path of await expand(patternOf(spec), root)) {
      const info = await stat(join(root, path)).catch(() => undefined);
      if (info) times.set(path, info.mtimeMs);
    }
  }
  return times;
}

/**
 * The collector's reports. After a run, each must have been written by it (created, or modified
 * since the run started): a stale report from an earlier run would make a failed run look fine.
 */
async function findReports(
  collector: CollectorConfig,
  root: string,
  run: CollectorRun | undefined,
  before: Map<string, number> | undefined,
  errors?: string,
): Promise<{ path: string; format?: ReportFormat }[]> {
  const out: { path: string; format?: ReportFormat }[] = [];
  for (const spec of collector.reports) {
    const pattern = patternOf(spec);
    const format = typeof spec === "string" ? undefined : (spec.format as ReportFormat | undefined);
    const paths = await expand(pattern, root);
    const what = run ? `\`${run.command}\` ${run.exitCode === 0 ? "succeeded" : `exited with ${run.exitCode ?? run.signal}`} but` : "";
    if (paths.length === 0) {
      throw new CollectorError("REPORT_NOT_FOUND", collector.name, `[collect] ${collector.name}: ${what ? `${what} ` : ""}no file matches ${pattern}${run && run.exitCode !== 0 ? outputOf(run, errors) : ""}`, {
        hint: run ? "check the reporter options of the command and the report path in shipgate.yaml; nothing was stored" : `run the tests first (or ${REMEDY.runCollectors}), or fix the report path in shipgate.yaml`,
      });
    }
    for (const path of paths) {
      const info = await stat(join(root, path)).catch(() => undefined);
      if (!info) {
        throw new CollectorError("REPORT_NOT_FOUND", collector.name, `[collect] ${collector.name}: ${what ? `${what} ` : ""}${path} does not exist${run ? outputOf(run, run.exitCode === 0 ? undefined : errors) : ""}`, {
          hint: run
            ? `\`${run.command}\` did not write it: check its reporter options and the path in shipgate.yaml`
            : `run the tests first (or ${REMEDY.runCollectors}), or fix the report path in shipgate.yaml`,
        });
      }
      if (run && before?.get(path) === info.mtimeMs) {
        throw new CollectorError("COLLECT_FAILED", collector.name, `[collect] ${collector.name}: ${what} ${path} was not rewritten by this run (it is older than the run)`, {
          hint: "the command failed before writing its reports, or writes them elsewhere; nothing was stored",
        });
      }
      out.push(format ? { path, format } : { path });
    }
  }
  return out;
}

/** The headline numbers as facts, each pointing at its evidence when one source holds it all. */
function factsOf(summary: AssessSummary): FactRecord[] {
  const single = (evidence: number[]) => (evidence.length === 1 ? (evidence[0] as number) : null);
  const t = summary.tests;
  const c = summary.coverage;
  const testSource = single(t.evidence);
  const coverageSource = single(c.evidence);
  const facts: FactRecord[] = [
    ...(t.status === "unknown"
      ? []
      : (["total", "passed", "failed", "errored", "skipped", "flaky"] as const).map((k) => ({ key: `tests.${k}`, value: t[k], component: null, sourceIndex: testSource }))),
    ...(["lines", "branches", "functions", "statements"] as const).map((m) => ({ key: `coverage.${m}.pct`, value: c[m], component: null, sourceIndex: coverageSource })),
    { key: "coverage.paths.resolved_share", value: c.paths.share, component: null, sourceIndex: coverageSource },
  ];
  facts.push(
    { key: "score", value: summary.score, component: null, sourceIndex: null },
    { key: "score.measured_weight", value: summary.measuredWeight, component: null, sourceIndex: null },
    { key: "lint.errors", value: summary.lint.errors, component: null, sourceIndex: single(summary.lint.evidence) },
    { key: "lint.warnings", value: summary.lint.warnings, component: null, sourceIndex: single(summary.lint.evidence) },
    { key: "type_errors", value: summary.typeErrors, component: null, sourceIndex: null },
    { key: "docs.broken_links", value: summary.docs.brokenLinks, component: null, sourceIndex: null },
  );
  for (const severity of ["critical", "high", "moderate", "low"] as const) {
    facts.push({ key: `security.${severity}`, value: summary.security[severity], component: null, sourceIndex: single(summary.security.evidence) });
  }
  for (const [id, category] of Object.entries(summary.categories)) facts.push({ key: `category.${id}`, value: category.score, component: null, sourceIndex: null });
  for (const [key, fact] of Object.entries(summary.facts)) facts.push({ key: `repo.${key}`, value: fact.present ? 1 : 0, component: null, sourceIndex: null });
  for (const component of summary.components) facts.push({ key: "score", value: component.score, component: component.name, sourceIndex: null });
  for (const p of c.packages) {
    for (const m of ["lines", "branches", "functions", "statements"] as const) {
      if (p[m] !== null) facts.push({ key: `coverage.${m}.pct`, value: p[m], component: p.name, sourceIndex: null });
    }
  }
  return facts;
}
