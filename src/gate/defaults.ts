import type { ConditionSpec, GateSpec } from "./types.js";

type ConditionInput = Pick<ConditionSpec, "metric" | "op" | "threshold"> & Partial<ConditionSpec>;

/** A condition with the defaults filled in: overall scope, blocking, failing without data. */
export function conditionSpec(input: ConditionInput): ConditionSpec {
  const scope = input.scope ?? "overall";
  return {
    id: input.id ?? (scope === "overall" ? input.metric : `${scope}:${input.metric}`),
    metric: input.metric,
    op: input.op,
    threshold: input.threshold,
    scope,
    severity: input.severity ?? "block",
    whenMissing: input.whenMissing ?? "fail",
    description: input.description ?? null,
  };
}

/**
 * The gates every project has (docs/gates.md). A gate of the same name in shipgate.yaml replaces one.
 * Conditions that compare with a baseline pass without one only where an overall condition already
 * covers the risk (a failing test fails `tests.failed == 0` whether or not it regressed).
 */
export const DEFAULT_GATES: readonly GateSpec[] = [
  {
    name: "release",
    description: "Exit criteria for a release: no failing or regressed tests, coverage ≥ 60 % and no drop, no broken doc links, no critical or high vulnerabilities, no type errors.",
    baseline: { kind: "previous" },
    waivers: [],
    conditions: [
      conditionSpec({ metric: "tests.failed", op: "==", threshold: 0 }),
      conditionSpec({ metric: "tests.errored", op: "==", threshold: 0 }),
      conditionSpec({ metric: "tests.regressed", op: "==", threshold: 0, scope: "new", whenMissing: "pass", description: "without a baseline there is nothing to regress from; tests.failed still counts every failing test" }),
      conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 60 }),
      conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 0, scope: "delta", whenMissing: "pass", description: "no drop in line coverage since the baseline (passes on a first snapshot)" }),
      conditionSpec({ metric: "docs.broken_links", op: "==", threshold: 0 }),
      conditionSpec({ metric: "security.critical", op: "==", threshold: 0 }),
      conditionSpec({ metric: "security.high", op: "==", threshold: 0 }),
      conditionSpec({ metric: "type_errors", op: "==", threshold: 0 }),
    ],
  },
  {
    name: "new-code",
    description: "Clean as you code: the lines changed since the baseline are ≥ 80 % covered and no new findings appeared.",
    baseline: { kind: "previous" },
    waivers: [],
    conditions: [
      conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 80, scope: "new", description: "holds when no changed line is code the coverage report knows (docs, config); fails without line coverage" }),
      conditionSpec({ metric: "findings", op: "==", threshold: 0, scope: "new" }),
    ],
  },
];
