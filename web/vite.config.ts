import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The dashboard (docs/serve.md): built into dist/web, which `shipgate serve` serves at `/`. Relative asset paths, so
 * it works under any prefix a proxy puts it; no CDN, everything bundled.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 300,
  },
  server: { proxy: { "/api": "http://127.0.0.1:7077", "/metrics": "http://127.0.0.1:7077" } },
});
