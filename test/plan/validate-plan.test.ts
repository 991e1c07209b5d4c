import { describe, expect, it } from "vitest";
import { CORE_SCHEMA, load } from "js-yaml";
import { planLineIndex } from "../../src/plan/plan-lines.js";
import { formatPath, validatePlan } from "../../src/plan/validate-plan.js";

/** Validates YAML text as loadPlan does; problems as "line: message". */
function check(text: string) {
  const { plan, problems } = validatePlan(load(text, { schema: CORE_SCHEMA }), planLineIndex(text, "yaml"));
  return { plan, messages: problems.map((p) => `${p.line ?? "-"}: ${p.message}`) };
}
const messagesOf = (text: string) => check(text).messages;

const VALID = `version: 1
project: demo
start: 2026-03-02
agents:
  - id: claude
    kind: cli
    command: claude -p "{prompt}"
    rate: { per_hour: 12 }
    branch: agent/claude/*
  - id: alice
    kind: human
    rate: { per_day: 480 }
    capacity: 6
    emails: [alice@example.com]
phases:
  - id: build
    name: Build
  - id: ship
    name: Ship
    start: 2026-03-16
    depends_on: [build]
tasks:
  - id: T1
    title: one
    phase: build
    owner: claude
    estimate: 2
  - id: T2
    title: two
    phase: build
    owner: alice
    priority: P0
    estimate: { optimistic: 1, likely: 2, pessimistic: 6 }
    depends_on: [T1, T1]
    files: [src/a.ts]
    acceptance: npm test
  - id: T3
    title: three
    phase: ship
    owner: claude
    estimate: 1
    depends_on: [T2]
risks:
  - id: R1
    description: it may rain
    impact: high
    probability: low
    owner: alice
milestones:
  - id: M1
    date: 2026-04-01
    criteria: [release]
`;

describe("validatePlan", () => {
  it("turns a valid plan into the model, with defaults", () => {
    const { plan, messages } = check(VALID);
    expect(messages).toEqual([]);
    expect(plan?.commitConvention).toBe("[{task}] {summary}");
    expect(plan?.agents[1]).toEqual({ id: "alice", kind: "human", command: null, ratePerHour: 80, capacity: 6, emails: ["alice@example.com"], branch: null, maxParallel: 1, env: {} });
    expect(plan?.agents[0]?.capacity).toBe(8);
    expect(plan?.phases[1]).toEqual({ id: "ship", name: "Ship", start: "2026-03-16", dependsOn: ["build"] });
    expect(plan?.tasks[0]).toEqual({
      id: "T1", title: "one", phase: "build", priority: "P2", owner: "claude", estimate: { optimistic: 2, likely: 2, pessimistic: 2 },
      dependsOn: [], files: [], reads: [], deliverables: [], acceptance: null, acceptanceTimeout: null, readyWhen: null, readyWhenTimeout: null, tags: [], run: null, timeout: null, retries: 2,
    });
    expect(plan?.tasks[1]).toMatchObject({ priority: "P0", dependsOn: ["T1"], acceptance: "npm test", estimate: { optimistic: 1, likely: 2, pessimistic: 6 } });
    expect(plan?.risks[0]?.status).toBe("open");
    expect(plan?.milestones).toEqual([{ id: "M1", date: "2026-04-01", criteria: ["release"] }]);
  });

  it("reports every problem at once, each on its line", () => {
    const text = `version: 1
agents:
  - id: claude
    kind: cli
  - id: claude
    kind: robot
phases:
  - id: build
    name: Build
    start: 2026-02-30
tasks:
  - id: T1
    title: one
    phase: build
    owner: claude
    estimate: 2
    depends_on: [T3]
  - id: T2
    title: two
    phase: build
    owner: bob
    estimate: { optimistic: 5, likely: 3, pessimistic: 8 }
    depends_on: [T1, T99]
  - id: T3
    title: three
    phase: biuld
    owner: claude
    estimate: 1
    depends_on: [T2]
  - id: T2
    title: again
    phase: build
    owner: claude
    estimate: 1
    dependson: [T1]
`;
    const { plan, messages } = check(text);
    expect(plan).toBeNull();
    expect(messages).toMatchInlineSnapshot(`
      [
        "5: agents[1].id: duplicate agent id "claude" (first used by agents[0] at line 3)",
        "6: agents[1].kind: must be one of cli script human (got "robot")",
        "10: phases[0].start: must be a real calendar date like 2026-03-02 (got "2026-02-30")",
        "12: tasks[0]: dependency cycle T1 → T3 → T2 → T1",
        "21: tasks[1].owner: unknown agent "bob"",
        "22: tasks[1].estimate: must be optimistic ≤ likely ≤ pessimistic (got 5, 3, 8)",
        "23: tasks[1].depends_on[1]: unknown task "T99"",
        "26: tasks[2].phase: unknown phase "biuld"",
        "30: tasks[3].id: duplicate task id "T2" (first used by tasks[1] at line 18)",
        "35: tasks[3]: unknown key "dependson"",
      ]
    `);
  });

  it.each([
    ["a wrong enum lists the options", "    estimate: 2\n", "    estimate: 2\n    priority: P5\n", '28: tasks[0].priority: must be one of P0 P1 P2 P3 (got "P5")'],
    ["an empty title", "title: one", "title:", "24: tasks[0].title: must be text (got nothing)"],
    ["a missing title", "    title: one\n", "", "23: tasks[0].title: is required"],
    ["a negative estimate", "estimate: 2\n", "estimate: -1\n", "27: tasks[0].estimate: must be at least 0 (got -1)"],
    ["a bad three-point estimate names the point", "estimate: 2\n", "estimate: { optimistic: 1, likely: x, pessimistic: 3 }\n", '27: tasks[0].estimate.likely: must be a number (got "x")'],
    ["a string estimate", "estimate: 2\n", "estimate: 3h\n", '27: tasks[0].estimate: must be hours, as a number or { optimistic, likely, pessimistic } (got "3h")'],
    ["a list where text belongs", "    estimate: 2\n", "    estimate: 2\n    acceptance: [npm, test]\n", "28: tasks[0].acceptance: must be a command (text) or { command, timeout }"],
    ["a timeout that is not a duration", "    estimate: 2\n", "    estimate: 2\n    acceptance: { command: npm test, timeout: soon }\n", '28: tasks[0].acceptance.timeout: a duration like 90, "90s", "10m" or "1h" (got "soon")'],
    ["a timeout without its command", "    estimate: 2\n", "    estimate: 2\n    ready_when:\n      timeout: 30s\n", "28: tasks[0].ready_when.command: is required"],
    ["an agent kind lists the options", "kind: cli", "kind: bot", '6: agents[0].kind: must be one of cli script human (got "bot")'],
    ["a template with an unknown placeholder", 'command: claude -p "{prompt}"', 'command: claude -p "{promt}"', "7: agents[0].command: unknown placeholder {promt}; a template may use {prompt} {prompt_file} {task} {agent} {worktree}"],
    ["a run command on a cli agent's task", "    estimate: 2\n", "    estimate: 2\n    run: make fix\n", '28: tasks[0].run: only a script agent\'s tasks have a run command (owner "claude" is a cli agent)'],
    ["negative retries", "    estimate: 2\n", "    estimate: 2\n    retries: -1\n", "28: tasks[0].retries: must be at least 0 (got -1)"],
    ["a heartbeat as long as the lease", "risks:", "execution: { lease: 30s, heartbeat: 30 }\nrisks:", "43: execution.heartbeat: must be shorter than the lease (30s), or the lease runs out between heartbeats"],
    ["an unknown workspace", "risks:", "execution:\n  workspace: docker\nrisks:", '44: execution.workspace: must be one of worktree in-place (got "docker")'],
    ["targets ending before they start", "risks:", "targets: { start: 2026-12-11, end: 2026-11-23 }\nrisks:", "43: targets.end: must not be before start 2026-12-11 (got 2026-11-23)"],
    ["a target window without an end", "risks:", "targets:\n  start: 2026-11-23\nrisks:", "43: targets.end: is required"],
    ["a target start that is no real day", "risks:", "targets:\n  start: 2026-11-31\n  end: 2026-12-11\nrisks:", '44: targets.start: must be a real calendar date like 2026-03-02 (got "2026-11-31")'],
    ["a target point outside the program window", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      points:\n        2026-11-23: 45\n        2026-12-14: 85\nrisks:", "50: targets.metrics[0].points.2026-12-14: is outside the program window 2026-11-23…2026-12-11"],
    ["a target point on a day that does not exist", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      points:\n        2026-11-31: 45\nrisks:", "49: targets.metrics[0].points.2026-11-31: must be a real calendar date like 2026-03-02"],
    ["a target point keyed by something else than a date", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      points:\n        soon: 45\nrisks:", "49: targets.metrics[0].points.soon: must be a date like 2026-03-02"],
    ["a target value that is not a number", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      points:\n        2026-11-30: high\nrisks:", '49: targets.metrics[0].points.2026-11-30: must be a number (got "high")'],
    ["an infinite target value", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      points:\n        2026-11-30: .inf\nrisks:", "49: targets.metrics[0].points.2026-11-30: must be a number (got Infinity)"],
    ["a target without points", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - { metric: score, points: {} }\nrisks:", "47: targets.metrics[0].points: must have at least one date: value"],
    ["a target whose points are a list", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      points: [45, 85]\nrisks:", "48: targets.metrics[0].points: must be a mapping (got a list)"],
    ["an unknown way for a target to be better", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      better: more\n      points: { 2026-11-30: 50 }\nrisks:", '48: targets.metrics[0].better: must be one of higher lower (got "more")'],
    ["an unknown key in a target", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - metric: score\n      goal: 80\n      points: { 2026-11-30: 50 }\nrisks:", '48: targets.metrics[0]: unknown key "goal"'],
    ["the same metric and component targeted twice", "risks:", "targets:\n  start: 2026-11-23\n  end: 2026-12-11\n  metrics:\n    - { metric: coverage.lines, component: api, points: { 2026-11-30: 70 } }\n    - { metric: coverage.lines, points: { 2026-11-30: 60 } }\n    - { metric: coverage.lines, component: api, points: { 2026-12-11: 80 } }\nrisks:", '49: targets.metrics[2].metric: duplicate target for "coverage.lines" on component "api" (first at targets.metrics[0] at line 47)'],
  ])("%s", (_name, from, to, expected) => {
    expect(messagesOf(VALID.replace(from, to))).toEqual([expected]);
  });

  it("a script agent's tasks need a run command, and a script agent no command", () => {
    expect(messagesOf(VALID.replace("kind: cli", "kind: script"))).toEqual([
      "7: agents[0].command: only a cli agent has a command (this one is script: it runs each task's `run`)",
      '26: tasks[0]: owner "claude" is a script agent: give the task a `run` command',
      '40: tasks[2]: owner "claude" is a script agent: give the task a `run` command',
    ]);
  });

  it("reads the execution settings, the agents' parallelism and env, and each task's run, timeout and retries", () => {
    const text = VALID.replace("    branch: agent/claude/*\n", "    branch: agent/claude/*\n    max_parallel: 3\n    env: { CI: \"1\" }\n")
      .replace("    owner: claude\n    estimate: 2\n", "    owner: claude\n    estimate: 2\n    timeout: 10m\n    retries: 0\n")
      .replace("risks:", "execution: { workspace: in-place, lease: 2m, max_parallel: 4, ownership: warn, gate: release }\nrisks:");
    const { plan, messages } = check(text);
    expect(messages).toEqual([]);
    expect(plan?.agents[0]).toMatchObject({ maxParallel: 3, env: { CI: "1" } });
    expect(plan?.tasks[0]).toMatchObject({ run: null, timeout: 600, retries: 0 });
    expect(plan?.tasks[2]).toMatchObject({ timeout: null, retries: 2 });
    expect(plan?.execution).toEqual({ workspace: "in-place", leaseSeconds: 120, heartbeatSeconds: 30, maxParallel: 4, ownership: "warn", gate: "release" });
    expect(check(VALID).plan?.execution).toEqual({ workspace: null, leaseSeconds: 60, heartbeatSeconds: 15, maxParallel: null, ownership: "enforce", gate: null });
  });

  it("reads targets: the window, working days, each metric's direction and its points in date order", () => {
    const { plan, messages } = check(VALID.replace("risks:", `targets:
  start: 2026-11-23
  end: 2026-12-11
  working_days: false
  metrics:
    - metric: score
      points: { 2026-12-11: 85, 2026-11-23: 45 }
    - metric: coverage.lines
      component: api
      better: higher
      points:
        2026-12-11: 80
        2026-11-30: 70
    - { metric: tests.failed, points: { 2026-11-30: 0 } }
    - { metric: docs.broken_links, better: higher, points: { "2026-12-01": 3 } }
    - { metric: security.high, points: { 2026-12-01: 0 } }
risks:`));
    expect(messages).toEqual([]);
    expect(plan?.targets).toEqual({
      start: "2026-11-23",
      end: "2026-12-11",
      workingDays: false,
      metrics: [
        { metric: "score", component: null, better: "higher", points: [{ date: "2026-11-23", value: 45 }, { date: "2026-12-11", value: 85 }] },
        { metric: "coverage.lines", component: "api", better: "higher", points: [{ date: "2026-11-30", value: 70 }, { date: "2026-12-11", value: 80 }] },
        { metric: "tests.failed", component: null, better: "lower", points: [{ date: "2026-11-30", value: 0 }] },
        { metric: "docs.broken_links", component: null, better: "higher", points: [{ date: "2026-12-01", value: 3 }] },
        { metric: "security.high", component: null, better: "lower", points: [{ date: "2026-12-01", value: 0 }] },
      ],
    });
    expect(check(VALID).plan?.targets).toBeNull();
    expect(check(VALID.replace("risks:", "targets: { start: 2026-11-23, end: 2026-11-23 }\nrisks:")).plan?.targets).toEqual({ start: "2026-11-23", end: "2026-11-23", workingDays: true, metrics: [] });
  });

  it("a bad target hides no other problem, and every bad point of a target is reported", () => {
    expect(messagesOf(VALID.replace("    owner: alice\nmilestones:", `    owner: nobody
targets:
  start: 2026-11-23
  end: 2026-12-11
  metrics:
    - metric: coverage.lines
      points:
        2026-11-30: .nan
        2026-02-30: 80
        2027-01-06: 90
milestones:`))).toEqual([
      '48: risks[0].owner: unknown agent "nobody"',
      "55: targets.metrics[0].points.2026-11-30: must be a number (got NaN)",
      "56: targets.metrics[0].points.2026-02-30: must be a real calendar date like 2026-03-02",
      "57: targets.metrics[0].points.2027-01-06: is outside the program window 2026-11-23…2026-12-11",
    ]);
  });

  it("names target lines in a JSON plan", () => {
    const json = `{
  "version": 1, "agents": [], "phases": [], "tasks": [],
  "targets": {
    "start": "2026-11-23",
    "end": "2026-12-11",
    "metrics": [
      { "metric": "score", "points": {
        "2026-11-30": 50,
        "2026-12-12": 90
      } }
    ]
  }
}`;
    const { problems } = validatePlan(JSON.parse(json), planLineIndex(json, "json"));
    expect(problems.map((p) => `${p.line ?? "-"}: ${p.message}`)).toEqual(["9: targets.metrics[0].points.2026-12-12: is outside the program window 2026-11-23…2026-12-11"]);
  });

  it("reads acceptance and ready_when timeouts from the { command, timeout } form, in seconds", () => {
    const text = VALID.replace("    acceptance: npm test\n", "    acceptance: { command: npm test, timeout: 20m }\n    ready_when: { command: test -f a, timeout: 1.5 }\n");
    const { plan, messages } = check(text);
    expect(messages).toEqual([]);
    expect(plan?.tasks[1]).toMatchObject({ acceptance: "npm test", acceptanceTimeout: 1200, readyWhen: "test -f a", readyWhenTimeout: 1.5 });
    expect(plan?.tasks[0]).toMatchObject({ acceptanceTimeout: null, readyWhenTimeout: null });
  });

  it("reports a dependency cycle among phases", () => {
    const text = VALID.replace("  - id: build\n    name: Build\n", "  - id: build\n    name: Build\n    depends_on: [ship]\n");
    expect(messagesOf(text)).toMatchInlineSnapshot(`
      [
        "16: phases[0]: dependency cycle build → ship → build",
      ]
    `);
  });

  it("reports a cycle that only the phase order makes", () => {
    // T1 (phase build) waits for T3, whose phase ship comes after build.
    const text = VALID.replace("    owner: claude\n    estimate: 2\n", "    owner: claude\n    estimate: 2\n    depends_on: [T3]\n").replace("    depends_on: [T2]\n", "");
    expect(messagesOf(text)).toMatchInlineSnapshot(`
      [
        "23: tasks[0]: dependency cycle through the phase order: T1 → T3 → phase build → T1",
      ]
    `);
  });

  it("checks references and cycles of a task that has a schema error too (a shape error used to hide them)", () => {
    const text = `version: 1
agents:
  - id: a
    kind: cli
phases:
  - id: p
    name: P
tasks:
  - id: T1
    title: one
    phase: p
    owner: a
    estimate: lots
    depends_on: [T2, NOPE]
  - id: T2
    title: two
    phase: p
    owner: a
    estimate: 1
    depends_on: [T1]
  - id: T3
    phase: zz
    owner: b
    estimate: 1
    depends_on: [T9]
    colour: red
risks:
  - id: R1
    description: d
    impact: huge
    probability: low
    owner: nobody
`;
    expect(messagesOf(text)).toEqual([
      "9: tasks[0]: dependency cycle T1 → T2 → T1",
      "13: tasks[0].estimate: must be hours, as a number or { optimistic, likely, pessimistic } (got \"lots\")",
      "14: tasks[0].depends_on[1]: unknown task \"NOPE\"",
      "21: tasks[2].title: is required",
      "22: tasks[2].phase: unknown phase \"zz\"",
      "23: tasks[2].owner: unknown agent \"b\"",
      "25: tasks[2].depends_on[0]: unknown task \"T9\"",
      "26: tasks[2]: unknown key \"colour\"",
      "30: risks[0].impact: must be one of low medium high critical (got \"huge\")",
      "32: risks[0].owner: unknown agent \"nobody\"",
    ]);
  });

  it("checks references and cycles of a phase that has a schema error", () => {
    const text = VALID.replace("  - id: build\n    name: Build\n", "  - id: build\n    name: 7\n    depends_on: [ship, nowhere]\n");
    expect(messagesOf(text)).toEqual([
      "16: phases[0]: dependency cycle build → ship → build",
      "17: phases[0].name: must be text (got 7)",
      "18: phases[0].depends_on[1]: unknown phase \"nowhere\"",
    ]);
  });

  it("does not mix up phases' dependencies when a malformed phase comes first (it reported a phase waiting for itself)", () => {
    const text = VALID.replace("  - id: build\n    name: Build\n", "  - id: first\n  - id: build\n    name: Build\n");
    expect(messagesOf(text)).toEqual(["16: phases[0].name: is required"]);
  });

  it("reports a task that depends on itself", () => {
    expect(messagesOf(VALID.replace("depends_on: [T2]", "depends_on: [T3]"))).toEqual(["37: tasks[2]: dependency cycle T3 → T3"]);
  });

  it("names unknown keys at the top level and in agents, and a wrong version", () => {
    const text = VALID.replace("version: 1", "version: 2\ntaks: []").replace("    capacity: 6\n", "    capacity: 6\n    rate_per_hour: 3\n");
    expect(messagesOf(text)).toMatchInlineSnapshot(`
      [
        "1: version: must be 1 (got 2)",
        "2: (top level): unknown key "taks"",
        "15: agents[1]: unknown key "rate_per_hour"",
      ]
    `);
  });

  it("checks agents' rates, risks' owners and milestones' dates", () => {
    const text = VALID.replace("rate: { per_hour: 12 }", "rate: { per_hour: 12, per_day: 90 }").replace("    owner: alice\nmilestones", "    owner: carol\nmilestones").replace("date: 2026-04-01", "date: 1 April");
    expect(messagesOf(text)).toMatchInlineSnapshot(`
      [
        "8: agents[0].rate: must give one of per_hour or per_day",
        "48: risks[0].owner: unknown agent "carol"",
        "51: milestones[0].date: must be a date like 2026-03-02 (got "1 April")",
      ]
    `);
  });

  it("reads ids written as numbers as text", () => {
    const text = VALID.replace("id: T1", "id: 1").replace("depends_on: [T1, T1]", "depends_on: [1]");
    const { plan, messages } = check(text);
    expect(messages).toEqual([]);
    expect(plan?.tasks[1]?.dependsOn).toEqual(["1"]);
  });

  it("rejects what is not a plan at all", () => {
    expect(validatePlan([1, 2], () => null).problems.map((p) => p.message)).toEqual(["(top level): a plan is a mapping with version, agents, phases and tasks (got a list)"]);
    expect(validatePlan({}, () => null).problems.map((p) => p.message)).toEqual([
      "version: is required",
      "agents: is required",
      "phases: is required",
      "tasks: is required",
    ]);
  });

  it("names lines in a JSON plan", () => {
    const text = JSON.stringify(
      { version: 1, agents: [{ id: "a", kind: "cli" }], phases: [{ id: "p", name: "P" }], tasks: [{ id: "x", title: "X", phase: "p", owner: "a", estimate: 1, depends_on: ["y"] }] },
      null,
      2,
    );
    const { problems } = validatePlan(JSON.parse(text), planLineIndex(text, "json"));
    expect(problems).toEqual([{ path: ["tasks", 0, "depends_on", 0], line: 23, message: 'tasks[0].depends_on[0]: unknown task "y"' }]);
  });

  it("formats key paths", () => {
    expect(formatPath(["tasks", 12, "depends_on", 1])).toBe("tasks[12].depends_on[1]");
    expect(formatPath([])).toBe("(top level)");
  });
});
