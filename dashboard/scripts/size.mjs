#!/usr/bin/env node
// Fails when the JavaScript shipped in dist/assets weighs more than the budget, gzipped.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dir = new URL('../dist/assets/', import.meta.url).pathname;

let files;
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.js'));
} catch {
  console.error('dist/assets not found: run `npm run build` first');
  process.exit(1);
}
if (files.length === 0) {
  console.error('no JavaScript in dist/assets');
  process.exit(1);
}
let total = 0;
for (const f of files) {
  const gz = gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  total += gz;
  console.log(`${f}: ${(gz / 1024).toFixed(1)} KiB gzipped`);
}
const ok = total <= BUDGET;
console.log(`total ${(total / 1024).toFixed(1)} KiB gzipped, budget ${BUDGET / 1024} KiB: ${ok ? 'ok' : 'OVER BUDGET'}`);
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
