/** A date (YYYY-MM-DD, UTC), or a date-time with a zone (Z or ±hh:mm): the times the track modules accept. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Milliseconds since the epoch of an ISO 8601 date or date-time with a zone; NaN for anything else (the caller words the error). */
export function isoMs(value: unknown): number {
  return typeof value === "string" && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
}
