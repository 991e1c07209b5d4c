import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";

/** A collector the init command proposes, with the reasoning shown as a comment. */
export interface ProposedCollector {
  name: string;
  why: string;
  command: string;
  cwd?: string;
  timeout: string;
  reports: { path: string; format?: string }[];
  note?: string;
}

interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
}

async function readJson(path: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

async function exists(root: string, names: string[]): Promise<string | undefined> {
  const entries = new Set(await readdir(root).catch(() => [] as string[]));
  return names.find((n) => entries.has(n));
}

const prefixed = (dir: string, path: string) => (dir === "." ? path : `${dir}/${path}`);
const slug = (text: string) => text.replace(/^@/, "").replace(/[^\w.-]+/g, "-");

/** Node test runners, most specific first: how to recognise each, and the collector to propose. */
const NODE_RUNNERS: {
  id: string;
  matches: (deps: Record<string, string>, testScript: string) => boolean;
  why: string;
  command: string;
  reports: string[];
  note?: string;
}[] = [
  {
    id: "vitest",
    matches: (deps, test) => "vitest" in deps || /\bvitest\b/.test(test),
    why: "vitest in package.json: JUnit reporter for tests, v8 coverage as lcov",
    command: "npx vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml --coverage.enabled --coverage.reporter=lcov --coverage.reporter=json-summary --coverage.reportsDirectory=reports/coverage",
    reports: ["reports/junit.xml", "reports/coverage/lcov.info"],
    note: "needs @vitest/coverage-v8 installed",
  },
  {
    id: "jest",
    matches: (deps, test) => "jest" in deps || /\bjest\b/.test(test),
    why: "jest in package.json: jest-junit for tests, lcov coverage",
    command: "JEST_JUNIT_OUTPUT_DIR=reports npx jest --ci --coverage --coverageReporters=lcov --coverageDirectory=reports/coverage --reporters=default --reporters=jest-junit",
    reports: ["reports/junit.xml", "reports/coverage/lcov.info"],
    note: "needs jest-junit installed",
  },
  {
    id: "mocha",
    matches: (deps, test) => "mocha" in deps || /\bmocha\b/.test(test),
    why: "mocha in package.json: mocha-junit-reporter for tests, c8 for coverage",
    command: "npx c8 --reporter=lcov --report-dir=reports/coverage npx mocha --reporter mocha-junit-reporter --reporter-options mochaFile=reports/junit.xml",
    reports: ["reports/junit.xml", "reports/coverage/lcov.info"],
    note: "needs c8 and mocha-junit-reporter installed",
  },
  {
    id: "node-test",
    matches: (_deps, test) => /node (--[\w-]+ )*--test\b/.test(test),
    why: "`node --test` in the test script: the built-in junit and lcov reporters",
    command: "node --test --experimental-test-coverage --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml --test-reporter=lcov --test-reporter-destination=reports/lcov.info",
    reports: ["reports/junit.xml", "reports/lcov.info"],
  },
];

function nodeCollector(pkg: PackageJson, dir: string): ProposedCollector | undefined {
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const runner = NODE_RUNNERS.find((r) => r.matches(deps, pkg.scripts?.test ?? ""));
  if (!runner) return undefined;
  return {
    name: dir === "." ? runner.id : `${slug(pkg.name ?? dir)}-${runner.id}`,
    why: runner.why,
    command: runner.command,
    ...(dir === "." ? {} : { cwd: dir }),
    timeout: "10m",
    reports: runner.reports.map((path) => ({ path: prefixed(dir, path) })),
    ...(runner.note ? { note: runner.note } : {}),
  };
}

/** Looks at the repository's manifests and proposes collectors. Never runs anything. */
export async function detectStack(root: string): Promise<ProposedCollector[]> {
  const out: ProposedCollector[] = [];
  const pkg = await readJson(join(root, "package.json"));
  if (pkg) {
    const rootCollector = nodeCollector(pkg, ".");
    if (rootCollector) out.push(rootCollector);
    const patterns = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces?.packages ?? []);
    if (patterns.length > 0) {
      const manifests = await glob(patterns.map((p) => `${p.replace(/\/$/, "")}/package.json`), { cwd: root, ignore: ["**/node_modules/**"] });
      for (const manifest of manifests.sort()) {
        const dir = manifest.slice(0, -"/package.json".length);
        const sub = await readJson(join(root, manifest));
        const collector = sub && nodeCollector(sub, dir);
        if (collector) out.push(collector);
      }
    }
  }
  if (await exists(root, ["pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini", "setup.py"])) {
    out.push({
      name: "pytest",
      why: "a Python project: pytest's JUnit XML, coverage.py's JSON report",
      command: "python -m coverage run -m pytest --junitxml=reports/junit.xml; status=$?; python -m coverage json -o reports/coverage.json; exit $status",
      timeout: "15m",
      reports: [{ path: "reports/junit.xml" }, { path: "reports/coverage.json" }],
      note: "needs pytest and coverage installed",
    });
  }
  if (await exists(root, ["go.mod"])) {
    out.push({
      name: "go-test",
      why: "go.mod: gotestsum writes JUnit XML for `go test`",
      command: "gotestsum --junitfile reports/junit.xml -- ./...",
      timeout: "15m",
      reports: [{ path: "reports/junit.xml" }],
      note: "needs gotestsum; Go cover profiles are not read yet",
    });
  }
  if (await exists(root, ["pom.xml"])) {
    out.push({
      name: "maven-surefire",
      why: "pom.xml: Surefire writes one JUnit XML per test class",
      command: "mvn -B test",
      timeout: "30m",
      reports: [{ path: "target/surefire-reports/TEST-*.xml", format: "junit" }],
      note: "add a Cobertura-writing coverage plugin to get coverage",
    });
  }
  return out;
}

/** The commented shipgate.yaml for these collectors. */
export function renderConfig(collectors: ProposedCollector[], schemaRef: string): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    "# shipgate configuration. Docs: docs/config.md. Every command here is run by `shipgate assess`;",
    "# `shipgate assess --no-run` only reads the reports. Paths are relative to this file's directory.",
    "version: 1",
    "",
  ];
  if (collectors.length === 0) {
    lines.push(
      "# No test framework was detected. Add a collector: a command, its timeout and the reports it writes.",
      "collectors: []",
      "#  - name: tests",
      "#    command: npm test -- --reporter=junit",
      "#    timeout: 10m",
      "#    reports:",
      "#      - reports/junit.xml",
    );
  } else {
    lines.push("collectors:");
    for (const c of collectors) {
      lines.push(`  # ${c.why}${c.note ? ` (${c.note})` : ""}`);
      lines.push(`  - name: ${c.name}`, `    command: ${q(c.command)}`);
      if (c.cwd) lines.push(`    cwd: ${c.cwd}`);
      lines.push(`    timeout: ${c.timeout}`, "    reports:");
      for (const r of c.reports) lines.push(r.format ? `      - { path: ${q(r.path)}, format: ${r.format} }` : `      - ${r.path}`);
      lines.push("");
    }
  }
  lines.push(
    "",
    "paths:",
    "  # Below this share of report paths matching repository files, coverage is reported as degraded.",
    "  resolve_threshold: 0.8",
    "",
  );
  return lines.join("\n");
}
