/** How the gateway presents itself to upstreams, on the SDK path and the fast path alike. */
import { VERSION } from '../../lib/version.js';

/** How the gateway names itself upstream (also the fast caller's 2026-07-28 envelope default). */
export const CLIENT_INFO = { name: 'mcpgw', version: VERSION };

/**
 * The client capabilities the gateway declares upstream. A 2025-era upstream asks only what its client
 * declared, and one connection serves every downstream client, so the gateway declares everything it
 * can relay and answers, per request, with an error when the client behind it cannot. The fast caller
 * declares the same in its 2026-07-28 envelope.
 */
export const RELAYED_CAPABILITIES = Object.freeze({ sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } });
