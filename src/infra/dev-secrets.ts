import { loadOrCreateSecret } from './data-dir.js';

/**
 * A development secret generated once and kept under `${dataDir}/secrets/`
 * (0600), so restarts keep signatures and sessions valid. The default of 16
 * bytes gives 32 lowercase hex characters, the shape of a Twilio auth token,
 * so `loadOrCreateDevSecret(dataDir, 'twilio-auth-token')` stands in for
 * TWILIO_AUTH_TOKEN when none is configured. Never used when the real
 * credential is set.
 */
export const loadOrCreateDevSecret = (dataDir: string, name: string, bytes = 16): Promise<string> =>
  loadOrCreateSecret(dataDir, name, bytes);
