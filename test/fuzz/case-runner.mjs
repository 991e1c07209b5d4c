// Child process of the fuzzer's hang guard (test/fuzz/guard.ts): parses one report file per message with
// the built parsers (dist/, built by the test suite's global setup) and answers how it ended. The parent
// kills it when a case outlives the time guard; --max-old-space-size makes a memory blow-up end it.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

// SHIPGATE_FUZZ_DIST points at another build (e.g. an older commit's) to see what the fuzzer finds there.
const root = process.env.SHIPGATE_FUZZ_DIST ? new URL(`file://${process.env.SHIPGATE_FUZZ_DIST.replace(/\/?$/, "/")}`) : new URL("../../dist/", import.meta.url);
const { detectFormat, parserFor, headForDetection, MAX_HEAD_BYTES = 4096 } = await import(new URL("ingest/registry.js", root).href);
const { boundResult } = await import(new URL("ingest/bound-result.js", root).href).catch(() => ({ boundResult: undefined }));
const { ShipgateError } = await import(new URL("errors.js", root).href);

async function readHead(path) {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(MAX_HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Detection must not throw; the parse must give a result or a ShipgateError (ParseError), nothing else. */
async function runCase({ path, format }) {
  const head = await readHead(path);
  headForDetection?.(head);
  const detected = detectFormat(head, path)?.format;
  try {
    const result = await parserFor(format).parse(createReadStream(path, { highWaterMark: 16 * 1024 }), { file: path });
    boundResult?.(result, path);
    const rows = result.tests.length + result.coverage.length + (result.findings?.length ?? 0) + (result.advisories?.length ?? 0);
    return { outcome: "result", detected, rows, diagnostics: result.diagnostics.length };
  } catch (error) {
    if (error instanceof ShipgateError) return { outcome: "shipgate-error", detected, code: error.code, message: error.message };
    return { outcome: "other-error", detected, name: error?.constructor?.name ?? typeof error, message: String(error?.stack ?? error) };
  }
}

process.on("message", (message) => {
  runCase(message).then(
    (answer) => process.send({ id: message.id, ...answer, heapMb: Math.round(process.memoryUsage().heapUsed / 1e6) }),
    (error) => process.send({ id: message.id, outcome: "other-error", name: "runner", message: String(error?.stack ?? error) }),
  );
});
process.send({ ready: true });
