import { statSync } from "node:fs";
import { constants } from "node:os";
import { resolve } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { InterruptedError, isShipgateError, ShipgateError } from "../errors.js";
import { cliHint } from "./hints.js";
import { errorText, guardOutput, type CliIo, type CommonOptions } from "./output.js";
import { now } from "./clock.js";
import { parseDay } from "./parse-args.js";
import { readVersion } from "./version.js";

const version = readVersion();

/** Builds the program. Each action resolves to an exit code; nothing here exits. */
export function createProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command("shipgate")
    .description("Take a project to production with numbers instead of opinions.")
    .version(version, "-v, --version")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  const common = (cmd: Command) =>
    cmd
      .option("--cwd <dir>", "repository root to work in", ".")
      .option("--db <url>", "store: a SQLite file (default .shipgate/shipgate.db under --cwd) or postgres://user@host:port/db (default $SHIPGATE_DB)")
      .option("--config <file>", "config file (default shipgate.yaml under --cwd)")
      .option("--json", "machine-readable output (documented in docs/json-output.md)");

  // Checked once for every command, before anything is read or created: a missing --cwd must not get a store.
  const opts = <T extends CommonOptions>(cmd: Command): T => {
    const o = cmd.opts<T & { date?: string }>();
    const cwd = resolve(o.cwd);
    const kind = statSync(cwd, { throwIfNoEntry: false });
    if (!kind?.isDirectory()) {
      throw new ShipgateError("USAGE", `[cli] --cwd ${o.cwd}: ${kind ? "is a file, not a directory" : "no such directory"}`, { hint: "pass the repository's folder (shipgate does not create it)" });
    }
    if (o.date !== undefined) parseDay(o.date, "--date");
    // A malformed SHIPGATE_NOW is refused before anything runs, not after the collectors.
    now(io.env);
    // SHIPGATE_DB names the store for every command that is not given --db (a team's shared PostgreSQL).
    const db = o.db ?? (io.env.SHIPGATE_DB || undefined);
    return { ...o, cwd, ...(db === undefined ? {} : { db }) };
  };
  const act = (work: () => Promise<number>) => async () => setExit(await work());

  common(program.command("init"))
    .description("detect the stack and write a commented shipgate.yaml (and .gitignore lines)")
    .option("--force", "overwrite an existing shipgate.yaml")
    .option("--stdout", "print the proposed config; write nothing")
    .addHelpText(
      "after",
      "\nWhat it detects (it runs nothing):\n" +
        "  tests     vitest, jest (+ jest-junit), mocha (+ c8 or nyc), node --test, pytest (+ coverage.py), go (gotestsum), maven (Surefire)\n" +
        "  lint      an ESLint config (eslint --format json --output-file), ruff config (ruff check --no-fix --output-format json)\n" +
        "  types     tsconfig.json with typescript installed (tsc --noEmit), mypy config\n" +
        "  security  package-lock.json (npm audit --json), pnpm-lock.yaml (pnpm audit --json), requirements.txt or\n" +
        "            pyproject.toml (pip-audit), Cargo.lock (cargo audit), go.mod (govulncheck); yarn audit is written\n" +
        "            commented out (shipgate cannot read its output yet)\n" +
        "  A tool that is not installed (eslint not in package.json; ruff, mypy, pip-audit, cargo-audit, govulncheck\n" +
        "  not on PATH) is written commented out, with how to install it.\n" +
        "\nWhat it writes: shipgate.yaml (never over an existing one without --force), with the $schema line when\n" +
        "shipgate is installed in the project; and .gitignore lines for .shipgate/ and the reports folders (once).\n" +
        "No command it writes changes source files (no --fix, no formatter). --json prints the detection, the\n" +
        "config and what was written.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/init.js")).initCommand(opts(this), io))();
    });

  common(program.command("assess"))
    .description("run the collectors (or read reports), store a snapshot and print its summary")
    .option("-r, --report <file>", "read this report (repeatable); without --config, shipgate.yaml's collectors are skipped", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addOption(new Option("--format <format>", "force the format of the --report files instead of detecting it"))
    .option("--no-run", "do not run collector commands; read the reports they left")
    .option("--only <collector>", "run (or read) only this collector of shipgate.yaml (repeatable)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--skip <collector>", "leave this collector out this time, e.g. an audit that needs the network (repeatable); what it measures is unknown", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--markdown", "print a markdown report (pull-request comment, GITHUB_STEP_SUMMARY)")
    .option("--gate <name>", "then evaluate this gate on the new snapshot (exit 1 on NO-GO); see `shipgate gate --help`")
    .option("--baseline <spec>", "with --gate: compare against previous, a baseline name, branch:NAME, ref:GIT_REF or snapshot:ID")
    .option("--junit <file>", "with --gate: write the gate as JUnit XML (one test case per condition)")
    .option("--sarif <file>", "with --gate: write the findings that fail the gate as SARIF 2.1.0")
    .addHelpText("after", "\nExamples:\n  shipgate assess                          run shipgate.yaml's collectors\n  shipgate assess --no-run                 read the reports they left last time\n  shipgate assess --skip npm-audit         all collectors but one\n  shipgate assess -r junit.xml -r lcov.info  no config needed\n  shipgate assess --gate release --sarif gate.sarif   assess, then GO / NO-GO\n\nExit codes: 0 ok (GO with --gate), 1 NO-GO (with --gate), 2 usage, config, report or collector error (nothing is stored then), 130 / 143 interrupted by Ctrl-C / SIGTERM (the collectors' processes are ended, nothing is stored).\n\nTraces: with OTEL_EXPORTER_OTLP_ENDPOINT set, the assessment is sent as an OpenTelemetry trace (docs/monitoring.md#traces).")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/assess.js")).assessCommand(opts(this), io))();
    });

  common(program.command("history"))
    .description("list stored snapshots, newest first")
    .option("--limit <n>", "how many (default 20)")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/history.js")).historyCommand(opts(this), io))();
    });

  common(program.command("show"))
    .description("print a stored snapshot as assess printed it (default: the newest); runs no collector and stores nothing")
    .argument("[snapshot]", "id or latest~N (default latest), snapshot:ID, a baseline name, branch:NAME, ref:GIT_REF or previous")
    .option("--markdown", "print the markdown report instead")
    .addHelpText("after", "\nExit codes: 0 shown, 2 no such snapshot or usage error.")
    .action(function (this: Command, snapshot: string | undefined) {
      return act(async () => (await import("./commands/show.js")).showCommand(snapshot, opts(this), io))();
    });

  common(program.command("diff"))
    .description("what changed between two snapshots (default: the last two): tests newly failing or passing, appeared, disappeared; coverage per file")
    .argument("[a]", "older snapshot: id or latest~N (default latest~1)")
    .argument("[b]", "newer snapshot: id or latest~N (default latest)")
    .action(function (this: Command, a: string | undefined, b: string | undefined) {
      return act(async () => (await import("./commands/diff.js")).diffCommand(a, b, opts(this), io))();
    });

  common(program.command("gate"))
    .description("GO / NO-GO: evaluate a quality gate on the newest snapshot, against a baseline")
    .option("-g, --gate <name>", "the gate (built in: release, new-code; or one from shipgate.yaml)", "release")
    .option("--snapshot <ref>", "judge this snapshot instead: id or latest~N")
    .option("--baseline <spec>", "compare against: previous (default), a baseline name, branch:NAME, ref:GIT_REF or snapshot:ID")
    .option("--markdown", "print markdown (pull-request comment)")
    .option("--junit <file>", "also write JUnit XML: one test case per condition, so CI shows the gate")
    .option("--sarif <file>", "also write SARIF 2.1.0 with the findings, tests and lines that fail the gate")
    .option("--date <YYYY-MM-DD>", "check waiver expiry as of this day (default today, UTC)")
    .option("--list", "list the gates and their conditions")
    .addHelpText(
      "after",
      "\nExamples:\n  shipgate gate                            the release gate on the newest snapshot\n  shipgate gate -g new-code --baseline ref:origin/main --sarif gate.sarif\n  shipgate gate --list\n\nInside GitHub Actions (GITHUB_ACTIONS=true) failures are also printed as annotations and the\nreport is appended to GITHUB_STEP_SUMMARY. Conditions, scopes and waivers: docs/gates.md.\n\nWithout --snapshot it judges the newest snapshot, and warns when the checkout has changed since it was\ntaken (another commit, or other uncommitted changes to tracked files): run `shipgate assess` first, or use\n`shipgate assess --gate NAME`, which measures and judges in one step.\n\nExit codes: 0 GO, 1 NO-GO, 2 usage or config error, unknown gate or baseline.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/gate.js")).gateCommand(opts(this), io))();
    });

  const baseline = program.command("baseline").description("named snapshots that gates compare against");
  common(baseline.command("set"))
    .description("name a snapshot (default the newest) as a baseline; setting an existing name moves it")
    .argument("<name>", "baseline name, e.g. main or release-1.0")
    .argument("[snapshot]", "snapshot id or latest~N (default latest)")
    .action(function (this: Command, name: string, snapshot: string | undefined) {
      return act(async () => (await import("./commands/baseline.js")).baselineSetCommand(name, snapshot, opts(this), io))();
    });
  common(baseline.command("list"))
    .description("list the baselines")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/baseline.js")).baselineListCommand(opts(this), io))();
    });

  const planOpts = (cmd: Command) =>
    common(cmd)
      .option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd; YAML or JSON)")
      .option("--date <YYYY-MM-DD>", "today, for documents and a plan without a start date");
  const plan = program
    .command("plan")
    .description("the hardening plan as data: validate, critical path, schedule, cost, conflicts, Gantt, handoffs, status (docs/plan.md)");
  planOpts(plan.command("check"))
    .description("validate the plan (every problem with file:line), then critical path, P80/P95, schedule, cost and file conflicts")
    .addHelpText("after", "\nExit codes: 0 valid and no write conflict (read-after-write risks are reported), 1 parallel tasks of different agents write the same files, 2 invalid plan or usage error.")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/plan.js")).planCheckCommand(opts(this), io))();
    });
  planOpts(plan.command("show"))
    .description("every task with PERT estimate, slack, scheduled dates, cost and stored state")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/plan.js")).planShowCommand(opts(this), io))();
    });
  planOpts(plan.command("gantt"))
    .description("the schedule as a Gantt chart in hours: Mermaid (stdout or --out) and SVG (--svg FILE) with weekends, today (--date) and task states when a store exists")
    .option("--svg <file>", "write an SVG chart")
    .option("--out <file>", "write the Mermaid text to a file")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/plan.js")).planGanttCommand(opts(this), io))();
    });
  planOpts(plan.command("conflicts"))
    .description("file ownership: tasks that can run at the same time and touch the same files (matrix per phase); with --git, what each agent actually changed")
    .option("--git <base>", "also check the commits since BASE against each agent's declared files")
    .addHelpText("after", "\nExit codes: 0 no conflict or violation, 1 conflicts or violations, 2 invalid plan or usage error.")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/plan.js")).planConflictsCommand(opts(this), io))();
    });
  planOpts(plan.command("handoff"))
    .description("the markdown brief for one agent: tasks, files owned and off-limits, what to wait for, checklist")
    .argument("<agent>", "agent id from the plan")
    .option("--out <file>", "write it to a file")
    .action(function (this: Command, agent: string) {
      return act(async () => (await import("./commands/plan.js")).planHandoffCommand(agent, opts(this), io))();
    });
  planOpts(plan.command("status"))
    .description("the coordination status document: progress per phase, tracks, conflicts, deliverables, risks, timeline")
    .option("--out <file>", "write it to a file")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/plan.js")).planStatusCommand(opts(this), io))();
    });

  const taskOpts = (cmd: Command) =>
    common(cmd)
      .option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd)")
      .option("--agent <id>", "the agent acting (default $SHIPGATE_AGENT)");
  const task = program.command("task").description("task states in the store: next, start (an atomic claim), done (runs acceptance), fail, block");
  taskOpts(task.command("list"))
    .description("tasks and their states")
    .option("--state <state>", "only pending | in_progress | done | failed | blocked")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/task.js")).taskListCommand(opts(this), io))();
    });
  taskOpts(task.command("next"))
    .description("the agent's next ready task: the first in the plan order (docs/plan.md) whose dependencies are done (does not claim it)")
    .option("--any", "any agent's task, not only the agent's own")
    .addHelpText("after", "\nExit codes: 0 a task is ready, 1 none is ready, 2 usage or plan error.")
    .action(function (this: Command) {
      return act(async () => (await import("./commands/task.js")).taskNextCommand(opts(this), io))();
    });
  taskOpts(task.command("start"))
    .description("claim a task (the next ready one without ID): atomic, so two agents never get the same task; runs ready_when first")
    .argument("[id]", "task id (default: the next ready task of --agent)")
    .option("--any", "without ID: any agent's task")
    .option("--force", "start even if ready_when fails")
    .addHelpText("after", "\nready_when runs for at most 10 minutes, or its plan timeout ({ command, timeout }: docs/plan.md).\nExit codes: 0 started, 1 no ready task, 2 usage, plan or state error, 130 / 143 interrupted (nothing claimed).")
    .action(function (this: Command, id: string | undefined) {
      return act(async () => (await import("./commands/task.js")).taskStartCommand(id, opts(this), io))();
    });
  taskOpts(task.command("done"))
    .description("record a task done; its acceptance command must pass")
    .argument("<id>", "task id")
    .option("--force", "record it without acceptance passing (needs --reason)")
    .addHelpText("after", "\nacceptance runs for at most 10 minutes, or its plan timeout ({ command, timeout }: docs/plan.md).\nExit codes: 0 done, 2 acceptance failed or timed out, usage or state error, 130 / 143 interrupted (the task stays in progress).")
    .option("--reason <text>", "why")
    .action(function (this: Command, id: string) {
      return act(async () => (await import("./commands/task.js")).taskDoneCommand(id, opts(this), io))();
    });
  for (const [verb, state, what] of [["fail", "failed", "record a failed attempt (it can be started again)"], ["block", "blocked", "mark a task blocked"], ["reset", "pending", "put a blocked or failed task back to pending"]] as const) {
    taskOpts(task.command(verb))
      .description(what)
      .argument("<id>", "task id")
      .option("--reason <text>", verb === "reset" ? "why" : "why (required)")
      .option("--any", "move it even though another agent holds it (needs --reason)")
      .action(function (this: Command, id: string) {
        return act(async () => (await import("./commands/task.js")).taskMoveCommand(id, state, opts(this), io))();
      });
  }

  // Risks: the plan lists them; their status updates are events in the store.
  const riskOpts = (cmd: Command) => common(cmd).option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd)");
  const risk = program.command("risk").description("the plan's risks and their status updates (stored as events; docs/plan.md)");
  riskOpts(risk.command("set"))
    .description("record a risk's new status, and why: a risk.updated event that `risk list` and the tracker read")
    .argument("<id>", "a risk id of the plan's risks:")
    .requiredOption("--status <status>", "open | mitigated | accepted | closed")
    .option("--note <text>", "why: what changed, what was decided")
    .option("--agent <id>", "who sets it (default $SHIPGATE_AGENT; recorded as by)")
    .addHelpText(
      "after",
      "\nThe plan file is not changed: the update is stored with its time (SHIPGATE_NOW, else the clock) and wins over the\n" +
        "plan's own status from then on. Setting the same status again records the new note.\n\n" +
        "Example:\n  shipgate risk set R1 --status mitigated --note \"fallback region live\" --agent alice\n\n" +
        "Exit codes: 0 recorded, 2 unknown risk (the message lists the plan's), bad --status, plan or usage error.",
    )
    .action(function (this: Command, id: string) {
      return act(async () => (await import("./commands/risk.js")).riskSetCommand(id, opts(this), io))();
    });
  riskOpts(risk.command("list"))
    .description("the plan's risks with their status (the last update, else the plan's), impact, probability, exposure, owner, last note")
    .option("--as-of <YYYY-MM-DD>", "the status at the end of that day (default: now)")
    .addHelpText(
      "after",
      "\nHighest exposure (impact × probability, 1–12) first. Never creates a store. --json: docs/json-output.md.\n" +
        "Exit codes: 0 listed (also when the plan lists none), 2 plan or usage error.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/risk.js")).riskListCommand(opts(this), io))();
    });

  program
    .command("mcp")
    .description("serve the task queue to an AI coding agent over MCP (stdio): next, claim, heartbeat, complete, fail, release, status, handoff (docs/mcp.md)")
    .option("--cwd <dir>", "repository root: the plan, the default store and where acceptance commands run", ".")
    .option("--db <url>", "store: a SQLite file (default .shipgate/shipgate.db under --cwd) or postgres://user@host:port/db (default $SHIPGATE_DB)")
    .option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd)")
    .option("--agent <id>", "the agent every call acts as (default $SHIPGATE_AGENT); without it each call names its agent")
    .addHelpText(
      "after",
      "\nAn MCP client starts it and talks to it on stdin/stdout; stdout carries only the protocol, logs go to stderr.\n" +
        "A claim is a lease: heartbeat while working; complete_task runs the task's acceptance here and records it done\n" +
        "only when it passes. Leases of agents that stopped expire and their tasks are offered again.\n" +
        "\nAdd it to Claude Code (in the repository):\n  claude mcp add shipgate -- npx shipgate mcp --agent claude\n" +
        "Add it to Codex (~/.codex/config.toml):\n  [mcp_servers.shipgate]\n  command = \"npx\"\n  args = [\"shipgate\", \"mcp\", \"--agent\", \"codex\"]\n" +
        "\nExit codes: 0 the client closed the connection, 2 no plan, store unavailable or usage error (before serving).",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/mcp.js")).mcpCommand(opts(this), io))();
    });

  // Runs: every attempt at a task, and its log.
  common(task.command("runs"))
    .description("the runs (attempts) of every task, or of one: agent, attempt, outcome, exit code, duration, tokens and cost, log")
    .argument("[id]", "only this task's runs")
    .option("--agent <id>", "only this agent's runs")
    .option("--open", "only runs that still hold their task (running)")
    .option("--limit <n>", "the newest N runs (default 50)")
    .addHelpText("after", "\nOldest first: the newest run is the last line. A running run shows when its lease expires (or expired: its\nworker stopped heartbeating). --json: docs/json-output.md.\nExit codes: 0 listed (also when there is none), 2 unknown task or usage error.")
    .action(function (this: Command, id: string | undefined) {
      return act(async () => (await import("./commands/task-runs.js")).taskRunsCommand(id, opts(this), io))();
    });
  // No --json: the log is printed as it is.
  task
    .command("log")
    .option("--cwd <dir>", "the project that ran the task (its .shipgate/runs/ holds the logs)", ".")
    .option("--db <url>", "store: a SQLite file (default .shipgate/shipgate.db under --cwd) or postgres://user@host:port/db (default $SHIPGATE_DB)")
    .description("print a run's log (its runner's output), streamed; escape sequences removed on a terminal")
    .argument("<run>", "run id, from `shipgate task runs`")
    .option("--tail <n>", "only the last N lines (read from the end of the file)")
    .addHelpText("after", "\nLogs are kept under .shipgate/runs/ of the project that ran them (--cwd): with a shared PostgreSQL store,\non the machine whose worker ran the task.\nExit codes: 0 printed, 2 unknown run, no log here, or usage error.")
    .action(function (this: Command, run: string) {
      return act(async () => (await import("./commands/task-runs.js")).taskLogCommand(run, opts(this), io))();
    });

  const runOpts = (cmd: Command) =>
    common(cmd)
      .option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd)")
      .option("--max-parallel <n>", "at most this many runs at once (default: the plan's execution.max_parallel, else each agent's max_parallel)")
      .option("--workspace <mode>", "worktree (default inside git: each attempt in its own git worktree) or in-place")
      .option("--integration <branch>", "the branch finished tasks merge into (default: the branch checked out)");
  runOpts(program.command("run"))
    .description("run the plan: claim ready tasks and run each with its agent (cli: the agent's command; script: the task's run), until nothing is ready or running")
    .option("--agent <id...>", "only these agents' tasks (repeat or list)")
    .option("--dry-run", "print the waves of tasks it would start; claim and run nothing")
    .option("--max-tasks <n>", "claim at most this many tasks (their retries included), finish them, then exit")
    .addHelpText(
      "after",
      "\nEach attempt is a run with a lease (renewed by heartbeats) in its own git worktree on branch shipgate/<task>,\n" +
        "started from the integration branch. A task is done only when its agent exits 0, the change touches only\n" +
        "the task's files (execution.ownership: enforce), its acceptance passes, the plan's execution.gate says GO and\n" +
        "the branch merges cleanly. Failed attempts are retried (tasks[].retries, default 2) after a backoff; then the\n" +
        "task is blocked with the reason. Two tasks whose files overlap (or whose reads overlap the other's files)\n" +
        "never run at once. A person's tasks are never run: they wait for `shipgate task done`.\n" +
        "Output: a live table of running attempts on a terminal, plain lines in CI, one JSON event per line with --json\n(docs/json-output.md). " +
        "Logs: .shipgate/runs/<run>.log (`shipgate task runs`, `shipgate task log RUN`). Traces: with OTEL_EXPORTER_OTLP_ENDPOINT\nset, the run and each attempt are sent as OpenTelemetry spans (docs/monitoring.md#traces).\n\n" +
        "Examples:\n  shipgate run --dry-run\n  shipgate run --agent claude --agent codex --max-parallel 4\n  shipgate run --max-tasks 2               two tasks today, the rest another day\n\n" +
        "Exit codes: 0 every task is done (with --max-tasks: every task it claimed), 1 some task failed for good, is\nblocked, pending or waits on a person, 2 usage or plan error, 130 / 143 interrupted (running attempts are\ncancelled, their tasks back to pending).",
    )
    .action(function (this: Command) {
      const o = this.opts<{ agent?: string[] }>();
      return act(async () => (await import("./commands/run.js")).runCommand({ ...opts(this), agents: o.agent, agent: undefined }, io))();
    });
  runOpts(program.command("worker"))
    .description("one agent's runner loop as a long-running process: agents on many machines share one PostgreSQL queue (--db)")
    .option("--agent <id>", "the agent it runs (default $SHIPGATE_AGENT)")
    .option("--until-idle", "exit when no task of the agent is ready or running")
    .addHelpText(
      "after",
      "\nThe same claims, leases, worktrees and checks as `shipgate run`, for one agent. A worker that dies (kill -9, the\n" +
        "machine gone) stops heartbeating: its leases expire and its tasks are offered again within lease + heartbeat\n" +
        "(execution.lease, default 60s); the lost attempt is recorded as lost.\n\n" +
        "Example:\n  shipgate worker --agent codex --db postgres://ci@db.internal/shipgate\n\n" +
        "Exit codes: 0 every task is done (with --until-idle), 1 some task is not, 2 usage or plan error, 130 / 143 stopped.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/run.js")).workerCommand(opts(this), io))();
    });

  // The tracker: computed from the store's history, for any day (docs/track.md).
  const trackOpts = (cmd: Command) =>
    common(cmd)
      .option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd when it exists; else the stored plan)")
      .option("--as-of <YYYY-MM-DD>", "replay the tracker of a past day from history (default today, UTC; SHIPGATE_NOW sets today)")
      .option("--branch <name>", "the branch whose snapshots count (default: the newest snapshot's, task branches shipgate/* excluded)")
      .option("--trials <n>", "Monte Carlo trials of the forecast (default 10000)")
      .option("--seed <n>", "seed of the forecast's trials (default 1: the same history gives the same dates)");
  const trackHelp =
    "\nEvery figure is computed from the store: snapshots (the last of each day on the tracked branch), plan imports\n" +
    "(scope), task moves and runs, alerts and gate verdicts. A day without a snapshot is \"not measured\", never 0.\n" +
    "How each figure is computed: docs/track.md. --json: docs/json-output.md.";
  const track = program
    .command("track")
    .description("the program's tracker from measured history: today vs target, burn-down, forecast, milestones, blockers, alerts (docs/track.md)");
  // `shipgate track` alone is `track show`: the parent takes no option, so every flag reaches the subcommand.
  trackOpts(track.command("show", { isDefault: true }))
    .description("the tracker on the terminal (the default): today vs target, burn-down, forecast (P50/P85/P95), milestones, blockers, alerts")
    .option("--markdown", "print the tracker document as markdown (as `track report` without --out)")
    .option("--fail-on-alert", "exit 1 when an alert was raised on the as-of day or holds now (for CI)")
    .addHelpText("after", `${trackHelp}\nToday's computed alerts (forecast past a milestone, a task past the P95 cycle time, a stale lease, WIP over a\nlimit) are stored as track.alert events, once per day each; a replayed day (--as-of) stores nothing.\n\nExit codes: 0 shown, 1 with --fail-on-alert and an alert, 2 usage, plan or store error.`)
    .action(function (this: Command) {
      return act(async () => (await import("./commands/track.js")).trackCommand(opts(this), io))();
    });
  trackOpts(track.command("report"))
    .description("the tracker document (markdown): summary, progress vs targets, burn-down/up, risks, blockers, score, coverage, trends, milestones, alerts")
    .option("--markdown", "markdown (the default; kept for symmetry with other commands)")
    .option("--out <dir>", "write tracker.md and its SVG charts (burndown, burnup, score, coverage) into this folder")
    .option("--fail-on-alert", "exit 1 when an alert was raised on the as-of day or holds now")
    .addHelpText("after", `${trackHelp}\n\nExit codes: 0 written, 1 with --fail-on-alert and an alert, 2 usage, plan, store or write error.`)
    .action(function (this: Command) {
      return act(async () => (await import("./commands/track.js")).trackReportCommand(opts(this), io))();
    });
  trackOpts(track.command("standup"))
    .description("the standup: done since the last standup (with runs), in progress (who, since when, lease age), next, blockers, metrics, action items")
    .option("--agent <id>", "only this agent's tasks (those it owns or moved last)")
    .option("--since <YYYY-MM-DD>", "the period's first day (default: the working day before the as-of day)")
    .option("--markdown", "print the standup document as markdown")
    .addHelpText("after", `${trackHelp}\nDeterministic: from the store alone, no language model.\n\nExit codes: 0 shown, 2 usage, plan or store error.`)
    .action(function (this: Command) {
      return act(async () => (await import("./commands/track.js")).trackStandupCommand(opts(this), io))();
    });
  trackOpts(track.command("review"))
    .description("the sprint review: goals vs targets, accomplishments, challenges (failed runs, blockers, misses), metrics, next steps")
    .option("--since <YYYY-MM-DD>", "the period's first day (default: the 7 days ending on the as-of day, not before the program's start)")
    .option("--markdown", "print the review document as markdown")
    .addHelpText("after", `${trackHelp}\nDeterministic: from the store alone, no language model.\n\nExit codes: 0 shown, 2 usage, plan or store error.`)
    .action(function (this: Command) {
      return act(async () => (await import("./commands/track.js")).trackReviewCommand(opts(this), io))();
    });
  trackOpts(track.command("backtest"))
    .description("is the forecast worth trusting? replays each past working day, forecasts, and prints how often P85 held")
    .addHelpText("after", `${trackHelp}\nA program under way has no finish yet: each cut point forecasts when the work done by the as-of day is reached.\nA calibrated forecast holds in about 85 % of cut points.\n\nExit codes: 0 shown, 2 usage, plan or store error.`)
    .action(function (this: Command) {
      return act(async () => (await import("./commands/track.js")).trackBacktestCommand(opts(this), io))();
    });

  const db = program.command("db").description("store administration: status, migrate, copy between SQLite and PostgreSQL (docs/store.md)");
  const dbOpts = (cmd: Command) =>
    cmd
      .option("--cwd <dir>", "folder a relative SQLite path is under", ".")
      .option("--db <url>", "store: a SQLite file (default .shipgate/shipgate.db under --cwd) or postgres://user@host:port/db (default $SHIPGATE_DB)")
      .option("--json", "machine-readable output (documented in docs/json-output.md)");
  dbOpts(db.command("status"))
    .description("driver, location, schema version against this shipgate's, rows per table (and the SQLite file's size); changes nothing")
    .addHelpText(
      "after",
      "\nExamples:\n  shipgate db status                                   the default store, .shipgate/shipgate.db\n  shipgate db status --db postgres://ci@db.internal/shipgate --json\n\nThe schema line says \"up to date\", \"N migrations pending: run shipgate db migrate\" or \"newer than this\nshipgate: upgrade shipgate\". A table an older schema lacks counts 0.\n\nExit codes: 0 reported, 2 no store there, store unavailable or usage error.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/db.js")).dbStatusCommand(opts(this), io))();
    });
  dbOpts(db.command("migrate"))
    .description("bring the store's schema up to this shipgate's (creates the tables of a new store); idempotent")
    .addHelpText(
      "after",
      "\nEvery other command migrates a SQLite store when it opens it; run this for a shared PostgreSQL store\nbefore its first use or after upgrading shipgate, and before `shipgate db copy` from an older store. Each\nmigration runs in its own transaction; concurrent runs apply each migration once. A store written by a\nnewer shipgate is refused (SCHEMA_TOO_NEW) and nothing is changed.\n\nExamples:\n  shipgate db migrate                                  the default store\n  shipgate db migrate --db postgres://ci@db.internal/shipgate\n\nExit codes: 0 migrated or already up to date, 2 schema newer than this shipgate, store unavailable or usage error.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/db.js")).dbMigrateCommand(opts(this), io))();
    });
  db.command("copy")
    .description("copy every row of one store into an empty other one (SQLite ⇄ PostgreSQL), ids kept, then verify counts and checksums")
    .requiredOption("--from <file-or-url>", "the source: a SQLite file or postgres://… (read only; must be at this shipgate's schema)")
    .requiredOption("--to <file-or-url>", "the target: a new SQLite file or an empty PostgreSQL database (migrated, must hold no row)")
    .option("--cwd <dir>", "folder relative SQLite paths are under", ".")
    .option("--json", "machine-readable output (documented in docs/json-output.md)")
    .addHelpText(
      "after",
      "\nTables are copied in dependency order, page by page, with every id kept; then the target is read back and\neach table's row count and sha256 (over its rows in copy order) must equal the source's. Progress goes to\nstderr. A copy refused before it starts (same store, target not empty, source schema behind) writes nothing;\na copy that fails after it started leaves part of the rows in the target: delete that file, or drop and\ncreate the database again, then copy again. Stop the writers (CI jobs, agents) while copying.\n\nExamples:\n  shipgate db copy --from .shipgate/shipgate.db --to postgres://ci@db.internal/shipgate\n  shipgate db copy --from postgres://ci@db.internal/shipgate --to backup.db --json\n\nExit codes: 0 copied and verified, 2 refused, failed or not verified (see the message), 130 / 143 interrupted\n(the target holds part of the copy).",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/db.js")).dbCopyCommand(opts(this), io))();
    });

  common(program.command("serve"))
    .description("the HTTP API (snapshots, gates, plan, tasks, runs and logs, tracker, live events) until Ctrl-C (docs/serve.md)")
    .option("--port <n>", "port to listen on (0: any free port)", "7077")
    .option("--host <host>", "address to bind; anything but loopback needs --token-file", "127.0.0.1")
    .option("--token-file <file>", "read the bearer token for changes from this file (first line, 16+ characters)")
    .option("--plan <file>", "the plan (default shipgate.plan.yaml under --cwd; else the plan in the store)")
    .option("--cors-origin <origin>", "let a browser page from this origin call the API (repeatable; default: no CORS)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--allow-host <name>", "on loopback, also answer requests whose Host header names this (repeatable; e.g. a reverse proxy's name)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addHelpText(
      "after",
      "\nOn loopback (the default) only requests whose Host header names localhost, 127.0.0.1 or ::1 (or --allow-host) are\n" +
        "answered, so a web page on another site cannot read the API through DNS rebinding.\n" +
        "Reads are open to whoever reaches the port; changes (task start/done/fail/block/reset, cancel a run, set a\n" +
        "baseline, a risk's status) need Authorization: Bearer TOKEN. Without --token-file a new random token is written\n" +
        "to .shipgate/token (mode 0600) and printed once on stderr. GET /api/events/stream streams every store event\n" +
        "(from any process writing the same store) as server-sent events; GET /metrics is for Prometheus.\n\n" +
        "Examples:\n  shipgate serve                                   http://127.0.0.1:7077/\n" +
        "  shipgate serve --host 0.0.0.0 --token-file /run/secrets/shipgate --db postgres://ci@db.internal/shipgate\n\n" +
        "Exit codes: 0 stopped by Ctrl-C / SIGTERM (server and store closed), 2 usage error (a host other than loopback\nwithout --token-file, a port in use), store unavailable.",
    )
    .action(function (this: Command) {
      return act(async () => (await import("./commands/serve.js")).serveCommand(opts(this), io))();
    });

  const docs = program.command("docs").description("documentation checks");
  docs
    .command("check")
    .description("check markdown links offline: files, images, anchors (GitHub slugs), reference links; external links listed, fetched only with --online")
    .argument("[paths...]", "files or folders to check (default: every markdown file of the repository under --cwd: git's files, never git-ignored ones)")
    .option("--cwd <dir>", "repository root: links starting with / resolve against it; links that leave it are listed, not checked", ".")
    .option("--config <file>", "config whose docs.ignore patterns apply (default shipgate.yaml under --cwd, if any)")
    .option("--online", "also fetch external http(s) links (bounded concurrency, 10 s timeout each)")
    .option("--json", "machine-readable output")
    .addHelpText("after", "\nExit codes: 0 no broken link, 1 broken links found, 2 usage error.")
    .action(function (this: Command, paths: string[]) {
      return act(async () => (await import("./commands/docs.js")).docsCheckCommand(paths, opts(this), io))();
    });

  return program;
}

/** Runs the CLI and resolves to the exit code. */
export async function runCli(argv: string[], processIo: CliIo): Promise<number> {
  const io = guardOutput(processIo);
  let code = 0;
  const program = createProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InterruptedError) {
      // 128 + the signal's number, as a shell reports a process the signal ended: 130 SIGINT, 143 SIGTERM.
      io.stderr(`${error.message}\n`);
      return 128 + ((error.signal ? constants.signals[error.signal as NodeJS.Signals] : undefined) ?? constants.signals.SIGINT);
    }
    if (isShipgateError(error)) {
      io.stderr(errorText(error.message, cliHint(error.hint)));
      return 2;
    }
    io.stderr(`internal ${errorText((error as Error).message)}`);
    if (io.env.SHIPGATE_DEBUG) io.stderr(`${(error as Error).stack ?? ""}\n`);
    else io.stderr("  → this is a bug in shipgate; rerun with SHIPGATE_DEBUG=1 for the stack trace and report it\n");
    return 2;
  }
}
