import { readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import type { RepoFiles } from "../ingest/paths.js";
import type { RepoFact, RepoFacts } from "../snapshot/repo-facts.js";

const absent: RepoFact = { present: false, evidence: null };

/** Dependencies that show instrumentation, by what they provide. Names are matched exactly or as a prefix ending in "/". */
const INSTRUMENTATION: Record<"metrics" | "tracing" | "structured_logging", string[]> = {
  metrics: ["prom-client", "@opentelemetry/sdk-metrics", "@opentelemetry/exporter-prometheus", "prometheus_client", "prometheus-client", "statsd", "hot-shots", "micrometer-core", "github.com/prometheus/client_golang", "opentelemetry-sdk", "datadog"],
  tracing: ["@opentelemetry/", "opentelemetry-", "dd-trace", "ddtrace", "jaeger-client", "elastic-apm-node", "newrelic", "@sentry/", "sentry-sdk", "go.opentelemetry.io/otel"],
  structured_logging: ["pino", "winston", "bunyan", "@nestjs/common", "structlog", "loguru", "python-json-logger", "go.uber.org/zap", "github.com/sirupsen/logrus", "github.com/rs/zerolog", "log/slog", "logback-classic", "slf4j-api"],
};

const HEALTH_ROUTE = /["'`](\/(?:api\/)?(?:health|healthz|healthcheck|livez|readyz|ready|status|ping))["'`]/;
const SOURCE = /\.(ts|tsx|js|mjs|cjs|py|go|java|kt|rb|rs|cs)$/;
const SKIP_DIR = /(^|\/)(node_modules|dist|build|vendor|coverage|test|tests|__tests__|fixtures|examples?)\//;
/** Health-route search reads at most this many source files, smallest paths first: bounded work on huge repositories. */
const HEALTH_SCAN_LIMIT = 2000;

/**
 * Facts a reader can check by looking at the repository: documents, CI, lockfiles, and
 * instrumentation among the dependencies. Each present fact names its evidence.
 */
export async function collectRepoFacts(repo: RepoFiles): Promise<RepoFacts> {
  const files = [...repo.files];
  const first = (test: (path: string) => boolean): RepoFact => {
    const hit = files.filter(test).sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))[0];
    return hit === undefined ? absent : { present: true, evidence: hit };
  };
  const base = (p: string) => posix.basename(p).toLowerCase();
  const topOrGithub = (p: string) => !p.includes("/") || p.startsWith(".github/") || p.startsWith("docs/");

  const facts: RepoFacts = {
    readme: first((p) => !p.includes("/") && /^readme(\.|$)/.test(base(p))),
    license: first((p) => !p.includes("/") && /^(license|licence|copying)(\.|$|-)/.test(base(p))),
    security_policy: first((p) => topOrGithub(p) && /^security\.(md|txt|rst)$/.test(base(p))),
    contributing: first((p) => topOrGithub(p) && /^contributing(\.|$)/.test(base(p))),
    docs_index: first((p) => /^(docs|doc|documentation)\/(readme|index|summary)\.(md|rst|mdx)$/i.test(p) || p === "mkdocs.yml" || p === "docs/conf.py"),
    ci: first((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p) || [".gitlab-ci.yml", ".circleci/config.yml", "Jenkinsfile", "azure-pipelines.yml", ".travis.yml", "bitbucket-pipelines.yml", ".ci/run", ".buildkite/pipeline.yml"].includes(p)),
    lockfile: first((p) => ["package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lockb", "poetry.lock", "uv.lock", "Pipfile.lock", "go.sum", "Cargo.lock", "Gemfile.lock", "composer.lock"].includes(posix.basename(p)) && !SKIP_DIR.test(p)),
    metrics: absent,
    tracing: absent,
    structured_logging: absent,
    health_endpoint: absent,
  };

  // License named in package.json counts when there is no LICENSE file.
  const dependencies = await readDependencies(repo.root, files);
  if (!facts.license.present) {
    const licensed = dependencies.licenses[0];
    if (licensed) facts.license = { present: true, evidence: licensed };
  }
  for (const key of ["metrics", "tracing", "structured_logging"] as const) {
    for (const [name, manifest] of dependencies.names) {
      if (INSTRUMENTATION[key].some((dep) => (dep.endsWith("/") || dep.endsWith("-") ? name.startsWith(dep) : name === dep))) {
        facts[key] = { present: true, evidence: `${manifest} (${name})` };
        break;
      }
    }
  }
  facts.health_endpoint = await findHealthRoute(repo.root, files);
  return facts;
}

interface Dependencies {
  /** Dependency name → the manifest that declares it (first one wins). */
  names: Map<string, string>;
  /** Manifests that declare a license. */
  licenses: string[];
}

async function readDependencies(root: string, files: string[]): Promise<Dependencies> {
  const names = new Map<string, string>();
  const licenses: string[] = [];
  const add = (name: string, manifest: string) => {
    if (!names.has(name)) names.set(name, manifest);
  };
  const manifests = files.filter((p) => !SKIP_DIR.test(`${p}`) && /(^|\/)(package\.json|pyproject\.toml|requirements[^/]*\.txt|go\.mod|pom\.xml|Cargo\.toml)$/.test(p));
  for (const manifest of manifests.slice(0, 500)) {
    const text = await readFile(join(root, manifest), "utf8").catch(() => "");
    if (manifest.endsWith("package.json")) {
      try {
        const pkg = JSON.parse(text) as Record<string, unknown>;
        for (const field of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
          const deps = pkg[field];
          if (deps && typeof deps === "object") for (const name of Object.keys(deps)) add(name, manifest);
        }
        if (typeof pkg.license === "string" && pkg.license !== "UNLICENSED" && !manifest.includes("/")) licenses.push(`${manifest} (license: ${pkg.license})`);
      } catch {
        // A broken package.json is not this module's business; npm will say so.
      }
    } else if (manifest.endsWith("go.mod")) {
      // Dots only between name parts and blanks only within the line: `[\w.-]+\.[\w.-]+` could split a name
      // at any dot, and `^\s*` ran across blank lines, both quadratic on a hostile file.
      for (const m of text.matchAll(/^[ \t]*(?:require[ \t]+)?([\w-]+(?:\.[\w-]+)+\/[\w./-]+)[ \t]+v/gm)) add(m[1] as string, manifest);
    } else if (manifest.endsWith("pom.xml")) {
      for (const m of text.matchAll(/<artifactId>([\w.-]+)<\/artifactId>/g)) add(m[1] as string, manifest);
    } else {
      // pyproject.toml, requirements*.txt, Cargo.toml: names at the start of a requirement.
      for (const m of text.matchAll(/^[ \t]*["']?([A-Za-z][\w.-]*)[ \t]*(?:[<>=!~;[\]"'@ ]|$)/gm)) add((m[1] as string).toLowerCase(), manifest);
    }
  }
  return { names, licenses };
}

async function findHealthRoute(root: string, files: string[]): Promise<RepoFact> {
  const candidates = files.filter((p) => SOURCE.test(p) && !SKIP_DIR.test(p)).sort((a, b) => a.length - b.length).slice(0, HEALTH_SCAN_LIMIT);
  for (const path of candidates) {
    const text = await readFile(join(root, path), "utf8").catch(() => "");
    if (text.length > 512 * 1024) continue;
    const m = HEALTH_ROUTE.exec(text);
    if (m) {
      const line = text.slice(0, m.index).split("\n").length;
      return { present: true, evidence: `${path}:${line} (${m[1] ?? ""})` };
    }
  }
  return absent;
}
