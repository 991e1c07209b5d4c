import { randomBytes } from "node:crypto";

/** Where commands write. Injected so tests can capture it; only main.ts binds it to the process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is an interactive terminal (progress display, colors). */
  isTty: boolean;
  /** True when running under CI (plain progress lines). */
  isCi: boolean;
  color: boolean;
  env: NodeJS.ProcessEnv;
}

/** Flags every command shares. */
export interface CommonOptions {
  cwd: string;
  db?: string;
  config?: string;
  json?: boolean;
  markdown?: boolean;
}

/**
 * Writes a human report that quotes untrusted text (test names, finding messages). Inside GitHub Actions
 * the runner reads workflow commands (`::error::`, `::stop-commands::`) from any stdout line, so the
 * report is fenced with a one-time token: nothing in it can act as a command.
 */
export function writeReport(io: CliIo, text: string): void {
  if (io.env.GITHUB_ACTIONS !== "true") {
    io.stdout(text);
    return;
  }
  const token = `shipgate-${randomBytes(12).toString("hex")}`;
  io.stdout(`::stop-commands::${token}\n${text}${text.endsWith("\n") ? "" : "\n"}::${token}::\n`);
}
