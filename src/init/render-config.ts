import type { CollectorKind, ProposedCollector } from "./types.js";

/** Section titles, in the order the config lists them. */
export const SECTIONS: Record<CollectorKind, string> = {
  tests: "Tests and coverage",
  lint: "Lint",
  types: "Type checks",
  security: "Dependency audit",
};

const q = (s: string) => JSON.stringify(s);

function collectorLines(c: ProposedCollector): string[] {
  const lines = [`- name: ${c.name}`, `  command: ${q(c.command)}`];
  if (c.cwd) lines.push(`  cwd: ${c.cwd}`);
  if (c.env) {
    lines.push("  env:");
    for (const [k, v] of Object.entries(c.env)) lines.push(`    ${k}: ${q(v)}`);
  }
  lines.push(`  timeout: ${c.timeout}`, "  reports:");
  for (const r of c.reports) lines.push(r.format ? `    - { path: ${q(r.path)}, format: ${r.format} }` : `    - ${q(r.path)}`);
  return lines;
}

/**
 * The commented shipgate.yaml for these collectors. `schemaRef` is the JSON Schema path the editor
 * modeline points at (relative to the config file), or null when no copy of it is reachable from here.
 */
export function renderConfig(collectors: ProposedCollector[], schemaRef: string | null): string {
  const lines = [
    schemaRef
      ? `# yaml-language-server: $schema=${schemaRef}`
      : "# For completion in editors, install shipgate in this project (npm install --save-dev <its packed .tgz>): `shipgate init --force` then adds the $schema line.",
    "# shipgate configuration, written by `shipgate init` (see docs/config.md in shipgate's repository).",
    "# `shipgate assess` runs every command below, then reads the reports it names (each must be written by",
    "# that run); `shipgate assess --no-run` only reads them. Paths are relative to this file's directory.",
    "# A collector's non-zero exit (a failing test, a lint error) is fine: the reports are what counts.",
    "version: 1",
    "",
  ];
  const active = collectors.filter((c) => !c.disabled);
  if (active.length === 0) {
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
  }
  for (const kind of Object.keys(SECTIONS) as CollectorKind[]) {
    const ofKind = collectors.filter((c) => c.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(`  # ── ${SECTIONS[kind]} ──`);
    for (const c of ofKind) {
      lines.push(`  # ${c.why}${c.note ? ` (${c.note})` : ""}`);
      if (c.disabled) {
        lines.push(`  # Not enabled: ${c.disabled}.`);
        lines.push(...collectorLines(c).map((l) => `  # ${l}`));
      } else {
        lines.push(...collectorLines(c).map((l) => `  ${l}`));
      }
      lines.push("");
    }
  }
  lines.push(
    "paths:",
    "  # Below this share of report paths matching repository files, coverage is reported as degraded.",
    "  resolve_threshold: 0.8",
    "",
  );
  return lines.join("\n");
}
