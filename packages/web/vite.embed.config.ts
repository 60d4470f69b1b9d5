import { defaultClientConditions, defineConfig } from 'vite';

/*
 * /external_api.js, the embedding API for host pages (docs/embedding.md): one classic script
 * (IIFE), because host pages load it with a plain <script src>. Built after the app into the
 * same dist/ (emptyOutDir off) under a fixed name, as host pages hard-code its address; the
 * server gives it a short cache lifetime instead of a hashed name.
 */
const conditions = ['source', ...defaultClientConditions];

export default defineConfig({
  resolve: { conditions },
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2020',
    minify: true,
    lib: {
      entry: 'src/embed/externalApi.ts',
      name: 'ConclaveExternalAPIBundle',
      formats: ['iife'],
      fileName: () => 'external_api.js',
    },
  },
});
