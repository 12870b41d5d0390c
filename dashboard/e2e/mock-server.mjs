#!/usr/bin/env node
// A stand-in for the Go server, for developing the dashboard: serves dist/ at / and
// answers the dashboard query at /query from the fixture. Not used by the real e2e run.
//
//   node e2e/mock-server.mjs [--port 8090]
//
// Failure modes for trying the error states:
//   /query-403          HTTP 403
//   /query-unauth       GraphQL error with extensions.code UNAUTHENTICATED
//   /query-down         HTTP 502
// e.g. http://127.0.0.1:8090/?api=/query-403

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDashboard } from './stats.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = resolve(here, '..', 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function send(res, status, body, type = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function handleQuery(req, res, path) {
  if (req.method !== 'POST') return send(res, 405, JSON.stringify({ errors: [{ message: 'POST only' }] }));
  if (path === '/query-403') return send(res, 403, JSON.stringify({ errors: [{ message: 'forbidden' }] }));
  if (path === '/query-down') return send(res, 502, 'Bad gateway', 'text/plain');
  if (path === '/query-unauth') {
    return send(res, 200, JSON.stringify({ errors: [{ message: 'not signed in', extensions: { code: 'UNAUTHENTICATED' } }], data: null }));
  }
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return send(res, 400, JSON.stringify({ errors: [{ message: 'invalid JSON' }] }));
  }
  const vars = body.variables ?? {};
  const lang = (req.headers['accept-language'] ?? 'vi').toLowerCase().startsWith('en') ? 'en' : 'vi';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vars.from ?? '') || !/^\d{4}-\d{2}-\d{2}$/.test(vars.to ?? '')) {
    return send(res, 200, JSON.stringify({ errors: [{ message: 'from and to must be dates', extensions: { code: 'BAD_USER_INPUT' } }] }));
  }
  const stats = resolveDashboard(vars, lang);
  if (!stats) {
    return send(res, 200, JSON.stringify({ errors: [{ message: 'organization not found', extensions: { code: 'NOT_FOUND' } }], data: null }));
  }
  const delay = Number(process.env.MOCK_DELAY_MS ?? 0);
  if (delay) await new Promise((r) => setTimeout(r, delay));
  send(res, 200, JSON.stringify({ data: { stats } }));
}

async function handleStatic(req, res, path) {
  const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
  let file = join(dist, rel);
  if (!file.startsWith(dist)) return send(res, 403, 'forbidden', 'text/plain');
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  } catch {
    file = join(dist, 'index.html');
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    res.end(data);
  } catch {
    send(res, 404, 'not found — run `npm run build` first', 'text/plain; charset=utf-8');
  }
}

/** startMockServer listens on the given port (0 = any) and resolves to its base URL. */
export function startMockServer(port = 0, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const p = path.startsWith('/query') ? handleQuery(req, res, path) : handleStatic(req, res, path);
    p.catch((err) => send(res, 500, JSON.stringify({ errors: [{ message: String(err) }] })));
  });
  return new Promise((ok) => server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}` })));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8090);
  const { url } = await startMockServer(port);
  console.log(`mock ketnap server on ${url} (dashboard at /, API at /query)`);
}
