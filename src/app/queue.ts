// The queue's use cases: what the CLI, the MCP server, the HTTP server and the dispatcher call. They take a store
// and a synced plan, return data, and never print; refusals are QueueErrors whose `refusal` an entry point words.
export { isQueueError, QueueError, type CheckKind, type QueueRefusal } from "./queue/errors.js";
export { checkFinishRequest, checkMoveRequest, finishTask, moveTask, type FinishRequest, type FinishResult, type MoveRequest, type MoveTarget } from "./queue/finish.js";
export { listTasks, nextTask, taskStates, TASK_STATES, type NextTaskResult, type QueueCounts, type TaskFilter } from "./queue/read.js";
export { claimWithLease, startTask, type BlockedTask, type LeaseRequest, type LeaseResult, type StartRequest, type StartResult } from "./queue/start.js";
export type { CheckingQueueContext, CheckRequest, CheckRun, QueueContext, QueueProgress, RunCheck } from "./queue/types.js";
