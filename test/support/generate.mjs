#!/usr/bin/env node
// Deterministic inputs for tests that need a large plan or docs tree. The tests must not depend on
// anything outside the repository (a user's clone has nothing beside it), so they generate what
// they need here. Benchmarks use the larger bench generator; this one is only what tests need.
//
// Usage: node test/support/generate.mjs <plan|markdown> <out> <size>
//   plan      <out.yaml>  <tasks>  phases, six agents, a dependency DAG (deps within 2 000 tasks), one file per task
//   markdown  <outDir>    <files>  pages in 50 folders linking to each other and to headings, ~1 % broken
// Same arguments give byte-identical output.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** mulberry32: a small seeded PRNG, so that every run writes the same bytes. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["core", "api", "store", "auth", "billing", "queue", "cache", "ingest", "report", "gate", "plan", "exec", "web", "util", "model"];
export const PLAN_AGENTS = ["claude", "codex", "gemini", "human-1", "human-2", "ci-bot"];

function helpers(seed) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  return { rand, int, pick };
}

/** A plan of `tasks` tasks as YAML text. */
export function planYaml(tasks) {
  const { int, pick } = helpers(0x5eed0001);
  const phases = Math.max(4, Math.round(tasks / 5000));
  const out = [`version: 1`, `project: generated-${tasks}`, `agents:`];
  for (const a of PLAN_AGENTS) out.push(`  - id: ${a}`, `    kind: ${a.startsWith("human") ? "human" : "cli"}`);
  out.push(`phases:`);
  for (let p = 0; p < phases; p++) out.push(`  - id: P${p}`, `    name: Phase ${p}`);
  out.push(`tasks:`);
  for (let t = 0; t < tasks; t++) {
    const deps = new Set();
    const k = t === 0 ? 0 : int(0, 3);
    for (let d = 0; d < k; d++) deps.add(int(Math.max(0, t - 2000), t - 1));
    const o = int(1, 4);
    const m = o + int(0, 4);
    const p = m + int(0, 8);
    out.push(
      `  - id: T${t}`,
      `    title: ${pick(WORDS)} ${pick(WORDS)} task ${t}`,
      `    phase: P${Math.floor((t / tasks) * phases)}`,
      `    priority: ${pick(["P0", "P1", "P2", "P3"])}`,
      `    owner: ${pick(PLAN_AGENTS)}`,
      `    estimate: { optimistic: ${o}, likely: ${m}, pessimistic: ${p} }`,
    );
    if (deps.size > 0) out.push(`    depends_on: [${[...deps].map((d) => `T${d}`).join(", ")}]`);
    out.push(`    files: [src/${pick(WORDS)}/${pick(WORDS)}_${int(0, Math.floor(tasks / 4))}.ts]`);
  }
  return `${out.join("\n")}\n`;
}

/**
 * A docs tree of `files` pages plus a README. Each page has 2–8 sections ("## Section S of page N"), and
 * each section 1–4 "Text about …" lines with one relative link (30 % with an anchor to a section 0–2 of the
 * target page, which may not exist; ~1 % to a missing page; ~0.5 % to "#no-such-anchor"), a link inside a
 * code span (not a link), sometimes a fenced block with a link in it (not a link) and an external link.
 */
export function writeMarkdownTree(outDir, files) {
  const { rand, int, pick } = helpers(0x5eed0002);
  const dirs = 50;
  const names = Array.from({ length: files }, (_, i) => `d${i % dirs}/page-${i}.md`);
  for (let i = 0; i < files; i++) {
    const lines = [`# Page ${i}`, ""];
    const sections = int(2, 8);
    for (let s = 0; s < sections; s++) {
      lines.push(`## Section ${s} of page ${i}`, "");
      const paragraphs = int(1, 4);
      for (let p = 0; p < paragraphs; p++) {
        const n = int(0, files - 1);
        const rel = `../${names[n]}`;
        let link = rand() < 0.3 ? `${rel}#section-${int(0, 2)}-of-page-${n}` : rel;
        if (rand() < 0.01) link = `../d${int(0, dirs - 1)}/missing-${i}-${p}.md`;
        if (rand() < 0.005) link = `${rel}#no-such-anchor`;
        lines.push(`Text about ${pick(WORDS)} with [a link](${link}) and \`code [not](a-link.md)\`.`, "");
      }
      if (rand() < 0.2) lines.push("```", `[inside fence](nowhere-${i}.md)`, "```", "");
      if (rand() < 0.1) lines.push(`External [site](https://example.com/${i}) is not checked offline.`, "");
    }
    const path = join(outDir, names[i]);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, lines.join("\n"));
  }
  writeFileSync(join(outDir, "README.md"), `# Docs\n\n${names.slice(0, 20).map((n) => `- [${n}](${n})`).join("\n")}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [kind, out, size] = process.argv.slice(2);
  const n = Number(size);
  if (!out || !Number.isInteger(n) || n < 1 || (kind !== "plan" && kind !== "markdown")) {
    process.stderr.write("usage: node test/support/generate.mjs <plan|markdown> <out> <size>\n");
    process.exit(2);
  }
  if (kind === "plan") {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, planYaml(n));
  } else {
    writeMarkdownTree(out, n);
  }
}
