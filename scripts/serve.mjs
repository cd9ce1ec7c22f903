// A static file server for the viewer, bound to 127.0.0.1 only.
// Usage: node scripts/serve.mjs [port] [root] [--header "Name: value"]...
// Extra headers let tests serve the page under a given Content-Security-Policy.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const headers = {};
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--header') {
    const [name, ...value] = args[++i].split(':');
    headers[name.trim()] = value.join(':').trim();
  } else positional.push(args[i]);
}
const port = Number(positional[0] || 8080);
const root = path.resolve(positional[1] || 'www');
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.newslens': 'application/octet-stream',
};

const server = http.createServer((req, res) => {
  let rel;
  try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.join(root, path.normalize(rel));
  if (!file.startsWith(root + path.sep)) { res.writeHead(403).end(); return; }
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache', ...headers });
    res.end(body);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`newslens viewer: http://127.0.0.1:${port}/`));
