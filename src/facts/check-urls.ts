/** What one URL answered. `ok` is false when a reader following the link would hit an error. */
export interface UrlStatus {
  ok: boolean;
  /** The final HTTP status, when there was a response. */
  status: number | undefined;
  /** Short text for a failure: "HTTP 404", "timed out after 10000 ms", "connection refused (ECONNREFUSED)". */
  reason: string | undefined;
  /** 429: the server asked us to slow down, so the link's health is unknown (not counted as broken). */
  isRateLimited: boolean;
}

export interface CheckUrlsOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Per request (HEAD and the GET fallback each get their own). */
  timeoutMs: number;
  /** Called after each URL is settled. */
  onChecked?: (url: string, status: UrlStatus) => void;
}

const HEADERS = { "user-agent": "shipgate docs link check", accept: "*/*" };

/** Checks each URL once (HEAD, then GET when the server does not allow HEAD). Never rejects. */
export async function checkUrls(urls: readonly string[], options: CheckUrlsOptions): Promise<Map<string, UrlStatus>> {
  const results = new Map<string, UrlStatus>();
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++];
      if (url === undefined) break;
      const status = await checkUrl(url, options.timeoutMs);
      results.set(url, status);
      options.onChecked?.(url, status);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, urls.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function checkUrl(url: string, timeoutMs: number): Promise<UrlStatus> {
  try {
    let response = await request(url, "HEAD", timeoutMs);
    if (response === 405 || response === 501) response = await request(url, "GET", timeoutMs);
    if (response === 429) return { ok: true, status: response, reason: "HTTP 429 (rate limited)", isRateLimited: true };
    const ok = response < 400;
    return { ok, status: response, reason: ok ? undefined : `HTTP ${response}`, isRateLimited: false };
  } catch (error) {
    return { ok: false, status: undefined, reason: describeFailure(error, timeoutMs), isRateLimited: false };
  }
}

async function request(url: string, method: "HEAD" | "GET", timeoutMs: number): Promise<number> {
  const response = await fetch(url, { method, headers: HEADERS, redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
  // Only the status matters: release the connection instead of downloading the page.
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") return `timed out after ${timeoutMs} ms`;
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const code = typeof cause?.code === "string" ? cause.code : undefined;
    if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host not found (${code})`;
    if (code === "ECONNRESET") return "connection reset (ECONNRESET)";
    if (code !== undefined) return `request failed (${code})`;
    if (typeof cause?.message === "string") return `request failed: ${cause.message}`;
    return `request failed: ${error.message}`;
  }
  return `request failed: ${String(error)}`;
}
