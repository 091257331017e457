import { createDeployedRegistry } from '../flows/machines.js';
import { smsAccountLookup } from '../sms/find-sms-account.js';
import { loadSmsCatalog } from '../sms/sms-catalog.js';
import { applySpooledWebhook } from '../sms/spool/apply-spooled-webhook.js';
import { createRedisWebhookSpool } from '../sms/spool/webhook-spool.js';
import { createSmsRetentionPort } from '../retention/sms-retention-port.js';
import { QUEUE_PREFIX, type GatewayServices } from './gateway-services.js';

/**
 * What a worker runs with its relay: the messaging webhooks the web process spooled while Postgres
 * was down, applied in the order they came with the time they came. Returns how many were applied.
 */
export const createSpoolReplay = (s: GatewayServices) => {
  const spool = createRedisWebhookSpool(s.redis, QUEUE_PREFIX);
  const deps = {
    db: s.db, clock: s.clock, machines: createDeployedRegistry(), dispatch: s.dispatcher.dispatch,
    smsCatalog: loadSmsCatalog(), insurerName: s.config.insurerName, defaultLocale: 'en-US' as const,
    smsAccount: smsAccountLookup(s.db, s.clock, { graceDays: s.config.gracePeriodDays, homeZone: s.config.businessHours.zone }),
    quoteWindowMs: s.config.smsQuoteWindowMinutes * 60_000,
    retention: createSmsRetentionPort({ db: s.db, clock: s.clock, offers: s.retentionOffers }),
    homeZone: s.config.businessHours.zone,
  };
  return (): Promise<number> => spool.drain((w) => applySpooledWebhook(w, deps));
};
