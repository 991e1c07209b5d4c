import { z } from "zod";
import type { TaskRecord } from "../store/types.js";

// The tools' input and output shapes. tools/list carries every one of them to the agent's context on each session,
// so descriptions are short and shapes are shared (test/mcp/server.test.ts prints the size and bounds it).

// Outputs say `number`: an integer schema also carries ±2^53 bounds, some 60 bytes each in tools/list.
const int = z.number();
/**
 * Ids as plain numbers: an integer schema's ±2^53 bounds would double their size, and a minimum costs 12 bytes per
 * field; the store finds no run 0 or 1.5 (NOT_FOUND, or LEASE_LOST for an epoch).
 */
const id = z.number();

export const runInput = {
  run: id.describe("from claim_task"),
  epoch: id.describe("from claim_task"),
};

export const taskIdInput = z.string().min(1).optional().describe("a task id; default your next ready task");

export const reasonInput = z.string().min(1).describe("why it failed");

/**
 * `agent` when the server was not started for one agent; nothing when it was (it is fixed). Typed as optional either
 * way: the handler checks it is there when it is required.
 */
export const agentInput = (fixed: boolean, required: boolean) =>
  (fixed ? {} : { agent: required ? z.string().describe("your agent id in the plan") : z.string().optional().describe("an agent id") }) as { agent: z.ZodOptional<z.ZodString> };

/** A task as the tools return it (its owner is the agent asking, or named by `status`'s filter). */
export const taskOutput = z.object({ id: z.string(), title: z.string(), state: z.string(), attempts: int });

export type TaskOutput = z.infer<typeof taskOutput>;

export const taskView = (t: TaskRecord): TaskOutput => ({ id: t.id, title: t.title, state: t.state, attempts: t.attempts });

/** Where the agent's tasks stand when none is ready: done, inProgress, waiting (for dependencies), blocked. */
export const countsOutput = z.record(z.string(), int);

export const leaseOutput = z.object({ run: int, epoch: int, leaseExpiresAt: z.string(), heartbeatSeconds: int });

// Absent rather than null: a nullable field costs an anyOf in tools/list.
export const nextOutput = z.object({ task: taskOutput.optional(), counts: countsOutput.optional() });

export const claimOutput = z.object({
  task: taskOutput.optional(),
  lease: leaseOutput.optional(),
  brief: z.string().optional(),
  /** Tasks passed over because their ready_when failed (now blocked), as "ID: reason". */
  blocked: z.array(z.string()),
});

export const heartbeatOutput = z.object({ leaseExpiresAt: z.string(), heartbeatSeconds: int });

export const completeOutput = z.object({
  verdict: z.enum(["done", "failed"]),
  task: z.string(),
  state: z.string(),
  /** Absent: the task has no acceptance command. exitCode absent: killed or never started. */
  acceptance: z.object({ command: z.string(), exitCode: int.optional(), timedOut: z.boolean(), tail: z.string() }).optional(),
  /** The plan's execution.gate, when it names one. */
  gate: z.object({ name: z.string(), verdict: z.enum(["passed", "failed", "not-checked"]) }).optional(),
  /**
   * The files the checkout changed since the claim against the task's `files`: failed under `ownership: enforce`,
   * warned under `warn`, not-checked outside git. Flat fields: every nested object costs its schema in tools/list.
   */
  ownership: z.enum(["passed", "failed", "warned", "not-checked"]),
  /** The changed files the task does not own (first 100). */
  outside: z.array(z.string()).optional(),
  /** Changes not committed yet (first 100): allowed, but the agent should commit them. */
  uncommitted: z.array(z.string()).optional(),
});

export type CompleteOutput = z.infer<typeof completeOutput>;

export const endOutput = z.object({ task: z.string(), state: z.string(), run: int, outcome: z.string() });

export const statusOutput = z.object({
  counts: z.record(z.string(), int),
  tasks: z.array(taskOutput),
  running: z.array(z.object({ run: int, task: z.string(), agent: z.string(), leaseExpiresAt: z.string() })),
});

export const handoffOutput = z.object({ agent: z.string(), markdown: z.string() });
