import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { RunView } from "../../src/report/runs.js";
import { bin, fixture, shipgate, type CliResult } from "../cli/run-cli.js";

export const fakeAgent = fixture("run/fake-agent.mjs");

export interface FakeStep {
  write?: Record<string, string>;
  append?: Record<string, string>;
  remove?: string[];
  commit?: string;
  exit?: number;
  sleepMs?: number;
  hang?: boolean;
  die?: boolean;
  print?: string;
  mark?: string;
}

export interface TaskSpec {
  id: string;
  owner: string;
  files?: string[];
  reads?: string[];
  dependsOn?: string[];
  acceptance?: string;
  run?: string;
  timeout?: string;
  retries?: number;
  phase?: string;
}

export interface ProjectSpec {
  agents: { id: string; kind: "cli" | "script" | "human"; maxParallel?: number; command?: string }[];
  tasks: TaskSpec[];
  recipes?: Record<string, FakeStep[]>;
  execution?: string;
  /** Files committed before the run. */
  files?: Record<string, string>;
  git?: boolean;
}

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
export { git };

/** A project in a temporary git repository (branch main) with a plan whose cli agents are the fake agent. */
export function makeProject(spec: ProjectSpec): { dir: string; recipes: string; marks: string } {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-run-"));
  const outside = mkdtempSync(join(tmpdir(), "shipgate-run-data-"));
  const recipes = join(outside, "recipes.json");
  const marks = join(outside, "marks.txt");
  writeFileSync(recipes, JSON.stringify(spec.recipes ?? {}));
  for (const [path, text] of Object.entries({ "README.md": "# project\n", ...spec.files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const q = (s: string) => JSON.stringify(s);
  const agents = spec.agents.map((a) => {
    const lines = [`  - id: ${a.id}`, `    kind: ${a.kind}`];
    if (a.kind === "cli") lines.push(`    command: ${q(a.command ?? `node ${fakeAgent} {task} --brief {prompt_file}`)}`);
    if (a.maxParallel) lines.push(`    max_parallel: ${a.maxParallel}`);
    if (a.kind !== "human") lines.push(`    env: { FAKE_AGENT_RECIPES: ${q(recipes)} }`);
    return lines.join("\n");
  });
  const phases = [...new Set(spec.tasks.map((t) => t.phase ?? "p"))];
  const tasks = spec.tasks.map((t) => {
    const lines = [`  - id: ${t.id}`, `    title: task ${t.id}`, `    phase: ${t.phase ?? "p"}`, `    owner: ${t.owner}`, "    estimate: 1"];
    if (t.files) lines.push(`    files: ${JSON.stringify(t.files)}`);
    if (t.reads) lines.push(`    reads: ${JSON.stringify(t.reads)}`);
    if (t.dependsOn) lines.push(`    depends_on: ${JSON.stringify(t.dependsOn)}`);
    if (t.acceptance) lines.push(`    acceptance: ${q(t.acceptance)}`);
    if (t.run) lines.push(`    run: ${q(t.run)}`);
    if (t.timeout) lines.push(`    timeout: ${t.timeout}`);
    if (t.retries !== undefined) lines.push(`    retries: ${t.retries}`);
    return lines.join("\n");
  });
  writeFileSync(
    join(dir, "shipgate.plan.yaml"),
    ["version: 1", "agents:", ...agents, "phases:", ...phases.map((p) => `  - { id: ${p}, name: ${p} }`), "tasks:", ...tasks, spec.execution ?? ""].join("\n") + "\n",
  );
  if (spec.git !== false) {
    git(dir, "init", "-q", "-b", "main");
    writeFileSync(join(dir, ".gitignore"), ".shipgate/\n");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "start");
  }
  return { dir, recipes, marks };
}

/** Starts the built bin without waiting; `stderrShows` polls for text. */
export function start(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<CliResult & { signal: string | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  const shows = async (text: string, stream: "stdout" | "stderr" = "stderr") => {
    while (!(stream === "stdout" ? stdout : stderr).includes(text)) await new Promise((wake) => setTimeout(wake, 20));
  };
  return { child, done, shows };
}

/** JSON events of `shipgate run --json` output. */
export const events = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** `shipgate task runs --json` of a project (its documented shape), on the default store or the one `db` names. */
export const runsOf = (dir: string, db: string[] = []): RunView[] => JSON.parse(shipgate(["task", "runs", "--json", "--cwd", dir, ...db]).stdout) as RunView[];
