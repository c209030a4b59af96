// A static server for scripts/lighthouse: serves a built site gzip-compressed, as GitHub Pages
// does (Lighthouse's simulated mobile network counts transferred bytes).
//   node serve.mjs DIR PORT
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const root = path.resolve(process.argv[2]);
const port = Number(process.argv[3]);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".geojson": "application/geo+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/xml",
};

http
  .createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://localhost").pathname));
    if (!file.startsWith(root)) file = root;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const body = fs.readFileSync(file);
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    const headers = { "content-type": type, "cache-control": "max-age=600" };
    if (/text|json|javascript|svg|xml/.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
      res.writeHead(200, { ...headers, "content-encoding": "gzip" });
      res.end(zlib.gzipSync(body));
    } else {
      res.writeHead(200, headers);
      res.end(body);
    }
  })
  .listen(port, "127.0.0.1");
