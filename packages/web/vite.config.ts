import { defaultClientConditions, defineConfig } from 'vite';

// `source` first so the workspace packages are bundled from their TypeScript sources and the web
// build does not depend on their `dist` being fresh.
const conditions = ['source', ...defaultClientConditions];

export default defineConfig({
  // Absolute base: the server answers deep links like `/SomeRoom` with index.html, whose assets must
  // still load from `/assets/...`.
  base: '/',
  resolve: { conditions },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset becomes a file: the server's CSP forbids data: scripts and inline styles.
    assetsInlineLimit: 0,
  },
  server: {
    // `npm run dev` serves the UI; signalling goes to a locally running server.
    proxy: { '/ws': { target: process.env.CONCLAVE_SERVER ?? 'http://127.0.0.1:8080', ws: true } },
  },
});
