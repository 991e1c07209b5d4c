import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { renderReviewMarkdown, renderStandupMarkdown, renderTrackerMarkdown } from "../../src/report/track-markdown.js";
import { review, standup } from "../../src/track/standup.js";
import type { Tracker } from "../../src/track/model.js";
import { sampleTracker } from "../track/sample-tracker.js";

const ESC = "\u001b";
const HOSTILE = `${ESC}[31mred${ESC}[0m | cell\n# heading\n<img src=x> [link](http://evil.example) *bold*`;

/** The table cells of a markdown row, split on unescaped pipes. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "\\") {
      cur += c + (line[i + 1] ?? "");
      i++;
    } else if (c === "|") {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  out.push(cur.trim());
  return out.slice(1, -1);
}

/** The lines of a section, from its heading to the next heading of the same level or higher. */
function section(doc: string, heading: string): string[] {
  const lines = doc.split("\n");
  const start = lines.indexOf(heading);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const level = heading.indexOf(" ");
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(" ") <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => l !== "");
}

describe("renderTrackerMarkdown on the sample tracker", () => {
  const doc = renderTrackerMarkdown(sampleTracker(), { charts: { burndown: "burndown.svg", burnup: "burn up (1).svg", score: "score.svg", coverage: "coverage.svg" } });

  it("has every section, in order", () => {
    expect(doc.split("\n").filter((l) => l.startsWith("## "))).toEqual([
      "## Executive summary",
      "## Daily progress vs targets",
      "## Burn-down and burn-up",
      "## Forecast",
      "## Risk matrix",
      "## Blocker log",
      "## Score breakdown",
      "## Coverage by component",
      "## Quality trends",
      "## Flow",
      "## Milestones",
      "## Success criteria",
      "## Alerts",
    ]);
    expect(doc.startsWith("# Tracker — 2026-12-04\n\nAs of 2026-12-04 12:00 UTC · plan `shipgate.plan.yaml` (sha256 3f9a1c0d5e7b), 9 tasks · window 2026-11-16 → 2026-12-11 (working days), from the plan's targets · branch main.\n")).toBe(true);
  });

  it("sums up progress, score, forecast, milestones, blockers, risks and alerts", () => {
    expect(section(doc, "## Executive summary")).toEqual([
      "- **Progress**: 5 of 9 tasks done (30 h of 64 h); 19 h behind the ideal line (ideal remaining 15 h).",
      "- **Score**: not measured (last 71.2 on 2026-12-03), target 74 (not measured); level CONDITIONAL\\_READY at snapshot 13.",
      "- **Forecast**: 85 % of trials finish by 2026-12-29.",
      "- **Milestones**: 1 met, 1 at risk.",
      "- **Blockers**: 1 open · **Risks**: 1 open of 2 · **Alerts**: 5.",
    ]);
  });

  it("tables each day's value against its target", () => {
    const rows = section(doc, "## Daily progress vs targets");
    expect(rows).toContain("| Date | score | coverage.lines | tests.failed |");
    expect(rows).toContain("| 2026-11-16 | 58 / 60 (-2) · behind | 68 / 70 (-2) · behind | 3 · no target |");
    expect(rows).toContain("| 2026-12-01 | 67.4 / 71 (-3.6) · behind | 78.2 / 80 (-1.8) · behind | 2 / 0 (+2) · behind |");
    expect(rows).toContain("| 2026-12-04 | not measured (last 71.2 on 2026-12-03) / 74 | not measured (last 80.3 on 2026-12-03) / 80 | not measured (last 0 on 2026-12-03) / 0 |");
    // 15 working days + header + separator + the note
    expect(rows.filter((l) => l.startsWith("| 2026-"))).toHaveLength(15);
  });

  it("links the charts (names encoded) and tables the burn-down with its scope changes", () => {
    const rows = section(doc, "## Burn-down and burn-up");
    expect(rows.slice(0, 2)).toEqual(["![Burn-down: remaining tasks against the ideal line and the forecast cone](burndown.svg)", "![Burn-up: done tasks against the scope line](burn%20up%20%281%29.svg)"]);
    expect(rows).toContain("| 2026-11-16 | 8 | 0 | 8 | 57 | 0 | 57 | 57 |  |");
    expect(rows).toContain("| 2026-11-23 | 9 | 3 | 6 | 61 | 18 | 43 | 42 | +T9 |");
    expect(rows).toContain("| 2026-11-30 | 9 | 4 | 5 | 64 | 26 | 38 | 27 | T6 9 → 12 h |");
    expect(rows).toContain("| 2026-12-04 | 9 | 5 | 4 | 64 | 30 | 34 | 15 |  |");
    expect(section(doc, "## Quality trends").slice(0, 2)).toEqual(["![Score over the days against its target](score.svg)", "![Coverage over the days against its target](coverage.svg)"]);
  });

  it("links no chart when none is given", () => {
    expect(renderTrackerMarkdown(sampleTracker())).not.toContain("![");
  });

  it("places the risks on the impact × probability grid and lists them with their last update", () => {
    expect(section(doc, "## Risk matrix")).toEqual([
      "| Impact \\ probability | low | medium | high |",
      "| --- | --- | --- | --- |",
      "| critical |  |  |  |",
      "| high |  | R1 |  |",
      "| medium | R2 |  |  |",
      "| low |  |  |  |",
      "| Risk | Description | Impact | Probability | Exposure | Status | Owner | Mitigation | Last update |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      "| R1 | The vendor's API changes before the release | high | medium | 6 | open | ana | pin the client version | 2026-12-02 11:00 open by ana: vendor late |",
      "| R2 | Flaky CI runners | medium | low | 2 | mitigated | — | — | 2026-11-27 09:00 mitigated by claude: retries on |",
    ]);
  });

  it("logs the blockers with their time to resolve", () => {
    expect(section(doc, "## Blocker log")).toEqual([
      "| Task | Title | By | Reason | Since | Resolved | Time to resolve |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      "| T7 | Release notes | ana | needs the user guide review | 2026-11-26 10:00 | 2026-11-27 14:00 | 28 h |",
      "| T5 | Security review | ana | waiting for the vendor's answer | 2026-12-02 10:00 | open | 50 h so far |",
      "Median time to resolve: 28 h.",
    ]);
  });

  it("breaks the score down by category and the coverage by component, unknowns as such", () => {
    const score = section(doc, "## Score breakdown");
    expect(score[0]).toBe("Snapshot 13 (2026-12-03 17:00, commit `a1b2c3d4e5`): score **71.2**, level CONDITIONAL\\_READY.");
    expect(score).toContain("| Security | unknown | 20 |");
    expect(score).toContain("| Coverage | 80.3 | 20 |");
    expect(section(doc, "## Coverage by component")).toEqual([
      "| Component | Lines | Branches |",
      "| --- | --- | --- |",
      "| (whole project) | 80.3 % | 71 % |",
      "| cli | 85.1 % | not measured |",
      "| core | 77.9 % | 68.4 % |",
    ]);
  });

  it("shows the quality trends day by day", () => {
    const rows = section(doc, "## Quality trends");
    expect(rows).toContain("| Date | score | coverage.lines | tests.failed | tests.total |");
    expect(rows).toContain("| 2026-11-18 | not measured (last 60.5 on 2026-11-17) | not measured (last 69 on 2026-11-17) | not measured (last 2 on 2026-11-17) | not measured (last 204 on 2026-11-17) |");
    expect(rows).toContain("| 2026-12-03 | 71.2 | 80.3 | 0 | 240 |");
  });

  it("shows the flow: weekly throughput by agent kind, cycle time, WIP and estimate accuracy", () => {
    const rows = section(doc, "## Flow");
    expect(rows).toContain("| 2026-11-16 | 3 | 18 | 2 (12 h) | 0 | 1 (6 h) | 0 | claude 2 (12 h), ana 1 (6 h) |");
    expect(rows).toContain("Cycle time (started → done, wall-clock): P50 6 h · P85 30 h · P95 30 h over 5 tasks.");
    expect(rows).toContain("Work in progress: 1 (claude 1).");
    expect(rows).toContain("Estimate accuracy (hours the runs took against the PERT expected hours): actual / expected = 0.979 overall.");
    expect(rows).toContain("| T9 | 4 | 5.5 | 1.375 |");
  });

  it("shows each milestone's criteria with value and evidence, and the success-criteria matrix", () => {
    const release = section(doc, "### release — 2026-12-11 · ⚠️ at risk");
    expect(release).toEqual([
      "4 % likely · 5 working days left (share of forecast trials that finish the remaining work by the date).",
      "| Criterion | Status | Value | Evidence |",
      "| --- | --- | --- | --- |",
      "| `release` | ❌ not met | — | gate release: NO-GO on 2026-12-01 (snapshot 11): failed new:tests.regressed |",
      "| `score >= 80` | ❌ not met | 71.2 | snapshot 13 (2026-12-03) |",
      "| `coverage.lines >= 80` | ✅ met | 80.3 | snapshot 13 (2026-12-03) |",
      "| `docs.broken_links == 0` | ❔ unknown | unknown | no snapshot on or before 2026-12-04 has docs.broken\\_links |",
    ]);
    expect(section(doc, "## Success criteria")).toEqual([
      "| Milestone | `coverage.lines >= 75` | `tests.failed == 0` | `release` | `score >= 80` | `coverage.lines >= 80` | `docs.broken_links == 0` |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      "| beta (2026-11-27) | ✅ met (78.1) | ✅ met (0) | — | — | — | — |",
      "| release (2026-12-11) | — | — | ❌ not met | ❌ not met (71.2) | ✅ met (80.3) | ❔ unknown |",
    ]);
  });

  it("lists the alerts, new ones marked", () => {
    const rows = section(doc, "## Alerts");
    expect(rows[3]).toBe("| 2026-12-04 12:00 | stale-lease | T6 | run 7 of task T6 (agent claude): its lease expired at 2026-12-03T18:30:00Z, 1050 minutes ago, without a heartbeat | new |");
    expect(rows[5]).toBe("| 2026-12-01 17:00 | score-decline | score | score fell from 70 to 67.4 (−2.6) (snapshot 11 against snapshot 10) | yes |");
  });
});

describe("unknowns in the tracker document", () => {
  function unknownTracker(): Tracker {
    const t = sampleTracker();
    t.series = [];
    t.latest = null;
    t.headline = { ...t.headline, idealHours: null, behindIdealHours: null, score: { value: null, target: null, status: null }, forecastP85: null };
    t.forecast = { ...t.forecast, p50: null, p85: null, p95: null, reason: "5 working days of throughput are needed, 2 measured", cone: [] };
    t.flow = { ...t.flow, weekly: [], cycleTime: { p50: null, p85: null, p95: null, count: 0 }, estimates: [], estimateRatio: null };
    t.blockers = { open: [], log: [], medianHoursToResolve: null };
    t.burndown = t.burndown.map((d) => ({ ...d, idealHours: null, idealTasks: null }));
    return t;
  }

  it("prints unknown or not measured, never 0", () => {
    const doc = renderTrackerMarkdown(unknownTracker());
    expect(section(doc, "## Executive summary").slice(0, 3)).toEqual([
      "- **Progress**: 5 of 9 tasks done (30 h of 64 h); no ideal line yet (before the baseline).",
      "- **Score**: unknown.",
      "- **Forecast**: unknown — 5 working days of throughput are needed, 2 measured.",
    ]);
    expect(section(doc, "## Forecast")).toEqual(["unknown: 5 working days of throughput are needed, 2 measured"]);
    expect(section(doc, "## Daily progress vs targets")).toEqual(["No metric has a target: add `targets:` to the plan."]);
    expect(section(doc, "## Burn-down and burn-up")).toContain("| 2026-11-16 | 8 | 0 | 8 | 57 | 0 | 57 | before the baseline |  |");
    expect(section(doc, "## Score breakdown")).toEqual(["No snapshot yet: run `shipgate assess`."]);
    expect(section(doc, "## Coverage by component")).toEqual(["Coverage not measured."]);
    expect(section(doc, "## Flow")).toContain("Cycle time (started → done, wall-clock): P50 unknown · P85 unknown · P95 unknown over 0 tasks.");
    expect(section(doc, "## Flow")).toContain("Estimate accuracy: unknown (no done task has runs).");
    expect(section(doc, "## Blocker log")).toEqual(["No task was blocked in the window."]);
  });
});

describe("hostile text in the tracker document", () => {
  const t = sampleTracker();
  for (const b of [...t.blockers.open, ...t.blockers.log]) {
    b.title = HOSTILE;
    b.reason = HOSTILE;
  }
  for (const r of t.risks) {
    r.description = HOSTILE;
    r.mitigation = HOSTILE;
    for (const u of r.updates) u.note = HOSTILE;
  }
  for (const a of t.alerts) a.message = HOSTILE;
  const release = t.milestones[1];
  if (release !== undefined) for (const c of release.criteria) c.text = `score | 1\n# x \`>= 80`;
  const doc = renderTrackerMarkdown(t);

  it("keeps every table row's cell count, and no line break or heading out of a cell", () => {
    expect(doc).not.toContain(ESC);
    const headings = doc.split("\n").filter((l) => l.startsWith("#"));
    expect(headings.every((h) => /^#{1,3} (Tracker|[A-Z]|beta|release)/.test(h))).toBe(true);
    // every markdown-active character arrives escaped: no raw HTML, no link
    expect(doc).not.toMatch(/(^|[^\\])<img/);
    expect(doc).not.toMatch(/(^|[^\\])\]\(http/);
    const blocker = section(doc, "## Blocker log").filter((l) => l.startsWith("|"));
    expect(blocker.every((l) => cells(l).length === 7)).toBe(true);
    const risks = section(doc, "## Risk matrix").filter((l) => /^\| R\d/.test(l));
    expect(risks.map((l) => cells(l).length)).toEqual([9, 9]);
    expect(cells(risks[0] as string)[1]).toBe("red \\| cell \\# heading \\<img src=x\\> \\[link\\](http\\://evil.example) \\*bold\\*");
    const alerts = section(doc, "## Alerts").filter((l) => l.startsWith("| 20"));
    expect(alerts.every((l) => cells(l).length === 5)).toBe(true);
    const criteria = section(doc, "### release — 2026-12-11 · ⚠️ at risk").filter((l) => l.startsWith("| `"));
    expect(criteria.map((l) => cells(l).length)).toEqual([4, 4, 4, 4]);
    expect(cells(criteria[0] as string)[0]).toBe("``score \\| 1 # x `>= 80``");
  });
});

describe("the hostile tracker document as a markdown renderer reads it (markdown-it, GFM tables)", () => {
  it("has no image, link, raw HTML or heading the text brought, and every table row has its header's cell count", () => {
    const t = sampleTracker();
    for (const task of t.tasks) task.title = HOSTILE;
    for (const b of [...t.blockers.open, ...t.blockers.log]) {
      b.title = HOSTILE;
      b.reason = HOSTILE;
    }
    for (const r of t.risks) r.description = HOSTILE;
    for (const a of t.alerts) a.message = HOSTILE;
    for (const m of t.milestones) for (const c of m.criteria) c.text = `a | b\n# c \`d`;
    const md = new MarkdownIt({ html: false, linkify: true });
    const tokens = md.parse(renderTrackerMarkdown(t, { charts: { burndown: "burn down (1).svg" } }), {});
    const inline = tokens.flatMap((tok) => tok.children ?? []);
    expect(inline.filter((tok) => tok.type === "image").map((tok) => tok.attrGet("src"))).toEqual(["burn%20down%20%281%29.svg"]);
    expect(inline.filter((tok) => tok.type === "link_open")).toEqual([]);
    expect(inline.filter((tok) => tok.type === "html_inline")).toEqual([]);
    const headings = tokens.flatMap((tok, i) => (tok.type === "heading_open" ? [tokens[i + 1]?.content ?? ""] : []));
    expect(headings.filter((h) => h.includes("heading"))).toEqual([]);
    // every row of a table has as many cells as its header
    let width = 0;
    let cellsInRow = 0;
    const mismatches: number[] = [];
    for (const tok of tokens) {
      if (tok.type === "thead_open") width = 0;
      if (tok.type === "th_open") width++;
      if (tok.type === "tr_open") cellsInRow = 0;
      if (tok.type === "td_open" || tok.type === "th_open") cellsInRow++;
      if (tok.type === "tr_close" && cellsInRow !== width) mismatches.push(tok.map?.[0] ?? -1);
    }
    expect(mismatches).toEqual([]);
    // daily progress, burn-down, risk grid and list, blockers, score, coverage, trends, throughput, estimates, 2 milestones, success criteria, alerts
    expect(tokens.filter((tok) => tok.type === "table_open").length).toBe(14);
  });
});

describe("standup and review documents", () => {
  it("renders the standup's sections and numbered action items", () => {
    const doc = renderStandupMarkdown(standup(sampleTracker()));
    expect(doc.split("\n").filter((l) => l.startsWith("#"))).toEqual(["# Standup — 2026-12-04", "## Done", "## In progress", "## Next", "## Blockers", "## Failed runs", "## Metrics", "## Action items"]);
    expect(section(doc, "## Done")).toEqual(["- **T9** Docs links — run 5 (claude, attempt 1): timeout — timed out after 1h; run 6 (claude, attempt 2): done"]);
    expect(section(doc, "## In progress")).toEqual(["- **T6** Dashboard — claude since 2026-12-03 16:00, run 7, last heartbeat 18h 00m ago"]);
    expect(section(doc, "## Metrics")).toEqual(["| Metric | Value |", "| --- | --- |", "| Score | 71.2 (+1.1 since 2026-12-03) |", "| Failed tests | 0 |", "| Line coverage | 80.3 % |"]);
    expect(section(doc, "## Action items")[0]).toBe("1. unblock T5 (blocked by ana since 2026-12-02 10:00: waiting for the vendor's answer)");
    expect(section(doc, "## Action items")).toHaveLength(5);
  });

  it("renders the review's goals, challenges, metrics and next steps", () => {
    const doc = renderReviewMarkdown(review(sampleTracker()));
    expect(doc.startsWith("# Review — 2026-11-28 → 2026-12-04\n")).toBe(true);
    expect(section(doc, "## Goals")).toEqual([
      "| Metric | Target | Value | Status |",
      "| --- | --- | --- | --- |",
      "| score | 74 | not measured (last 71.2 on 2026-12-03) | not measured |",
      "| coverage.lines | 80 | not measured (last 80.3 on 2026-12-03) | not measured |",
      "| tests.failed | 0 | not measured (last 0 on 2026-12-03) | not measured |",
    ]);
    expect(section(doc, "### Blockers")).toEqual(["- **T5** Security review — open for 50 h: waiting for the vendor's answer"]);
    expect(section(doc, "### Missed milestones")).toEqual(["None."]);
    expect(section(doc, "## Metrics")).toContain("| Throughput | 0.2 tasks a day |");
    expect(section(doc, "## Next steps").at(-1)).toBe("6. start T7 Release notes (ana): ready");
  });

  it("escapes hostile titles and notes in the standup and the review", () => {
    const t = sampleTracker();
    for (const task of t.tasks) task.title = HOSTILE;
    for (const r of t.runs) r.note = HOSTILE;
    const doc = renderStandupMarkdown(standup(t)) + renderReviewMarkdown(review(t));
    expect(doc).not.toContain(ESC);
    expect(doc.split("\n").filter((l) => l.startsWith("# ")).map((l) => l.slice(0, 10))).toEqual(["# Standup ", "# Review —"]);
    expect(doc).toContain("- **T9** red \\| cell \\# heading \\<img src=x\\> \\[link\\](http\\://evil.example) \\*bold\\* — run 5");
  });
});

describe("renderTrackerMarkdown: a milestone already met (issue 12 trial, unjs/pathe)", () => {
  it("regression: a met milestone due today read '0 % likely (share of forecast trials …)'; a met milestone shows no probability", () => {
    const t = sampleTracker();
    const release = t.milestones.find((m) => m.id === "release");
    if (release === undefined) throw new Error("the sample has a release milestone");
    Object.assign(release, { status: "met", probability: 0, daysLeft: 0 });
    for (const c of release.criteria) c.status = "met";
    const doc = renderTrackerMarkdown(t, {});
    expect(doc).toContain("### release — 2026-12-11 · ✅ met\n\n0 working days left.\n");
    expect(doc).not.toContain("likely");
  });
});
