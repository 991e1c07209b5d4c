import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, shipgate, tempDir } from "../cli/run-cli.js";

const PLAN = `version: 1
project: serve test
start: 2026-12-01
agents:
  - { id: bob, kind: human, capacity: 8 }
phases:
  - { id: p1, name: One }
tasks:
  - { id: T1, title: First, phase: p1, owner: bob, estimate: 2 }
  - { id: T2, title: Second, phase: p1, owner: bob, estimate: 2 }
`;

/** `shipgate serve` as a real process; resolves with its URL once it printed it. */
function startServe(args: string[], cwd: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--cwd", cwd, ...args], { env: { ...process.env, NO_COLOR: "1", CI: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /shipgate serve: (http:\/\/\S+\/)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1], stderr: () => err });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

describe("shipgate serve over a real socket", () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServe>>;
  beforeAll(async () => {
    dir = tempDir();
    writeFileSync(join(dir, "shipgate.plan.yaml"), PLAN);
    server = await startServe([], dir);
  });
  afterAll(() => {
    if (server.child.exitCode === null) server.child.kill("SIGKILL");
  });

  it("binds 127.0.0.1 and writes a token readable by its owner only, printed once on stderr", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const token = readFileSync(join(dir, ".shipgate/token"), "utf8").trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, ".shipgate/token")).mode & 0o777).toBe(0o600);
    expect(server.stderr().split(token).length - 1).toBe(1);
  });

  it("an SSE client sees a task started by the CLI in another process", async () => {
    const controller = new AbortController();
    const response = await fetch(new URL("api/events/stream", server.url), { signal: controller.signal });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    // The stream says it is connected before anything is written by the other process.
    let text = "";
    while (!text.includes(": connected")) text += decoder.decode((await reader.read()).value, { stream: true });
    const started = shipgate(["task", "start", "T1", "--agent", "bob", "--cwd", dir]);
    expect(started.code, started.stderr).toBe(0);
    // The 2 s are a timeout, not a measurement: the event must arrive, and does within it.
    const seen = await Promise.race([
      (async () => {
        while (!/event: task\.started\n/.test(text)) {
          const { value, done } = await reader.read();
          if (done) return false;
          text += decoder.decode(value, { stream: true });
        }
        return true;
      })(),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000)),
    ]);
    controller.abort();
    expect(seen, text).toBe(true);
    const data = /event: task\.started\ndata: (.*)\n/.exec(text)?.[1] ?? "{}";
    expect(JSON.parse(data)).toMatchObject({ type: "task.started", subject: "T1", data: { to: "in_progress", agent: "bob" } });
  });

  it("refuses a change without the token and makes it with the token", async () => {
    const token = readFileSync(join(dir, ".shipgate/token"), "utf8").trim();
    const url = new URL("api/tasks/T1/done", server.url);
    const body = JSON.stringify({ agent: "bob" });
    const refused = await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json" } });
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([401, "UNAUTHORIZED"]);
    const done = await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` } });
    expect(done.status).toBe(200);
    expect(((await done.json()) as { task: { state: string } }).task.state).toBe("done");
    const tasks = (await (await fetch(new URL("api/tasks", server.url))).json()) as { id: string; state: string }[];
    expect(tasks.map((t) => [t.id, t.state])).toEqual([
      ["T1", "done"],
      ["T2", "pending"],
    ]);
  });

  it("stops on SIGTERM with exit code 0", async () => {
    server.child.kill("SIGTERM");
    expect(await exited(server.child)).toBe(0);
  });
});

describe("shipgate serve refuses", () => {
  it("to bind 0.0.0.0 without --token-file (exit 2, nothing served)", () => {
    const dir = tempDir();
    const result = shipgate(["serve", "--host", "0.0.0.0", "--port", "0", "--cwd", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--token-file");
    expect(result.stdout).toBe("");
  });

  it("a token file with a short token, and a port that is not a number", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "token"), "short\n");
    const short = shipgate(["serve", "--host", "0.0.0.0", "--token-file", "token", "--port", "0", "--cwd", dir]);
    expect([short.code, short.stderr]).toEqual([2, expect.stringContaining("at least 16 characters")]);
    const port = shipgate(["serve", "--port", "http", "--cwd", dir]);
    expect([port.code, port.stderr]).toEqual([2, expect.stringContaining("--port must be 0–65535")]);
  });

  it("serves 0.0.0.0 with a token file, and that token is the one it accepts", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "shipgate.plan.yaml"), PLAN);
    writeFileSync(join(dir, "token"), "a-shared-token-0123456789\n");
    const server = await startServe(["--host", "0.0.0.0", "--token-file", "token"], dir);
    try {
      const port = new URL(server.url).port;
      const url = `http://127.0.0.1:${port}/api/tasks/T2/block`;
      const init = (auth: string) => ({ method: "POST", body: JSON.stringify({ agent: "bob", reason: "r" }), headers: { "Content-Type": "application/json", Authorization: auth } });
      expect((await fetch(url, init("Bearer not-the-token-0123456789"))).status).toBe(401);
      expect((await fetch(url, init("Bearer a-shared-token-0123456789"))).status).toBe(200);
      expect(server.stderr()).not.toContain("a-shared-token");
    } finally {
      server.child.kill("SIGTERM");
      await exited(server.child);
    }
  });
});
