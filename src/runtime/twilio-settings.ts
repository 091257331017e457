import type { Config } from '../config/config.js';
import { loadOrCreateDevSecret } from '../infra/dev-secrets.js';

export type TwilioSettings = {
  /** True when no Twilio account is configured: the simulated carrier stands in for Twilio. */
  simulated: boolean;
  accountSid: string;
  authToken: string;
  fromNumber: string;
};

/** The simulated carrier's number for our side when TWILIO_FROM_NUMBER is unset (fictional 555 range). */
export const SIMULATED_FROM_NUMBER = '+18005550100';

/**
 * Real Twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set. Otherwise
 * the simulated carrier, with a development auth token generated once and
 * kept under DATA_DIR, so the softphone in another terminal signs as the
 * gateway expects.
 */
export const resolveTwilioSettings = async (config: Pick<Config, 'twilio' | 'dataDir'>): Promise<TwilioSettings> => {
  const { accountSid, authToken, fromNumber } = config.twilio;
  if (accountSid && authToken) {
    return { simulated: false, accountSid, authToken, fromNumber: fromNumber ?? SIMULATED_FROM_NUMBER };
  }
  const devSid = `AC${await loadOrCreateDevSecret(config.dataDir, 'simulated-account-sid')}`;
  return {
    simulated: true,
    accountSid: accountSid ?? devSid,
    authToken: authToken ?? (await loadOrCreateDevSecret(config.dataDir, 'twilio-auth-token')),
    fromNumber: fromNumber ?? SIMULATED_FROM_NUMBER,
  };
};
