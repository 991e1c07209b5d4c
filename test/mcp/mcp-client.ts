import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { bin } from "../cli/run-cli.js";

/**
 * A temporary project with a plan: agents a and b (cli agents with no command: they work the queue through MCP),
 * one phase, `tasks` as YAML flow mappings (phase p, estimate 1 filled in), and an optional `execution:` body.
 */
export function planProject(tasks: string[], execution?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-mcp-"));
  const lines = [
    "version: 1",
    "agents:",
    "  - { id: a, kind: cli }",
    "  - { id: b, kind: cli }",
    "phases:",
    "  - { id: p, name: P }",
    "tasks:",
    ...tasks.map((t) => `  - { phase: p, estimate: 1, ${t} }`),
    ...(execution ? ["execution:", ...execution.split("\n").map((l) => `  ${l}`)] : []),
  ];
  writeFileSync(join(dir, "shipgate.plan.yaml"), `${lines.join("\n")}\n`);
  return dir;
}

export interface Connected {
  client: Client;
  /** What the server wrote to stderr so far. */
  stderr: () => string;
  close: () => Promise<void>;
}

/** `shipgate mcp ARGS` (the built bin) in `cwd`, connected through the SDK's own client over stdio. */
export async function connect(cwd: string, args: string[] = []): Promise<Connected> {
  const env = Object.fromEntries(Object.entries({ ...process.env, NO_COLOR: "1", CI: "", SHIPGATE_AGENT: "" }).filter((e): e is [string, string] => e[1] !== undefined));
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, "mcp", ...args], cwd, env, stderr: "pipe" });
  let err = "";
  transport.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const client = new Client({ name: "shipgate-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => err, close: () => client.close() };
}

export interface ToolResult {
  isError: boolean;
  text: string;
  structured: Record<string, unknown> | undefined;
}

/** Calls a tool; the result's text, structured content and error flag (the client validated the structure). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  const result = await client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text?: string }[];
  return {
    isError: result.isError === true,
    text: content.map((c) => c.text ?? "").join("\n"),
    structured: result.structuredContent as Record<string, unknown> | undefined,
  };
}

/** The lease of a successful claim_task result. */
export function leaseOf(result: ToolResult): { run: number; epoch: number; leaseExpiresAt: string; heartbeatSeconds: number } {
  if (result.isError) throw new Error(`claim failed: ${result.text}`);
  const lease = result.structured?.lease as { run: number; epoch: number; leaseExpiresAt: string; heartbeatSeconds: number } | undefined;
  if (!lease) throw new Error(`no task was claimed: ${result.text}`);
  return lease;
}
