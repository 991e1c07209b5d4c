// A tiny OTLP/HTTP JSON receiver: appends every span (with its resource attributes) to a JSON-lines file.
import { createServer } from "node:http";
import { appendFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
const [port, out] = process.argv.slice(2);
const flat = (attrs = []) => Object.fromEntries(attrs.map((a) => [a.key, Object.values(a.value ?? {})[0]]));
createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body = Buffer.concat(chunks);
    if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
    if (req.url !== "/v1/traces" || !String(req.headers["content-type"]).startsWith("application/json")) {
      console.log("refused", req.method, req.url, req.headers["content-type"]);
      res.writeHead(415).end();
      return;
    }
    const d = JSON.parse(body.toString("utf8"));
    for (const rs of d.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? [])
      appendFileSync(out, JSON.stringify({ ...s, attributes: flat(s.attributes), resource: flat(rs.resource?.attributes), scope: ss.scope?.name }) + "\n");
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
}).listen(Number(port), "127.0.0.1");
