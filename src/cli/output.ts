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
