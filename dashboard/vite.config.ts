import { defineConfig } from 'vitest/config';

// Relative base so the Go server can mount the dashboard under any path.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill is injected as module code, but we target evergreen browsers anyway.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    // `npm run dev` talks to a local ketnap server (`ketnap serve --demo`, :8080 by default).
    proxy: { '/query': process.env.KETNAP_URL ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
