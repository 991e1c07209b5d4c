#!/usr/bin/env node
// The bin: binds the CLI to the process. The only place that sets the exit code. `--version` answers
// before the command-line parser is even loaded: start-up time is what an agent calling shipgate in a
// loop pays every time.
import { once } from "node:events";
import type { CliIo } from "./output.js";

const args = process.argv.slice(2);

// A reader that stops early (`shipgate task list | head`) closes the pipe: stop quietly, as git and grep do,
// instead of dying on an unhandled EPIPE with a stack trace. Anything else on the streams is a real error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    throw error;
  });
}
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const { readVersion } = await import("./version.js");
  process.stdout.write(`${readVersion()}\n`);
} else {
  const [{ runCli }, { InterruptedError }] = await Promise.all([import("./program.js"), import("../errors.js")]);
  let controller: AbortController | undefined;
  const interruptible = (): AbortSignal => {
    if (controller) return controller.signal;
    const abort = new AbortController();
    controller = abort;
    const onSignal = (signal: NodeJS.Signals) => {
      const code = signal === "SIGINT" ? 130 : 143;
      if (abort.signal.aborted) {
        // The second one: stop waiting for the commands to end (exec/process kills their groups on exit).
        process.exit(code);
      }
      process.stderr.write(`\n${signal}: stopping the commands shipgate started (${signal === "SIGINT" ? "Ctrl-C" : "the signal"} again to force)\n`);
      abort.abort(new InterruptedError(`interrupted by ${signal}`, signal));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return abort.signal;
  };
  const io: CliIo = {
    stdout: (text) => void process.stdout.write(text),
    // A closed pipe ends the process in the error handler above, so a drain that never comes is not awaited forever.
    drain: () => (process.stdout.writableNeedDrain ? once(process.stdout, "drain").then(() => undefined) : Promise.resolve()),
    stderr: (text) => void process.stderr.write(text),
    isTty: process.stderr.isTTY,
    isCi: process.env.CI === "true" || process.env.CI === "1",
    color: process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb",
    env: process.env,
    interruptible,
  };
  process.exitCode = await runCli(args, io);
}
