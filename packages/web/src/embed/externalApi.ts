// Must stay the first import: it configures zod before any schema is built.
import './jitless.js';
import { ConclaveExternalAPI as ExternalAPI } from './ConclaveExternalAPI.js';

/*
 * The entry of /external_api.js (vite.embed.config.ts builds it as one classic script): a host
 * page loads it with <script src="https://<domain>/external_api.js"> and finds the class on window.
 */
declare global {
  var ConclaveExternalAPI: typeof ExternalAPI;
}

globalThis.ConclaveExternalAPI = ExternalAPI;
