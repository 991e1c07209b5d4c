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
  propose: (deps: Record<string, string>, testScript: string) => { why: string; command: string; env?: Record<string, string>; reports: { path: string; format?: string }[]; note?: string };
}

/** Where the jest hook is written: ESLint and tsc always ignore node_modules, so the project's own lint never sees it. */
const JEST_HOOK_DIR = "node_modules/.cache/shipgate";
/** jest-junit's testCasePropertiesFile: `<property name="jest.status" value="todo"/>` on each it.todo (src/ingest/parsers/junit.ts). */
const JEST_TODO_HOOK = 'module.exports = (test) => (test.status === "todo" ? { "jest.status": "todo" } : {});';

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
      // jest-junit writes an it.todo like a pass: a hook it loads for each test (its testCasePropertiesFile)
      // marks the todos with a property the junit parser reads. It is written under node_modules/.cache, where
      // the project's linters and type checkers never look (in reports/, typed ESLint failed on it).
      command: `mkdir -p reports ${JEST_HOOK_DIR} && echo '${JEST_TODO_HOOK}' > ${JEST_HOOK_DIR}/jest-junit-todo.cjs && npx --no -- jest --ci --coverage --coverageReporters=lcovonly --coverageReporters=text-summary --coverageDirectory=reports/coverage --reporters=default --reporters=jest-junit`,
      env: {
        JEST_JUNIT_OUTPUT_DIR: "reports",
        JEST_JUNIT_TEST_CASE_PROPERTIES_DIR: JEST_HOOK_DIR,
        JEST_JUNIT_TEST_CASE_PROPERTIES_JSON_FILE: "jest-junit-todo.cjs",
        // A test file that fails to load is left out of the report by default: the report would look green.
        JEST_JUNIT_REPORT_TEST_SUITE_ERRORS: "true",
        // Test ids read "file › describes › title" (the defaults repeat the describe titles and name no file).
        JEST_JUNIT_ADD_FILE_ATTRIBUTE: "true",
        JEST_JUNIT_SUITE_NAME: "{filepath}",
        JEST_JUNIT_CLASSNAME: "{classname}",
        JEST_JUNIT_TITLE: "{title}",
        JEST_JUNIT_ANCESTOR_SEPARATOR: " › ",
      },
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
    propose: (deps, test) => {
      const junit = "--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml";
      // The project measures with c8 (`c8 node --test`): its config (include, exclude, thresholds) is what counts.
      if ("c8" in deps && /\bc8\b/.test(test)) {
        return {
          why: "`c8 … node --test` in the test scripts: node's junit reporter, c8's lcov",
          command: `mkdir -p reports && npx --no -- c8 --reporter=lcovonly --reporter=text-summary --report-dir=reports/coverage node --test ${junit}`,
          reports: [{ path: "reports/junit.xml" }, { path: "reports/coverage/lcov.info" }],
        };
      }
      return {
        why: "`node --test` in the test scripts: the built-in junit and lcov reporters",
        // node creates no folder for a reporter destination.
        command: `mkdir -p reports && node --test --experimental-test-coverage ${junit} --test-reporter=lcov --test-reporter-destination=reports/lcov.info`,
        reports: [{ path: "reports/junit.xml" }, { path: "reports/lcov.info" }],
        note: "Node 20's coverage counts the test files too",
      };
    },
  },
];

/**
 * The `test` script with the scripts it runs spelled out (`npm run test:unit`, `yarn lint`, `pnpm run x`),
 * a few levels deep: `"test": "npm run lint && npm run test:unit"` hid `"test:unit": "node --test"`.
 */
export function testScript(scripts: Record<string, string>, name = "test", depth = 0): string {
  const body = scripts[name] ?? "";
  if (depth >= 3) return body;
  const called = [...body.matchAll(/\b(?:npm run(?:-script)?|pnpm(?: run)?|yarn(?: run)?)\s+([\w:.-]+)/g)].map((m) => m[1] as string);
  return [body, ...called.filter((c) => c !== name && c in scripts).map((c) => testScript(scripts, c, depth + 1))].join(" && ");
}

function nodeCollector(pkg: PackageJson, dir: string, rootDeps: Record<string, string>): ProposedCollector | undefined {
  const deps = depsOf(pkg);
  const test = testScript(pkg.scripts ?? {});
  const runner = NODE_RUNNERS.find((r) => r.matches(deps, test));
  if (!runner) return undefined;
  // A workspace package finds what the root installs (coverage tools and reporters are often hoisted there).
  const p = runner.propose({ ...rootDeps, ...deps }, test);
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

export const PYTHON_MARKERS = ["pyproject.toml", "pytest.ini", "setup.cfg", "tox.ini", "setup.py"];
const SKIPPED_DIRS = ["**/node_modules/**", "**/.git/**", "**/.venv/**", "**/venv/**", "**/vendor/**", "**/target/**", "**/dist/**", "**/build/**"];

/**
 * Folders (the root, and up to two levels below it) holding a marker file, sorted, the root first.
 * A polyglot repository keeps its Python service or Go module in a folder of its own.
 */
export async function dirsWith(root: string, markers: string[]): Promise<string[]> {
  const patterns = markers.flatMap((m) => [m, `*/${m}`, `*/*/${m}`]);
  const files = await glob(patterns, { cwd: root, ignore: SKIPPED_DIRS, dot: false });
  const dirs = [...new Set(files.map((f) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : ".")))];
  return dirs.sort((a, b) => (a === "." ? -1 : b === "." ? 1 : a.localeCompare(b)));
}

/**
 * How the Python project in `dir` configures coverage.py: whether it does at all (.coveragerc, or its section in
 * pyproject.toml, setup.cfg, tox.ini), and whether its `[run]` section sets `parallel` (data files per process,
 * which `coverage json` does not read until `coverage combine` merged them).
 */
async function coverageSettings(dir: string): Promise<{ configured: boolean; parallel: boolean }> {
  const read = (name: string) => readFile(join(dir, name), "utf8").catch(() => undefined);
  const sources = [
    { text: await read(".coveragerc"), section: "run", whole: true },
    { text: await read("pyproject.toml"), section: "tool.coverage.run", whole: false },
    { text: await read("setup.cfg"), section: "coverage:run", whole: false },
    { text: await read("tox.ini"), section: "coverage:run", whole: false },
  ];
  let configured = false;
  let parallel = false;
  for (const { text, section, whole } of sources) {
    if (text === undefined) continue;
    const values = sectionValues(text, section);
    if (whole || values) configured = true;
    if (values && /^(true|1|yes|on)$/i.test(values.get("parallel") ?? "")) parallel = true;
  }
  return { configured, parallel };
}

/** The `key = value` lines of one `[section]` of an INI or TOML file (values unquoted, comments dropped); undefined without that section. */
export function sectionValues(text: string, section: string): Map<string, string> | undefined {
  let values: Map<string, string> | undefined;
  let inside = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inside = line.slice(1, line.indexOf("]") < 0 ? undefined : line.indexOf("]")).trim() === section;
      if (inside) values ??= new Map();
      continue;
    }
    const eq = line.indexOf("=");
    if (!inside || !values || eq <= 0 || line.startsWith("#") || line.startsWith(";")) continue;
    const value = line.slice(eq + 1).split("#")[0]?.trim().replace(/^["']|["']$/g, "") ?? "";
    values.set(line.slice(0, eq).trim(), value);
  }
  return values;
}

/** The collector's name: the tool's alone at the root, prefixed by the folder elsewhere. */
export const nameIn = (dir: string, tool: string) => (dir === "." ? tool : `${slug(dir.replace(/\//g, "-"))}-${tool}`);

/** Repository-relative report paths, `cwd` and output folder of a collector that runs in `dir`. */
export function placeIn(dir: string, reports: { path: string; format?: string }[]): Pick<ProposedCollector, "reports" | "outputDirs" | "cwd"> {
  return {
    ...(dir === "." ? {} : { cwd: dir }),
    reports: reports.map((r) => ({ ...r, path: inDir(dir, r.path) })),
    outputDirs: [inDir(dir, "reports")],
  };
}

/** Looks at the repository's manifests and proposes test collectors. Never runs anything. */
export async function detectStack(root: string): Promise<ProposedCollector[]> {
  const out: ProposedCollector[] = [];
  const packages = await packageDirs(root);
  const rootDeps = packages[0] ? depsOf(packages[0].pkg) : {};
  for (const { dir, pkg } of packages) {
    const collector = nodeCollector(pkg, dir, rootDeps);
    if (collector) out.push(collector);
  }
  for (const dir of await dirsWith(root, PYTHON_MARKERS)) {
    // The project's own `source` wins; without one, coverage.py would also measure installed packages
    // it does not recognise as third-party (coverage 6.5 measured Debian's dist-packages).
    const settings = await coverageSettings(join(root, dir));
    const source = settings.configured ? "" : " --source=.";
    // With `parallel = true` each process writes its own data file: they are combined before the JSON report.
    const combine = settings.parallel ? "python3 -m coverage combine; " : "";
    out.push({
      name: nameIn(dir, "pytest"),
      kind: "tests",
      why: `a Python project${dir === "." ? "" : ` in ${dir}`}: pytest's JUnit XML, coverage.py's JSON report (written when a test fails too)`,
      command: `mkdir -p reports; python3 -m coverage run${source} -m pytest --junitxml=reports/junit.xml; status=$?; ${combine}python3 -m coverage json -o reports/coverage.json; exit $status`,
      env: { COVERAGE_FILE: "reports/.coverage" },
      timeout: "15m",
      ...placeIn(dir, [{ path: "reports/junit.xml" }, { path: "reports/coverage.json" }]),
      note: "needs pytest and coverage installed for python3",
    });
  }
  for (const dir of await dirsWith(root, ["go.mod"])) {
    out.push({
      name: nameIn(dir, "go-test"),
      kind: "tests",
      why: `${inDir(dir, "go.mod")}: gotestsum writes JUnit XML for \`go test\``,
      command: "gotestsum --junitfile reports/junit.xml -- ./...",
      timeout: "15m",
      ...placeIn(dir, [{ path: "reports/junit.xml" }]),
      note: "needs gotestsum; Go cover profiles are not read yet",
    });
  }
  // A pom.xml below another is a module of that build, which runs it.
  const poms = await dirsWith(root, ["pom.xml"]);
  for (const dir of poms.filter((d) => !poms.some((p) => p !== d && (p === "." || d.startsWith(`${p}/`))))) {
    out.push({
      name: nameIn(dir, "maven-surefire"),
      kind: "tests",
      why: `${inDir(dir, "pom.xml")}: Surefire writes one JUnit XML per test class, in every module`,
      // Without failure.ignore the first module with a failing test stops the build, and later modules write no report.
      command: "mvn -B test -Dmaven.test.failure.ignore=true",
      timeout: "30m",
      ...(dir === "." ? {} : { cwd: dir }),
      reports: [{ path: inDir(dir, "**/target/surefire-reports/TEST-*.xml"), format: "junit" }],
      outputDirs: [],
      note: "JaCoCo's XML is not read yet: for coverage add a plugin that writes Cobertura XML",
    });
  }
  return out;
}
