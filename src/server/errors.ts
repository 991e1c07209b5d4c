import { isShipgateError, type ErrorCode } from "../errors.js";
import type { ApiError } from "./api-types.js";

export type ApiErrorCode = ApiError["error"]["code"];

/** An HTTP status for every code a request can cause: bad input is 4xx, never a 500. */
const STATUS: Partial<Record<ApiErrorCode, number>> = {
  USAGE: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN_HOST: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  NOT_READY: 409,
  LEASE_LOST: 409,
  PAYLOAD_TOO_LARGE: 413,
  // The server's own files (the plan, shipgate.yaml) do not validate: nothing the request can fix, but no crash.
  PLAN_INVALID: 422,
  CONFIG_INVALID: 422,
  STORE_UNAVAILABLE: 503,
  UNAVAILABLE: 503,
  // The client went away while acceptance or ready_when ran.
  INTERRUPTED: 503,
  // The server's checkout is not a git repository (a gate's changed lines): not the request's fault either.
  GIT_FAILED: 503,
};

export const statusOf = (code: ApiErrorCode): number => STATUS[code] ?? 500;

/** A JSON error body. */
export const apiError = (code: ApiErrorCode, message: string, hint: string | null = null): ApiError => ({ error: { code, message, hint } });

/** Any thrown value as a status and body; a foreign error is INTERNAL and shows no stack or detail. */
export function errorResponse(error: unknown): { status: number; body: ApiError } {
  if (isShipgateError(error)) {
    const code: ErrorCode = error.code;
    return { status: statusOf(code), body: apiError(code, error.message, error.hint ?? null) };
  }
  return { status: 500, body: apiError("INTERNAL", "[server] internal error", "this is a bug in shipgate; the server's stderr has its stack trace") };
}
