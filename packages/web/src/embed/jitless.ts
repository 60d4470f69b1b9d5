import { config } from 'zod/mini';

// First import of /external_api.js, for the reason given in ../jitless.ts: a host page's CSP may
// forbid eval, and zod's probe for it would be reported as a violation on that page.
config({ jitless: true });
