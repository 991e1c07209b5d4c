import { access, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ShipgateError } from "../../errors.js";
import type { CliIo, CommonOptions } from "../output.js";

export interface InitCommandOptions extends CommonOptions {
  force?: boolean;
  stdout?: boolean;
}

/** `shipgate init`: detect the stack and write a commented shipgate.yaml. */
export async function initCommand(options: InitCommandOptions, io: CliIo): Promise<number> {
  const { detectStack, renderConfig } = await import("../../init/detect-stack.js");
  const collectors = await detectStack(options.cwd);
  const text = renderConfig(collectors, "node_modules/shipgate/schema/shipgate.schema.json");
  if (options.json) {
    io.stdout(`${JSON.stringify({ collectors, config: text }, null, 2)}\n`);
    return 0;
  }
  if (options.stdout) {
    io.stdout(text);
    return 0;
  }
  const target = join(options.cwd, options.config ?? "shipgate.yaml");
  const exists = await access(target).then(() => true, () => false);
  if (exists && !options.force) {
    throw new ShipgateError("USAGE", `[init] ${target} already exists`, { hint: "pass --force to overwrite it, or --stdout to print the proposal" });
  }
  await writeFile(target, text);
  io.stdout(`wrote ${target} with ${collectors.length} collector(s)${collectors.length ? `: ${collectors.map((c) => c.name).join(", ")}` : ""}\n`);
  io.stdout("next: review the commands, then run `shipgate assess`\n");
  return 0;
}
