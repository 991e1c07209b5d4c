// `shipgate assess --json` written to a pipe whose reader is slow, or goes away: every byte must still
// arrive in order (the JSON is written in pieces that wait for the pipe to drain, issue 14), and a reader
// that leaves early must not cost a stack trace. The digests were recorded with the code that wrote the
// summary as one string. Runs the built bin (npm run build first).
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin } from "../cli/run-cli.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("assess-stdout.json", import.meta.url);
const GEN = fileURLToPath(new URL("../support/gen-assess-input.mjs", import.meta.url));
const NOW = "2026-12-01T09:00:00.000Z";

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "shipgate-golden-stdout-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let repo = "";
beforeAll(() => {
  // 4000 covered files: a summary of about a megabyte, many times what a pipe holds (64 KB on Linux).
  execFileSync(process.execPath, [GEN, scratch, "4000"]);
  repo = join(scratch, "repo");
});

interface Reader {
  /** Called with the child's stdout once it is spawned; resolves with what was read. */
  read: (stdout: NodeJS.ReadableStream & { destroy: () => void }) => Promise<Buffer>;
}

/** Runs assess --json into a fresh store with the given stdout reader; exit code, stdout and stderr. */
function assessInto(reader: Reader, db: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, "assess", "--json", "--db", db, "--report", "coverage/lcov.info", "--report", "coverage/shard-2.info"], {
    cwd: repo,
    env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "", SHIPGATE_NOW: NOW },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const read = reader.read(child.stdout);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      read.then((out) => resolve({ code, signal, stdout: out.toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }), reject);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits before reading anything (the pipe fills up and stays full), then reads what is there, with pauses.
 * Through the async iterator: the first version polled `read()` until "end" and itself lost the tail of the
 * output under load — with `cat` or a one-line `node` writing a 1 MB file as the child, 12 runs out of 12 at
 * load 4 (regression: assess-stdout failed in CI with a prefix of the right bytes, though shipgate wrote them all).
 */
const slowReader: Reader = {
  async read(stdout) {
    const parts: Buffer[] = [];
    stdout.pause();
    await sleep(1500);
    for await (const chunk of stdout) {
      parts.push(chunk as Buffer);
      await sleep(5);
    }
    return Buffer.concat(parts);
  },
};

/** Reads everything as it comes. */
const fastReader: Reader = {
  async read(stdout) {
    const parts: Buffer[] = [];
    for await (const chunk of stdout) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  },
};

/** Reads the first piece, then closes its end of the pipe while shipgate is still writing. */
const leavingReader: Reader = {
  read(stdout) {
    return new Promise((resolve) => {
      stdout.once("data", (chunk: Buffer) => {
        stdout.destroy();
        resolve(chunk.subarray(0, 2));
      });
    });
  },
};

const pinned = (text: string) => text.split(scratch).join("<dir>").replace(/\d+ ms\b/g, "N ms");

describe("assess --json on a pipe", () => {
  it("a reader that waits and then reads slowly receives every byte, the same as a fast reader", async () => {
    const fast = await assessInto(fastReader, join(scratch, "fast.db"));
    expect(fast.code, fast.stderr).toBe(0);
    const slow = await assessInto(slowReader, join(scratch, "slow.db"));
    expect(slow.code, slow.stderr).toBe(0);
    expect(slow.stdout.length).toBeGreaterThan(512 * 1024);
    expect(slow.stdout === fast.stdout, "the slow reader got other bytes than the fast one").toBe(true);
    expectGolden(GOLDEN, "generated-4000/stdout", pinned(slow.stdout));
  });

  it("a reader that closes the pipe early ends shipgate quietly (exit 0, no EPIPE stack trace)", async () => {
    const run = await assessInto(leavingReader, join(scratch, "leaving.db"));
    expect(run.stdout).toBe("{\n");
    expect(run.stderr).not.toMatch(/EPIPE|node:events|\n\s+at /);
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 0, signal: null });
  });
});
