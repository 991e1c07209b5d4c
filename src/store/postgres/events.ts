import type { NewEvent, StoreEvent } from "../types.js";
import type { Queryable } from "./connection.js";

/** Appends events in one statement (inside the caller's transaction, when there is one), in order; returns them as stored. */
export async function insertEvents(db: Queryable, events: readonly NewEvent[]): Promise<StoreEvent[]> {
  if (events.length === 0) return [];
  const params: unknown[] = [];
  const values = events.map((e) => {
    params.push(e.at, e.type, e.subject ?? null, e.data === undefined ? null : JSON.stringify(e.data));
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
  });
  // A multi-row VALUES insert takes its ids in row order; ORDER BY puts RETURNING in that order too.
  const result = await db.query<{ id: number }>(`WITH ins AS (INSERT INTO event (at, type, subject, data) VALUES ${values.join(", ")} RETURNING id) SELECT id FROM ins ORDER BY id`, params);
  return events.map((e, i) => ({ id: result.rows[i]!.id, at: e.at, type: e.type, subject: e.subject ?? null, data: e.data ?? null }));
}

export async function insertEvent(db: Queryable, event: NewEvent): Promise<StoreEvent> {
  return (await insertEvents(db, [event]))[0]!;
}
