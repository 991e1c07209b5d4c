import type { StoreEvent } from "../../src/server/api-types.js";

/** Reads server-sent events from a response body until `count` events arrived (or the test's timeout). */
export async function readEvents(response: Response, count: number, comments: string[] = []): Promise<{ id: string; event: string; data: StoreEvent }[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { id: string; event: string; data: StoreEvent }[] = [];
  let buffer = "";
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(":")) {
        comments.push(block);
        continue;
      }
      const field = (name: string) => block.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
      events.push({ id: field("id"), event: field("event"), data: JSON.parse(field("data")) as StoreEvent });
    }
  }
  await reader.cancel();
  return events;
}
