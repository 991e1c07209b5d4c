import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "hono";

/** Where `npm run build` puts the dashboard (web/ built by Vite): dist/web beside dist/server. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../web/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/**
 * The dashboard's pages may load only what this server serves: no CDN, no inline script. uPlot sizes its canvas and
 * legend with style attributes, hence 'unsafe-inline' for styles only.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  body: Uint8Array;
  type: string;
}

/**
 * The built dashboard's files, read once into memory (a few hundred KB) and served by exact path only: a request can
 * name nothing but a file the build wrote, so no path can leave the folder. Hashed assets (assets/*) are immutable;
 * index.html is revalidated so a new build shows at once.
 */
export function dashboardRoutes(dir: string = DEFAULT_DASHBOARD_DIR): (c: Context) => Promise<Response | undefined> {
  let assets: Promise<Map<string, Asset> | null> | undefined;
  const load = async (): Promise<Map<string, Asset> | null> => {
    const files = new Map<string, Asset>();
    let names: string[];
    try {
      names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    } catch {
      return null;
    }
    for (const file of names.slice(0, 500)) {
      const type = TYPES[extname(file)];
      if (!type) continue;
      files.set(`/${relative(dir, file).split(sep).join("/")}`, { body: await readFile(file), type });
    }
    return files.has("/index.html") ? files : null;
  };
  return async (c) => {
    assets ??= load();
    const files = await assets;
    const path = c.req.path === "/" ? "/index.html" : c.req.path;
    if (!files) {
      if (path !== "/index.html") return undefined;
      return c.text("The dashboard is not built: run `npm run build` in shipgate's checkout (the API under /api/ works without it).\n", 404);
    }
    const asset = files.get(path);
    if (!asset) return undefined;
    const immutable = path.startsWith("/assets/");
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.type,
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "X-Content-Type-Options": "nosniff",
      ...(asset.type.startsWith("text/html") ? { "Content-Security-Policy": CSP, "Referrer-Policy": "no-referrer" } : {}),
    });
  };
}
