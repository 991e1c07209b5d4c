import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";
import type { PackageJson, ProposedCollector } from "./types.js";

export type { ProposedCollector } from "./types.js";

export async function readPackageJson(path: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The first of `names` that is an entry of `root`. */
export async function firstExisting(root: string, names: string[]): Promise<string | undefined> {
  const entries = new Set(await readdir(root).catch(() => [] as string[]));
  return names.find((n) => entries.has(n));
}

export const inDir = (dir: string, path: string) => (dir === "." ? path : `${dir}/${path}`);
const slug = (text: string) => text.replace(/^@/, "").replace(/[^\w.-]+/g, "-");
const depsOf = (pkg: PackageJson) => ({ ...pkg.dependencies, ...pkg.devDependencies });

/** How one Node test runner is recognised, and the command that writes JUnit XML (and lcov when a coverage tool is installed). */
interface NodeRunner {
  id: string;
  matches: (deps: Record<string, string>, testScript: string) => boolean;
  propose: (deps: Record<string, string>) => { why: string; command: string; env?: Record<string, string>; reports: { path: string; format?: string }[]; note?: string };
}

// Every command writes its reports even when a test fails (that is when they matter most), creates the
// folders it writes into, and runs the project's own installed tools: `npx --no` never downloads one.
const NODE_RUNNERS: NodeRunner[] = [
  {
    id: "vitest",
    matches: (deps, test) => "vitest" in deps || /\bvitest\b/.test(test),
    propose: (deps) => {
      const provider = "@vitest/coverage-v8" in deps ? "v8" : "@vitest/coverage-istanbul" in deps ? "istanbul" : undefined;
      const base = "npx --no -- vitest run --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml";
      if (!provider) {
        return {
          why: "vitest in package.json: its JUnit reporter",
          command: base,
          reports: [{ path: "reports/junit.xml" }],
          note: "no coverage: install @vitest/coverage-v8 and run `shipgate init --force` to add it",
        };
      }
      return {
        why: `vitest in package.json: its JUnit reporter, ${provider} coverage as lcov (written when a test fails too)`,
        command: `${base} --coverage.enabled --coverage.provider=${provider} --coverage.reportOnFailure --coverage.reporter=lcovonly --coverage.reporter=text-summary --coverage.reportsDirectory=reports/coverage`,
        reports: [{ path: "reports/junit.xml" }, { path: "reports/coverage/lcov.info" }],
      };
    },
  },
  {
    id: "jest",
    matches: (deps, test) => "jest" in deps || /\bjest\b/.test(test),
    propose: (deps) => ({
      why: "jest in package.json: jest-junit for tests, lcov coverage",
      command: "npx --no -- jest --ci --coverage --coverageReporters=lcovonly --coverageReporters=text-summary --coverageDirectory=reports/coverage --reporters=default --reporters=jest-junit",
      env: { JEST_JUNIT_OUTPUT_DIR: "reports" },
      reports: [{ path: "reports/junit.xml" }, { path: "reports/coverage/lcov.info" }],
      ...("jest-junit" in deps ? {} : { note: "needs jest-junit: npm install -D jest-junit" }),
    }),
  },
  {
    id: "mocha",
    matches: (deps, test) => "mocha" in deps || /\bmocha\b/.test(test),
    propose: (deps) => {
      // Mocha's built-in xunit reporter: mocha-junit-reporter 2.2 cannot run under mocha 12.
      const mocha = "npx --no -- mocha --reporter xunit --reporter-option output=reports/junit.xml";
      const coverage = "c8" in deps ? "c8" : "nyc" in deps ? "nyc" : undefined;
      if (!coverage) {
        return {
          why: "mocha in package.json: its built-in xunit reporter (JUnit XML)",
          command: mocha,
          reports: [{ path: "reports/junit.xml" }],
          note: "no coverage: install c8 and run `shipgate init --force` to add it",
        };
      }
      return {
        why: `mocha in package.json: its built-in xunit reporter (JUnit XML), ${coverage} for coverage`,
        command: `npx --no -- ${coverage} --reporter=lcovonly --reporter=text-summary --report-dir=reports/coverage ${mocha}`,
        reports: [{ path: "reports/junit.xml" }, { path: "reports/coverage/lcov.info" }],
      };
    },
  },
  {
    id: "node-test",
    matches: (_deps, test) => /node (--[\w-]+ )*--test\b/.test(test),
    propose: () => ({
      why: "`node --test` in the test script: the built-in junit and lcov reporters",
      // node creates no folder for a reporter destination.
      command: "mkdir -p reports && node --test --experimental-test-coverage --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml --test-reporter=lcov --test-reporter-destination=reports/lcov.info",
      reports: [{ path: "reports/junit.xml" }, { path: "reports/lcov.info" }],
      note: "Node 20's coverage counts the test files too",
    }),
  },
];

function nodeCollector(pkg: PackageJson, dir: string): ProposedCollector | undefined {
  const deps = depsOf(pkg);
  const runner = NODE_RUNNERS.find((r) => r.matches(deps, pkg.scripts?.test ?? ""));
  if (!runner) return undefined;
  const p = runner.propose(deps);
  return {
    name: dir === "." ? runner.id : `${slug(pkg.name ?? dir)}-${runner.id}`,
    kind: "tests",
    why: p.why,
    command: p.command,
    ...(dir === "." ? {} : { cwd: dir }),
    ...(p.env ? { env: p.env } : {}),
    timeout: "10m",
    reports: p.reports.map((r) => ({ ...r, path: inDir(dir, r.path) })),
    outputDirs: [inDir(dir, "reports")],
    ...(p.note ? { note: p.note } : {}),
  };
}

/** The package directories of an npm/yarn workspace (`.` first), with their manifests. */
export async function packageDirs(root: string): Promise<{ dir: string; pkg: PackageJson }[]> {
  const pkg = await readPackageJson(join(root, "package.json"));
  if (!pkg) return [];
  const out = [{ dir: ".", pkg }];
  const patterns = Array.isArray(pkg.workspaces) ? pkg.workspaces : (pkg.workspaces?.packages ?? []);
  if (patterns.length === 0) return out;
  const manifests = await glob(patterns.map((p) => `${p.replace(/\/$/, "")}/package.json`), { cwd: root, ignore: ["**/node_modules/**"] });
  for (const manifest of manifests.sort()) {
    const sub = await readPackageJson(join(root, manifest));
    if (sub) out.push({ dir: manifest.slice(0, -"/package.json".length), pkg: sub });
  }
  return out;
}

/** Looks at the repository's manifests and proposes test collectors. Never runs anything. */
export async function detectStack(root: string): Promise<ProposedCollector[]> {
  const out: ProposedCollector[] = [];
  for (const { dir, pkg } of await packageDirs(root)) {
    const collector = nodeCollector(pkg, dir);
    if (collector) out.push(collector);
  }
  if (await firstExisting(root, ["pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini", "setup.py"])) {
    out.push({
      name: "pytest",
      kind: "tests",
      why: "a Python project: pytest's JUnit XML, coverage.py's JSON report (written when a test fails too)",
      command: "mkdir -p reports; python3 -m coverage run --source=. -m pytest --junitxml=reports/junit.xml; status=$?; python3 -m coverage json -o reports/coverage.json; exit $status",
      env: { COVERAGE_FILE: "reports/.coverage" },
      timeout: "15m",
      reports: [{ path: "reports/junit.xml" }, { path: "reports/coverage.json" }],
      outputDirs: ["reports"],
      note: "needs pytest and coverage installed for python3",
    });
  }
  if (await firstExisting(root, ["go.mod"])) {
    out.push({
      name: "go-test",
      kind: "tests",
      why: "go.mod: gotestsum writes JUnit XML for `go test`",
      command: "gotestsum --junitfile reports/junit.xml -- ./...",
      timeout: "15m",
      reports: [{ path: "reports/junit.xml" }],
      outputDirs: ["reports"],
      note: "needs gotestsum; Go cover profiles are not read yet",
    });
  }
  if (await firstExisting(root, ["pom.xml"])) {
    out.push({
      name: "maven-surefire",
      kind: "tests",
      why: "pom.xml: Surefire writes one JUnit XML per test class, in every module",
      // Without failure.ignore the first module with a failing test stops the build, and later modules write no report.
      command: "mvn -B test -Dmaven.test.failure.ignore=true",
      timeout: "30m",
      reports: [{ path: "**/target/surefire-reports/TEST-*.xml", format: "junit" }],
      outputDirs: [],
      note: "JaCoCo's XML is not read yet: for coverage add a plugin that writes Cobertura XML",
    });
  }
  return out;
}
