import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Inward dependency rule of docs/ARCHITECTURE.md: pure modules never import IO modules.
const pureModules = ["score", "gate", "plan", "track"];
const ioModules = ["cli", "collect", "store", "server", "mcp", "exec", "telemetry"];

export default tseslint.config(
  { ignores: [".test-tmp/", "dist/", "dist-typecheck/", "node_modules/", "examples/", "coverage/", "bench/.data/", "test/fixtures/"] },
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
  ...pureModules.map((m) => ({
    files: [`src/${m}/**/*.ts`],
    rules: {
      // Types carry no IO: a pure module may name the store's row types.
      "@typescript-eslint/no-restricted-imports": ["error", {
        patterns: [
          { group: ioModules.map((io) => `../${io}/*`), allowTypeImports: true, message: `src/${m} is pure: it may not import IO modules (docs/ARCHITECTURE.md).` },
          { group: ["node:fs", "node:fs/*", "node:child_process", "node:net", "node:http"], message: `src/${m} is pure: no IO.` },
        ],
      }],
    },
  })),
  {
    files: ["src/ingest/**/*.ts", "src/store/**/*.ts", "src/config/**/*.ts", "src/collect/**/*.ts", "src/report/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../cli/*", "../../cli/*"], message: "Only cli/ may import cli/." }] }],
    },
  },
);
