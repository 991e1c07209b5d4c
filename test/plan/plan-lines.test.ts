import { describe, expect, it } from "vitest";
import { planLineIndex } from "../../src/plan/plan-lines.js";

const yaml = `# a plan
version: 1
project: demo

agents:
  - id: claude
    kind: cli
    rate: { per_hour: 12 }
  -
    id: alice
    kind: human
    emails:
      - alice@example.com
      - a@example.org
phases:
- id: P1
  name: One
  depends_on:
  - P0
- id: "P2"
  name: Two
tasks:
  - id: T1
    title: first
    estimate:
      optimistic: 1
      likely: 2
      pessimistic: 3
    depends_on: [T0, T9]
    # a comment at the key's indent
    description: |
      - not an item
      owner: not a key
    owner: claude
  - id: T2
    "title": quoted key
    depends_on:
      - T1
milestones: []
`;

const json = `{
  "version": 1,
  "agents": [
    { "id": "claude", "kind": "cli" },
    {
      "id": "alice",
      "kind": "human",
      "emails": ["a@example.com",
        "b@example.com"]
    }
  ],
  "tasks": [
    {
      "id": "T1",
      "title": "with \\"quotes\\" and { braces }",
      "depends_on": ["T0", "T9"],
      "estimate": { "optimistic": 1, "likely": 2, "pessimistic": 3 }
    }
  ]
}`;

describe("planLineIndex", () => {
  const yamlLine = planLineIndex(yaml, "yaml");
  it.each([
    [["version"], 2],
    [["project"], 3],
    [["agents"], 5],
    [["agents", 0], 6],
    [["agents", 0, "id"], 6],
    [["agents", 0, "kind"], 7],
    [["agents", 0, "rate", "per_hour"], 8],
    [["agents", 1], 9],
    [["agents", 1, "id"], 10],
    [["agents", 1, "emails", 1], 14],
    [["phases", 0, "depends_on", 0], 19],
    [["phases", 1, "id"], 20],
    [["phases", 1, "name"], 21],
    [["tasks", 0, "estimate", "pessimistic"], 28],
    [["tasks", 0, "depends_on", 1], 29],
    [["tasks", 0, "owner"], 34],
    [["tasks", 1], 35],
    [["tasks", 1, "title"], 36],
    [["tasks", 1, "depends_on", 0], 38],
    [["milestones", 0], 39],
    // Deeper than the text goes: the deepest part that is there.
    [["tasks", 1, "acceptance"], 35],
    [["tasks", 7, "id"], 22],
    [["agents", 0, "rate", "per_day"], 8],
    [["risks", 0], null],
    [[], null],
  ] as const)("YAML %j → line %s", (path, expected) => {
    expect(yamlLine(path)).toBe(expected);
  });

  const jsonLine = planLineIndex(json, "json");
  it.each([
    [["version"], 2],
    [["agents", 0], 4],
    [["agents", 0, "kind"], 4],
    [["agents", 1], 5],
    [["agents", 1, "kind"], 7],
    [["agents", 1, "emails", 1], 9],
    [["tasks", 0, "id"], 14],
    [["tasks", 0, "depends_on", 1], 16],
    [["tasks", 0, "estimate", "likely"], 17],
    [["tasks", 0, "owner"], 13],
    [["risks"], null],
  ] as const)("JSON %j → line %s", (path, expected) => {
    expect(jsonLine(path)).toBe(expected);
  });

  it("reads minified JSON as one line and CRLF YAML like LF", () => {
    const min = planLineIndex(JSON.stringify({ version: 1, tasks: [{ id: "a" }, { id: "b" }] }), "json");
    expect(min(["tasks", 1, "id"])).toBe(1);
    const crlf = planLineIndex("version: 1\r\ntasks:\r\n  - id: a\r\n    owner: x\r\n", "yaml");
    expect(crlf(["tasks", 0, "owner"])).toBe(4);
  });

  it("finds a list written at its key's own indent, and keys of a flow item", () => {
    const line = planLineIndex("tasks:\n  - id: a\n    depends_on:\n    - x\n    - y\n    owner: o\n  - { id: b, owner: o }\n", "yaml");
    expect([line(["tasks", 0, "depends_on", 1]), line(["tasks", 0, "owner"]), line(["tasks", 1, "owner"])]).toEqual([5, 6, 7]);
  });

  it("indexes the items of a generated 20 000-task plan", () => {
    const lines = ["version: 1", "tasks:"];
    for (let i = 0; i < 20_000; i++) lines.push(`  - id: T${i}`, "    title: t", `    depends_on: [T${i - 1}]`);
    const line = planLineIndex(lines.join("\n"), "yaml");
    expect(line(["tasks", 19_999, "depends_on", 0])).toBe(3 + 19_999 * 3 + 2);
    expect(line(["tasks", 12, "id"])).toBe(3 + 12 * 3);
  });
});
