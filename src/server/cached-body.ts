import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";

const gzip = promisify(gzipCallback);

/** Below this many bytes an answer is sent as it is: gzip would save less than its header and a round of work. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * An answer serialized once and kept by the response cache: its bytes, a validator, and its gzip form, computed the
 * first time a client that accepts gzip asks (once for every such client while the entry lives). Brotli is left
 * out: on the 7 MB tracker quality 4 took as long as gzip -6 for the same size, quality 5 twice as long for 5 % less,
 * and quality 11 (the default) 15 s.
 */
export interface CachedBody {
  contentType: string;
  body: Buffer;
  /** Weak: the same JSON is sent gzipped or not (RFC 9110 §8.8.1); a hash of the bytes, so a recomputed equal answer keeps it. */
  etag: string;
  gzipped?: Promise<Buffer>;
  /** Headers that belong to this answer (e.g. a page's X-Total-Count), sent with it and with its 304. */
  headers?: Record<string, string>;
}

export function cachedBody(contentType: string, text: string): CachedBody {
  const body = Buffer.from(text, "utf8");
  return { contentType, body, etag: `W/"${createHash("sha1").update(body).digest("base64url")}"` };
}

/** A JSON answer as the API serializes it (Hono's `c.json` writes the same bytes). */
export function cachedJson(value: unknown, headers?: Record<string, string>): CachedBody {
  const entry = cachedBody("application/json", JSON.stringify(value));
  return headers ? { ...entry, headers } : entry;
}

/** Bytes an entry holds (its gzip form counted once it exists, as an estimate of a fifth). */
export function cachedBodyBytes(entry: CachedBody): number {
  return entry.body.length + (entry.body.length >= COMPRESS_FROM_BYTES ? Math.ceil(entry.body.length / 5) : 0);
}

/**
 * The response for `request`: 304 when its If-None-Match names the entry's ETag, else 200 with the body, gzipped
 * when the client accepts gzip and the body is worth it. Always `Vary: Accept-Encoding`, the ETag, and
 * `Cache-Control: no-cache` (a browser may keep it but asks again each time, and gets a 304 while nothing changed).
 */
export async function sendCached(request: Request, entry: CachedBody): Promise<Response> {
  const headers: Record<string, string> = { ...entry.headers, ETag: entry.etag, Vary: "Accept-Encoding", "Cache-Control": "no-cache" };
  if (matchesEtag(request.headers.get("If-None-Match"), entry.etag)) return new Response(null, { status: 304, headers });
  headers["Content-Type"] = entry.contentType;
  if (entry.body.length >= COMPRESS_FROM_BYTES && acceptsGzip(request.headers.get("Accept-Encoding"))) {
    entry.gzipped ??= gzip(entry.body);
    const gzipped = await entry.gzipped;
    headers["Content-Encoding"] = "gzip";
    headers["Content-Length"] = String(gzipped.length);
    return new Response(gzipped, { status: 200, headers });
  }
  headers["Content-Length"] = String(entry.body.length);
  return new Response(entry.body, { status: 200, headers });
}

/** If-None-Match against a weak ETag: weak comparison (W/ ignored), a list, or `*`. */
export function matchesEtag(header: string | null, etag: string): boolean {
  if (header === null) return false;
  const opaque = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === opaque;
  });
}

/** Accept-Encoding names gzip (or `*`) with a quality above 0. Linear: one split, no backtracking. */
export function acceptsGzip(header: string | null): boolean {
  if (header === null) return false;
  let star: boolean | undefined;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === "gzip" || name === "x-gzip") return accepted;
    if (name === "*") star = accepted;
  }
  return star ?? false;
}
