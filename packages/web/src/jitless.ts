import { config } from 'zod';

/*
 * Imported first by main.ts, before any module that builds a schema: zod decides at construction
 * whether to compile object parsers with `new Function`, and probes whether eval is allowed to find
 * out. Our CSP forbids eval (`script-src 'self'`), so the probe fails anyway and the browser reports
 * it as a CSP violation on every page (Firefox logs it, issue 17 finding 9). `jitless` skips both
 * the probe and the compiled parsers; the messages a page parses are few and small.
 */
config({ jitless: true });
