import js from "@eslint/js";
import tseslint from "typescript-eslint";

// ---- The inward dependency rule (DESIGN.md, Layout; docs/ARCHITECTURE.md) -------------------------
// Entry points → app (use cases) → pure core; adapters do the IO and are handed to app by the entry
// points. test/architecture/lint-boundaries.test.ts proves that each kind of forbidden import fails.
// Folders are matched by their name in relative specifiers ("../store/x.js", "../../store/x.js"), so a
// subfolder must not reuse a top-level folder's name (src/plan/store/ would count as src/store/).

/** Entry points: the only code that knows flags, HTTP, MCP and exit codes. */
const entryPoints = ["cli", "server", "mcp"];
/** The pure core: rules and computations, no IO. */
const core = ["score", "gate", "plan", "track", "snapshot"];
/**
 * Adapters whose types are contracts the core names: report records (ingest), repository facts (facts),
 * store rows (store) and the validated shape of shipgate.yaml and the plan (config) — a gate's
 * conditions and a plan's tasks are shaped by the schema, and re-declaring them in the core would copy
 * it. Types are erased: no IO, and no module of theirs, reaches the core. Their values stay out: parsers,
 * drivers and loaders do IO, and config's schema imports gate, score and plan (a value import would be a
 * cycle).
 */
const typeContracts = ["ingest", "facts", "store", "config"];
/**
 * The contract files themselves are declarations (and constants such as ADVISORY_FORMATS): the core may
 * import their values, and they are held to the core's rules so that this stays true.
 */
const contractFiles = ["ingest/types", "store/types", "store/task-state", "store/tables"];
/** What the core may not import at all, not even types: use cases, the other adapters, the old pipeline. */
const offLimitsForCore = ["app", "collect", "git", "exec", "telemetry", "report", "init", "assess"];
/**
 * Built-ins that do IO, or open a door to it the import rule cannot see: `module` (createRequire loads
 * anything), `process` (env, exit, stdout), `sqlite` (node:sqlite). With and without "node:", subpaths too.
 */
const ioBuiltins = ["fs", "net", "http", "https", "http2", "child_process", "worker_threads", "cluster", "os", "dns", "dgram", "tls", "readline", "repl", "inspector", "module", "process", "sqlite"];
/** Packages that do IO or belong to an entry point. */
const ioPackages = ["better-sqlite3", "pg", "pg-[^/]+", "tinyglobby", "commander", "hono", "@hono/[^/]+", "prom-client", "@opentelemetry/[^/]+", "@modelcontextprotocol/[^/]+"];

const anyOf = (names) => `(${names.join("|")})`;
/** A relative specifier reaching src/<name>/ from a file in a folder of src/ ("../x/…", "../../x/…"). */
const fromFolder = (names) => `^(\\.\\./)+${anyOf(names)}(/|$)`;
/** The same from a file directly in src/ (index.ts): "./x/…". */
const fromRoot = (names) => `^\\./${anyOf(names)}(/|$)`;
/** esquery regexes may hold no "/": \x2F stands for it. */
const asSelector = (regex) => regex.replaceAll("/", "\\x2F");

/**
 * `@typescript-eslint/no-restricted-imports` checks import and export declarations (and `import x =
 * require()`), not `import()` expressions: `no-restricted-syntax` checks those with the same regexes
 * (string literals; a computed specifier cannot be checked, which is why the core may use none).
 * Restrictions are one entry per set of files, and the sets are disjoint: a later entry naming the same
 * rule for the same file would replace these options, not add to them.
 */
function restrict(files, message, regexes, extra = {}) {
  return {
    files,
    ...extra,
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: regexes.map((regex) => ({ regex, message })) }],
      "no-restricted-syntax": ["error", ...regexes.map((regex) => ({ selector: `ImportExpression[source.value=/${asSelector(regex)}/]`, message }))],
    },
  };
}

/** The core's rules for `files`; `name` says whose they are in the messages. */
const pureRules = (files, name) => ({
  files,
  rules: {
    "@typescript-eslint/no-restricted-imports": ["error", {
      patterns: [
        { regex: fromFolder([...entryPoints, ...offLimitsForCore]), message: `${name} is pure core: it imports no entry point, use case or IO adapter, not even types (DESIGN.md, Layout). Take what it needs as a parameter.` },
        // A type import passes every pattern once one pattern matching it allows types: this one overlaps no other.
        {
          regex: `^(?!(\\.\\./)+${anyOf(contractFiles)}\\.js$)(\\.\\./)+${anyOf(typeContracts)}(/|$)`,
          allowTypeImports: true,
          message: `${name} is pure core: from ${typeContracts.map((c) => `${c}/`).join(", ")} it may import types only (\`import type\`), values only from ${contractFiles.map((f) => `${f}.ts`).join(" and ")}; let the caller pass the rest in.`,
        },
        { regex: `^(node:)?${anyOf(ioBuiltins)}(/.*)?$`, message: `${name} is pure core: no IO built-ins. Let an adapter read, write, spawn or connect and pass the result in.` },
        { regex: `^${anyOf(ioPackages)}(/.*)?$`, message: `${name} is pure core: this package does IO or belongs to an entry point; use it from an adapter or an entry point.` },
      ],
    }],
    "no-restricted-syntax": ["error", { selector: "ImportExpression", message: `${name} is pure core: it loads no code at run time. Import statically, so that the boundary rule can check the import.` }],
    "no-restricted-globals": ["error",
      { name: "process", message: `${name} is pure core: take environment, working directory or time as a parameter.` },
      { name: "fetch", message: `${name} is pure core: no network; let an adapter fetch and pass the result in.` },
    ],
  },
});

const boundaries = [
  ...core.map((m) => pureRules([`src/${m}/**/*.ts`], `src/${m}`)),
  ...contractFiles.map((f) => pureRules([`src/${f}.ts`], `src/${f}.ts (a contract the core imports)`)),
  restrict(["src/app/**/*.ts"], "src/app holds the use cases every entry point shares: it imports no entry point, and not telemetry/ (which implements app's hooks, DESIGN.md).", [fromFolder([...entryPoints, "telemetry"])]),
  restrict(["src/server/**/*.ts", "src/mcp/**/*.ts"], "Only src/cli imports src/cli: move what both need to app/ or a core module.", [fromFolder(["cli"])]),
  restrict(["src/*/**/*.ts"], "Entry points (cli/, server/, mcp/) are imported by no adapter: move what both need to app/ or a core module.", [fromFolder(entryPoints)], {
    ignores: [...[...core, ...entryPoints, "app"].map((f) => `src/${f}/**`), ...contractFiles.map((f) => `src/${f}.ts`)],
  }),
  restrict(["src/*.ts"], "Only src/cli imports src/cli: the library API exports use cases and core functions, not commands.", [fromRoot(["cli"])]),
];

export default tseslint.config(
  { ignores: [".test-tmp/", "dist/", "dist-typecheck/", "node_modules/", "examples/", "coverage/", "bench/.data/", "test/fixtures/", "docs/trials/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ["*.js"] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    files: ["src/cli/**/*.ts", "bench/**", "scripts/**", "test/**", "*.js"],
    rules: { "no-console": "off" },
  },
  {
    files: ["bench/**/*.mjs", "scripts/*.mjs", "test/**/*.mjs", "*.js"],
    ...tseslint.configs.disableTypeChecked,
    // disableTypeChecked's own languageOptions are replaced here, so it switches the project service off itself.
    languageOptions: {
      parserOptions: { projectService: false, project: false, program: null },
      globals: { process: "readonly", console: "readonly", URL: "readonly", performance: "readonly", Buffer: "readonly", setTimeout: "readonly" },
    },
  },
  ...boundaries,
  // The dashboard (web/) runs in a browser: it shares types with the server through src/server/api-types.ts only
  // (the API's contract), and no Node built-in reaches it.
  {
    files: ["web/src/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", {
        patterns: [
          { regex: "^(\\.\\./)+src/(?!server/api-types\\.js$)", message: "the dashboard imports from src/ only the API's types (src/server/api-types.ts): ask the server for anything else." },
          { regex: "^(\\.\\./)+src/server/api-types\\.js$", allowTypeImports: true, message: "the dashboard imports the API's types only (import type)." },
          { regex: `^(node:)?${anyOf(ioBuiltins)}(/.*)?$`, message: "the dashboard runs in a browser: no Node built-ins." },
        ],
      }],
    },
  },
);
