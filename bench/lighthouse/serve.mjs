// A static file server for scripts/lighthouse.sh (bench only), serving a
// built folder as a static host would: gzip for text when the client
// accepts it, and a Cache-Control header, so that Lighthouse measures the
// site rather than a development server.
//
//   node serve.mjs DIR PORT
//
// Listens on 127.0.0.1 only. Folders serve their index.html; anything
// outside DIR or missing is a 404.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

const [dirArg, portArg] = process.argv.slice(2);
const root = resolve(dirArg);
const port = Number(portArg);

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};
const compressible = /^(text\/|application\/(json|xml|manifest)|image\/svg)/;

// file maps a URL path to a file under root, or null if it leaves root.
async function file(urlPath) {
  let p = normalize(join(root, decodeURIComponent(urlPath)));
  if (p !== root && !p.startsWith(root + sep)) return null;
  const st = await stat(p).catch(() => null);
  if (st?.isDirectory()) p = join(p, "index.html");
  return p;
}

createServer(async (req, res) => {
  const path = await file(new URL(req.url, "http://x").pathname).catch(() => null);
  const body = path && (await readFile(path).catch(() => null));
  if (!body) {
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("not found\n");
    return;
  }
  const type = types[extname(path)] || "application/octet-stream";
  // A short lifetime for every file, as GitHub Pages sends: dealsite's
  // asset names carry no content hash, so a long one would be wrong.
  const headers = { "Content-Type": type, "Cache-Control": "public, max-age=600", Vary: "Accept-Encoding" };
  let out = body;
  if (compressible.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
    out = gzipSync(body);
    headers["Content-Encoding"] = "gzip";
  }
  headers["Content-Length"] = out.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : out);
}).listen(port, "127.0.0.1");
