/**
 * The dashboard's only door to the server: typed GETs on the API whose shapes are src/server/api-types.ts (the one
 * file the web app shares with the server). Every path is relative, so the dashboard works behind a path prefix.
 */
import type * as Api from "../../src/server/api-types.js";

export type { Api };

/** An API answer that is not 2xx: the server's error code and message (docs/serve.md). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path.replace(/^\//, ""), { headers: { Accept: "application/json" }, ...(signal ? { signal } : {}) });
  if (!response.ok) {
    let code = "HTTP_" + response.status;
    let message = response.statusText;
    try {
      const body = (await response.json()) as Api.ApiError;
      code = body.error.code;
      message = body.error.message;
    } catch {
      // not the API's JSON error: keep the status line
    }
    throw new ApiFailure(response.status, code, message);
  }
  return (await response.json()) as T;
}

const query = (params: Record<string, string | number | boolean | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
  return entries.length === 0 ? "" : "?" + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
};

export const api = {
  snapshots: (params: { limit?: number; branch?: string } = {}, signal?: AbortSignal) => get<Api.SnapshotListResponse>("/api/snapshots" + query(params), signal),
  snapshot: (ref: string | number = "latest", signal?: AbortSignal) => get<Api.SnapshotDetailResponse>(`/api/snapshots/${encodeURIComponent(String(ref))}`, signal),
  diff: (params: { a?: string; b?: string } = {}, signal?: AbortSignal) => get<Api.DiffResponse>("/api/diff" + query(params), signal),
  gates: (signal?: AbortSignal) => get<Api.GatesResponse>("/api/gates", signal),
  gate: (params: { gate?: string; snapshot?: string; baseline?: string } = {}, signal?: AbortSignal) => get<Api.GateResponse>("/api/gate" + query(params), signal),
  plan: (signal?: AbortSignal) => get<Api.PlanResponse>("/api/plan", signal),
  gantt: (params: { date?: string; maxTasks?: number } = {}, signal?: AbortSignal) => get<Api.GanttResponse>("/api/plan/gantt" + query(params), signal),
  ganttSvgUrl: (params: { date?: string; v?: number } = {}) => "api/plan/gantt.svg" + query(params),
  tasks: (params: { state?: Api.TaskState; owner?: string } = {}, signal?: AbortSignal) => get<Api.TaskListResponse>("/api/tasks" + query(params), signal),
  runs: (params: { task?: string; agent?: string; open?: boolean; limit?: number } = {}, signal?: AbortSignal) => get<Api.RunListResponse>("/api/runs" + query(params), signal),
  runLogUrl: (id: number, tail?: number) => `api/runs/${id}/log` + query({ tail }),
  tracker: (params: { asOf?: string } = {}, signal?: AbortSignal) => get<Api.TrackerResponse>("/api/tracker" + query(params), signal),
  /** The tracker without its per-task and per-run rows: what the pages draw (a tenth of the bytes on a big program). */
  trackerSummary: (params: { asOf?: string } = {}, signal?: AbortSignal) => get<Api.TrackerSummaryResponse>("/api/tracker" + query({ ...params, view: "summary" }), signal),
  events: (params: { afterId?: number; type?: string; limit?: number } = {}, signal?: AbortSignal) => get<Api.EventListResponse>("/api/events" + query(params), signal),
};

/** The run log as text (the server streams it; the dashboard shows the tail). */
export async function runLog(id: number, tail = 400, signal?: AbortSignal): Promise<string> {
  const response = await fetch(api.runLogUrl(id, tail), signal ? { signal } : {});
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as Api.ApiError | null;
    throw new ApiFailure(response.status, body?.error.code ?? "HTTP_" + response.status, body?.error.message ?? response.statusText);
  }
  return response.text();
}
