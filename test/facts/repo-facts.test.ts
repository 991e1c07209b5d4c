import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectRepoFacts } from "../../src/facts/repo-facts.js";
import { listRepoFiles } from "../../src/ingest/paths.js";

const repo = async (files: Record<string, string>) => {
  const root = mkdtempSync(join(tmpdir(), "shipgate-facts-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return collectRepoFacts(await listRepoFiles(root));
};

describe("repository facts", () => {
  it("finds each fact with the file that proves it", async () => {
    const facts = await repo({
      "README.md": "# x",
      "LICENSE": "MIT",
      ".github/SECURITY.md": "report to …",
      "CONTRIBUTING.md": "…",
      "docs/index.md": "# Docs",
      ".github/workflows/ci.yml": "on: push",
      "package-lock.json": "{}",
      "package.json": JSON.stringify({ dependencies: { "prom-client": "^15", pino: "^9", "@opentelemetry/api": "^1" } }),
      "src/server.ts": 'import x from "y";\n\napp.get("/healthz", ok);\n',
    });
    expect(facts).toEqual({
      readme: { present: true, evidence: "README.md" },
      license: { present: true, evidence: "LICENSE" },
      security_policy: { present: true, evidence: ".github/SECURITY.md" },
      contributing: { present: true, evidence: "CONTRIBUTING.md" },
      docs_index: { present: true, evidence: "docs/index.md" },
      ci: { present: true, evidence: ".github/workflows/ci.yml" },
      lockfile: { present: true, evidence: "package-lock.json" },
      metrics: { present: true, evidence: "package.json (prom-client)" },
      tracing: { present: true, evidence: "package.json (@opentelemetry/api)" },
      structured_logging: { present: true, evidence: "package.json (pino)" },
      health_endpoint: { present: true, evidence: "src/server.ts:3 (/healthz)" },
    });
  });

  it("reports absence as absent, with no evidence", async () => {
    const facts = await repo({ "main.py": "print(1)\n" });
    expect(Object.values(facts).every((f) => f.present === false && f.evidence === null)).toBe(true);
  });

  it("reads Python and Go dependencies and a license named in package.json", async () => {
    const facts = await repo({
      "pyproject.toml": '[project]\ndependencies = [\n  "structlog>=24",\n  "prometheus-client==0.20",\n]\n',
      "svc/go.mod": "module x\n\nrequire (\n\tgo.opentelemetry.io/otel v1.28.0\n)\n",
      "package.json": JSON.stringify({ license: "Apache-2.0" }),
    });
    expect(facts.structured_logging.evidence).toBe("pyproject.toml (structlog)");
    expect(facts.metrics.evidence).toBe("pyproject.toml (prometheus-client)");
    expect(facts.tracing.evidence).toBe("svc/go.mod (go.opentelemetry.io/otel)");
    expect(facts.license.evidence).toBe("package.json (license: Apache-2.0)");
  });
});
