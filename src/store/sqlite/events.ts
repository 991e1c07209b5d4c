import type { NewEvent, StoreEvent } from "../types.js";
import type { Db } from "./connection.js";

/** Appends one event (inside the caller's transaction, when there is one) and returns it as stored. */
export function eventWriter(db: Db): (event: NewEvent) => StoreEvent {
  const insert = db.prepare("INSERT INTO event (at, type, subject, data) VALUES (?, ?, ?, ?)");
  return (event) => {
    const data = event.data === undefined ? null : JSON.stringify(event.data);
    const id = Number(insert.run(event.at, event.type, event.subject ?? null, data).lastInsertRowid);
    return { id, at: event.at, type: event.type, subject: event.subject ?? null, data: event.data ?? null };
  };
}
