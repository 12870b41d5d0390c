// Standard clients against the real server (issue 15's "Done when"), run by e2e/run.sh
// after the dashboard's end-to-end test, on the same demo server:
//  1. graphql-http's server audits (the GraphQL-over-HTTP spec) with an ANALYST's token:
//     any failing MUST fails the run; SHOULD/MAY warnings are printed.
//  2. Relay's compiler over the schema as an ANALYST introspects it, compiling a small
//     project that uses @connection, @refetchable and node(id:).
// Prints "N passed, M failed" like the e2e test and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { serverAudits } from 'graphql-http';

const BASE = process.env.KETNAP_URL;
const USER = process.env.KETNAP_ANALYST_USER ?? 'chuyenvien';
const PASSWORD = process.env.KETNAP_ANALYST_PASSWORD ?? 'demo-chuyenvien-2026';
const HERE = dirname(fileURLToPath(import.meta.url));

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL  ${name}\n      ${String(err?.message ?? err).split('\n').join('\n      ')}`);
  }
}

async function post(query, variables, token) {
  const res = await fetch(`${BASE}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new Error(`${res.status}: ${body.errors[0].message}`);
  return body.data;
}

let token = '';
await check('server address is given (KETNAP_URL)', async () => {
  if (!BASE) throw new Error('set KETNAP_URL');
  const data = await post('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }', { u: USER, p: PASSWORD });
  token = data.login.token;
});

await check("graphql-http's server audits: no failing MUST with an analyst's token", async () => {
  const withToken = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const audits = serverAudits({ url: `${BASE}/query`, fetchFn: withToken });
  const musts = [];
  let warned = 0;
  for (const audit of audits) {
    const r = await audit.fn();
    if (r.status === 'ok') continue;
    const reason = typeof r.reason === 'string' ? r.reason : JSON.stringify(r.reason);
    if (audit.name.startsWith('MUST')) musts.push(`${audit.id} ${audit.name}: ${reason}`);
    else {
      warned++;
      console.log(`      (${r.status}) ${audit.name}: ${reason.slice(0, 200)}`);
    }
  }
  console.log(`      ${audits.length} audits, ${musts.length} MUST failing, ${warned} SHOULD/MAY not met`);
  if (musts.length) throw new Error(musts.join('\n'));
});

await check("Relay's compiler compiles @connection, @refetchable and node over the schema", async () => {
  const data = await post(getIntrospectionQuery({ descriptions: true }), {}, token);
  const sdl = printSchema(buildClientSchema(data));
  const work = mkdtempSync(join(tmpdir(), 'ketnap-relay-'));
  try {
    mkdirSync(join(work, 'src'));
    writeFileSync(join(work, 'schema.graphql'), sdl);
    writeFileSync(
      join(work, 'relay.config.json'),
      JSON.stringify({ src: './src', schema: './schema.graphql', language: 'typescript', eagerEsModules: true }),
    );
    writeFileSync(
      join(work, 'src', 'Organization.ts'),
      `import { graphql } from 'relay-runtime';
export const organizationQuery = graphql\`
  query OrganizationQuery($id: ID!) {
    node(id: $id) {
      id
      ... on Organization { name code }
    }
    organizations(first: 3) { edges { node { ...Organization_children } } }
  }
\`;
export const childrenFragment = graphql\`
  fragment Organization_children on Organization
  @refetchable(queryName: "OrganizationChildrenRefetchQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 10 }, after: { type: "Cursor" }) {
    children(first: $first, after: $after) @connection(key: "Organization_children") {
      edges { node { id code name } }
    }
  }
\`;
export const candidatesQuery = graphql\`
  query OrganizationCandidatesQuery {
    candidates(first: 5) { totalCount edges { cursor node { id status } } pageInfo { hasNextPage endCursor } }
  }
\`;
`,
    );
    const bin = join(HERE, '..', 'node_modules', '.bin', 'relay-compiler');
    const r = spawnSync(bin, [], { cwd: work, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`relay-compiler exited ${r.status}:\n${r.stdout}\n${r.stderr}`.slice(0, 4000));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
