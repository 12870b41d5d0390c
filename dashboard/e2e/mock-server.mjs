#!/usr/bin/env node
// A stand-in for the Go server, for developing the dashboard: serves dist/ at / and
// answers the dashboard's GraphQL at /query from the fixture. Not used by the real e2e run.
//
//   node e2e/mock-server.mjs [--port 8090]
//
// Access control follows the server's contract:
//   mutation Login($u, $p) { login(username: $u, password: $p) { token expiresAt } }
//   mutation { logout }                  revokes the bearer token
//   query { me { username role organization { id code name } } }
// Every operation but login needs `Authorization: Bearer <token>`: without the header
// the answer is HTTP 401, with an unknown, expired or revoked token HTTP 200 with an
// UNAUTHENTICATED error. Errors carry `message: "VI / EN"` and `extensions.{code,vi,en}`.
// Demo users (password `<name>-demo-2025`): admin (ADMIN, whole tree), viewer (VIEWER,
// the bloc org-bl), analyst (ANALYST, the grassroots committee org-01). Five wrong
// passwords in a row for a user → RATE_LIMITED for a minute. A scoped user asking for an
// organization outside the scope (or for the whole tree, org null) gets FORBIDDEN.
// MOCK_TOKEN_TTL_MS sets the token lifetime (default 8 hours).
//
// Failure modes for trying the error states:
//   /query-403          HTTP 403
//   /query-unauth       GraphQL error with extensions.code UNAUTHENTICATED
//   /query-down         HTTP 502
// e.g. http://127.0.0.1:8090/?api=/query-403

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orgs } from './fixture.mjs';
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

// ---- Users, tokens and errors ---------------------------------------------------------

export const USERS = new Map([
  ['admin', { password: 'admin-demo-2025', role: 'ADMIN', org: null }],
  ['viewer', { password: 'viewer-demo-2025', role: 'VIEWER', org: 'org-bl' }],
  ['analyst', { password: 'analyst-demo-2025', role: 'ANALYST', org: 'org-01' }],
]);
const TOKEN_TTL = Number(process.env.MOCK_TOKEN_TTL_MS ?? 8 * 3600_000);
const MAX_FAILURES = 5;
const LOCKOUT_MS = 60_000;

const MESSAGES = {
  BAD_CREDENTIALS: ['Tên đăng nhập hoặc mật khẩu không đúng.', 'The username or password is not correct.'],
  UNAUTHENTICATED: ['Chưa đăng nhập hoặc phiên đăng nhập đã hết hạn.', 'Not signed in, or the session has expired.'],
  RATE_LIMITED: ['Đăng nhập sai quá nhiều lần. Hãy thử lại sau một phút.', 'Too many failed attempts. Try again in a minute.'],
  FORBIDDEN: ['Tài khoản không có quyền xem tổ chức đảng này.', 'This account may not see this party organization.'],
  NOT_FOUND: ['Không tìm thấy tổ chức đảng.', 'Party organization not found.'],
};

function gqlError(code, key = code) {
  const [vi, en] = MESSAGES[key];
  return { message: `${vi} / ${en}`, extensions: { code, vi, en } };
}

function errorBody(code, key) {
  return JSON.stringify({ errors: [gqlError(code, key)], data: null });
}

/** Sessions of one mock server: token → { username, expires }. */
function createAuth() {
  const tokens = new Map();
  const failures = new Map(); // username → { count, until }

  return {
    login(username, password) {
      const name = String(username ?? '').trim().toLowerCase();
      const f = failures.get(name);
      if (f && f.until > Date.now()) return { error: 'RATE_LIMITED' };
      const user = USERS.get(name);
      if (!user || user.password !== password) {
        const count = (f && f.until === 0 ? f.count : 0) + 1;
        failures.set(name, count >= MAX_FAILURES ? { count: 0, until: Date.now() + LOCKOUT_MS } : { count, until: 0 });
        return { error: 'UNAUTHENTICATED' };
      }
      failures.delete(name);
      const token = randomBytes(24).toString('base64url');
      const expires = Date.now() + TOKEN_TTL;
      tokens.set(token, { username: name, expires });
      return { token, expiresAt: new Date(expires).toISOString() };
    },
    /** user returns the user of a bearer token, or null. */
    user(token) {
      const s = tokens.get(token);
      if (!s) return null;
      if (s.expires <= Date.now()) {
        tokens.delete(token);
        return null;
      }
      return { username: s.username, ...USERS.get(s.username) };
    },
    logout(token) {
      return tokens.delete(token);
    },
  };
}

/** inScope tells whether `org` lies in the subtree of `root`. */
function inScope(org, root) {
  for (let id = org; id; id = orgs.get(id)?.parentId ?? null) if (id === root) return true;
  return false;
}

function meValue(user) {
  const o = user.org ? orgs.get(user.org) : null;
  return { username: user.username, role: user.role, organization: o ? { id: o.id, code: o.code, name: o.name } : null };
}

// ---- GraphQL ----------------------------------------------------------------------------

async function handleQuery(req, res, path, auth) {
  if (req.method !== 'POST') return send(res, 405, JSON.stringify({ errors: [{ message: 'POST only' }] }));
  if (path === '/query-403') return send(res, 403, JSON.stringify({ errors: [{ message: 'forbidden' }] }));
  if (path === '/query-down') return send(res, 502, 'Bad gateway', 'text/plain');
  if (path === '/query-unauth') return send(res, 200, errorBody('UNAUTHENTICATED'));
  let body;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    return send(res, 400, JSON.stringify({ errors: [{ message: 'invalid JSON' }] }));
  }
  const query = String(body.query ?? '');
  const vars = body.variables ?? {};

  // A crude reading of the operation, enough for the dashboard's own documents.
  if (/^\s*mutation\b/.test(query) && /\blogin\s*\(/.test(query)) {
    const r = auth.login(vars.u ?? vars.username, vars.p ?? vars.password);
    if (r.error === 'RATE_LIMITED') return send(res, 200, errorBody('RATE_LIMITED'));
    if (r.error) return send(res, 200, errorBody('UNAUTHENTICATED', 'BAD_CREDENTIALS'));
    return send(res, 200, JSON.stringify({ data: { login: r } }));
  }

  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return send(res, 401, errorBody('UNAUTHENTICATED'));
  const user = auth.user(m[1]);
  if (!user) return send(res, 200, errorBody('UNAUTHENTICATED'));

  if (/^\s*mutation\b/.test(query) && /\blogout\b/.test(query)) {
    return send(res, 200, JSON.stringify({ data: { logout: auth.logout(m[1]) } }));
  }

  const data = {};
  if (/\bme\s*\{/.test(query)) data.me = meValue(user);
  if (/\bstats\s*\(/.test(query)) {
    const lang = (req.headers['accept-language'] ?? 'vi').toLowerCase().startsWith('en') ? 'en' : 'vi';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(vars.from ?? '') || !/^\d{4}-\d{2}-\d{2}$/.test(vars.to ?? '')) {
      return send(res, 200, JSON.stringify({ errors: [{ message: 'from and to must be dates', extensions: { code: 'BAD_USER_INPUT' } }] }));
    }
    const org = vars.org ?? null;
    if (user.org && (org === null || !inScope(org, user.org))) return send(res, 200, errorBody('FORBIDDEN'));
    const stats = resolveDashboard({ ...vars, org }, lang);
    if (!stats) return send(res, 200, errorBody('NOT_FOUND'));
    const delay = Number(process.env.MOCK_DELAY_MS ?? 0);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    data.stats = stats;
  }
  send(res, 200, JSON.stringify({ data }));
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
  const auth = createAuth();
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const p = path.startsWith('/query') ? handleQuery(req, res, path, auth) : handleStatic(req, res, path);
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
