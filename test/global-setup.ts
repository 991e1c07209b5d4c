import { execFileSync } from "node:child_process";
import { chmodSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** CLI tests run the built bin, as a user would: build it (and the dashboard it serves) once before all tests. */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, "build", "--config", "web/vite.config.ts"], { cwd: root, stdio: "inherit" });
  chmodSync(`${root}dist/cli/main.js`, 0o755);
  rmSync(`${root}.test-tmp`, { recursive: true, force: true });
}
