import { relative } from "node:path";
import type { CliIo, CommonOptions } from "../output.js";

export interface InitCommandOptions extends CommonOptions {
  force?: boolean;
  stdout?: boolean;
}

/** `shipgate init`: detect the stack, write a commented shipgate.yaml and the .gitignore lines. */
export async function initCommand(options: InitCommandOptions, io: CliIo): Promise<number> {
  const { initProject } = await import("../../init/init-project.js");
  const result = await initProject({
    root: options.cwd,
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.force ? { force: true } : {}),
    ...(options.stdout ? { dryRun: true } : {}),
  });
  if (options.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  if (options.stdout) {
    io.stdout(result.config);
    return 0;
  }
  const shown = (path: string) => relative(process.cwd(), path) || path;
  const active = result.collectors.filter((c) => !c.disabled);
  const width = Math.max(0, ...result.collectors.map((c) => c.name.length));
  io.stdout(result.collectors.length ? "detected:\n" : "detected: no test runner, linter, type checker or lockfile\n");
  for (const c of result.collectors) {
    io.stdout(`  ${c.kind.padEnd(8)} ${c.name.padEnd(width)}  ${c.disabled ? `commented out: ${c.disabled}` : c.why}${c.note && !c.disabled ? ` (${c.note})` : ""}\n`);
  }
  if (result.wrote) {
    io.stdout(`wrote ${shown(result.wrote.config)} with ${active.length} collector(s)${active.length ? `: ${active.map((c) => c.name).join(", ")}` : ""}\n`);
    const { path, added } = result.wrote.gitignore;
    io.stdout(added.length ? `added ${added.join(" ")} to ${shown(path)}\n` : `${shown(path)} already ignores what shipgate writes\n`);
  }
  if (!result.schema) io.stdout("no $schema line: shipgate runs from outside this project; install it here (npm install --save-dev <its packed .tgz>) for completion in editors\n");
  io.stdout("next: review the commands, then run `shipgate assess`\n");
  return 0;
}
