import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import type { GateResult } from "../../src/gate/types.js";
import { scratchRepo } from "../scratch-repo.js";
import { fixture, shipgate } from "./run-cli.js";

describe("docs links of the repository only", () => {
  it("regression: a broken link inside a git-ignored .tox/ no longer fails the release gate (assess and docs check)", () => {
    const repo = scratchRepo("docs-tox-");
    repo.write({ ".gitignore": ".tox/\n.venv/\n.shipgate/\n", "README.md": "# Project\n\n[contributing](CONTRIBUTING.md)\n", "CONTRIBUTING.md": "# Contributing\n" });
    repo.commit("docs");
    // What tox and a virtual environment leave: installed packages with their own READMEs and relative links.
    repo.write({
      ".tox/py311/lib/python3.11/site-packages/pkg-1.0.dist-info/README.md": "[changes](CHANGES.md)\n",
      ".venv/lib/python3.11/site-packages/other/docs/index.md": "[api](api.md)\n",
    });
    const assessed = shipgate(["assess", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml"), "--gate", "release", "--json"], { cwd: repo.dir });
    const out = JSON.parse(assessed.stdout) as AssessSummary & { gate: GateResult };
    expect(out.docs).toMatchObject({ brokenLinks: 0, files: 2 });
    expect(out.gate.conditions.find((c) => c.id === "docs.broken_links")).toMatchObject({ verdict: "pass", value: 0 });

    const check = shipgate(["docs", "check"], { cwd: repo.dir });
    expect(check).toMatchObject({ code: 0, stdout: "no broken links — 2 files and 1 link checked\n" });
  });
});
