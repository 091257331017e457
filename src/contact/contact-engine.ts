import type { Db } from '../db/pool.js';
import { findChannelConsents } from '../consent/find-channel-consents.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import type { SendingJob } from '../jobs/outbox-worker.js';
import { findContactProfile } from '../policies/find-contact-profile.js';
import { countSegments } from '../telephony/count-segments.js';
import type { ContactPolicy } from './contact-policy-config.js';
import { decideAndLog, forgetContact, recipientKeyOf } from './contact-log.js';
import type { ContactMetrics } from './contact-metrics.js';
import { decideContact, type ContactDecision } from './decide-contact.js';
import type { ContactKind } from './frequency-caps.js';
import type { NanpPrefixData } from './nanp-prefix-data.js';
import { placeRecipient } from './recipient-zones.js';
import type { SenderRateLimiter } from './sender-rate-limiter.js';

/** A text some flow wants to send; the engine decides whether, when and from where. */
export type OutboundText = {
  to: string;
  body: string;
  kind: ContactKind;
  /** What it is for, in the evidence and the contact log: 'payment-receipt', 'due-reminder'... */
  purpose: string;
  /** Whose caps it counts against and whose zone and preferences apply; else the number's one holder. */
  policyholderId?: string | null;
  /** Default: the gateway's number. */
  from?: string;
  /** The customer just wrote or called and this answers it (a receipt, a booked callback). */
  replyToInbound?: boolean;
  /** HELP and STOP confirmations: owed even to an opted-out number. */
  alwaysAllowed?: boolean;
  /** Public URLs attached as MMS media (a contact card); the body's segments still set its place in the sender's rate. */
  mediaUrls?: readonly string[];
};

/** Port: hands one text to the carrier (sms' deliverSms); `delivered` false when refused for good. */
export type TextDeliverer = (m: {
  to: string; from: string; body: string; job: SendingJob; annotate: Record<string, unknown>; mediaUrls?: readonly string[];
}) => Promise<{ evidence: EvidenceDraft[]; delivered: boolean }>;

export type ContactEngineDeps = {
  db: Db;
  now: () => Date;
  policy: ContactPolicy;
  nanp: NanpPrefixData;
  defaultFrom: string;
  deliverText: TextDeliverer;
  /** Each sender's place in line, counted in segments; without one, texts go as fast as jobs run. */
  limiter?: Pick<SenderRateLimiter, 'reserveFor'>;
  metrics?: ContactMetrics;
  sleep?: (ms: number) => Promise<void>;
};

/** What a send came to: evidence to record, and when to try again if not now. */
export type ContactOutcome = { evidence: EvidenceDraft[]; deferUntil?: Date };

const sleepFor = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A wait for the sender's slot up to this long is slept in the job; a longer one puts the job back in the queue. */
const MAX_SLEEP_MS = 1_000;

/**
 * The one way out for every text the gateway starts (receipts, confirmations, notices, recovery,
 * retention follow-ups); calls join with recovery. At the moment of sending, never earlier, it reads
 * the consent registry and the policyholder's record, places the recipient (their zone, else every
 * zone of the number's area code), and decides (decideContact) against the recipient's recent
 * contacts under a lock (contact-log.ts): send, defer (evidence says until when and why; the job
 * waits, nothing is dropped), or suppress (evidence says why). A send then waits for its sender's
 * rate, in segments, and goes through `deliverText` exactly once per outbox job.
 */
export const createContactEngine = (deps: ContactEngineDeps) => {
  const sleep = deps.sleep ?? sleepFor;
  const count = (kind: ContactKind, outcome: string, reason: string) =>
    deps.metrics?.decisions.inc({ channel: 'sms', kind, outcome, reason });

  /** Who is contacted: their consents, where they may be (their zone, else the number's), and whose contacts count. */
  const recipient = async (to: string, policyholderId: string | null | undefined) => {
    const [profile, consent] = await Promise.all([
      findContactProfile(deps.db, { policyholderId: policyholderId ?? null, phone: to }),
      findChannelConsents(deps.db, to),
    ]);
    const place = placeRecipient({ e164: to, ...(profile?.timeZone ? { knownZone: profile.timeZone } : {}) }, deps.nanp, deps.policy.unknownRecipientZones);
    return { consent, place, recipientKey: recipientKeyOf(profile?.policyholderId ?? null, to) };
  };

  const sendText = async (t: OutboundText, job: SendingJob): Promise<ContactOutcome> => {
    const now = deps.now();
    const { consent, place, recipientKey } = await recipient(t.to, t.policyholderId);
    const entry = { outboxId: job.id, recipientKey, channel: 'sms' as const, kind: t.kind, purpose: t.purpose, to: t.to };
    const { decision } = await decideAndLog(deps.db, entry, now, (recent) => {
      const d: ContactDecision = decideContact({
        channel: 'sms', kind: t.kind, replyToInbound: t.replyToInbound ?? false, alwaysAllowed: t.alwaysAllowed ?? false,
        consent,
        // why: calls are not made yet (they come with recovery): a preference for voice cannot divert a text.
        preferredChannel: 'sms',
        zones: place.zones, states: place.states, now, recentSends: recent, rules: deps.policy.quietHours, caps: deps.policy.caps,
      });
      return { decision: d, proceed: d.action === 'send' };
    });
    const about = { channel: 'sms', to: t.to, kind: t.kind, purpose: t.purpose };
    if (decision.action === 'defer') {
      count(t.kind, 'deferred', decision.reason);
      return {
        deferUntil: decision.until,
        evidence: [{ type: EvidenceType.CONTACT_DEFERRED, payload: { ...about, until: decision.until.toISOString(), reason: decision.reason, zones: place.zones, zoneBasis: place.basis } }],
      };
    }
    if (decision.action !== 'send') {
      const reason = decision.action === 'suppress' ? decision.reason : `prefers-${decision.to}`;
      count(t.kind, 'suppressed', reason);
      return { evidence: [{ type: EvidenceType.OUTBOUND_SUPPRESSED, payload: { ...about, reason } }] };
    }
    const from = t.from ?? deps.defaultFrom;
    if (deps.limiter) {
      // why: the job's own slot, taken once however far ahead: it waits in the queue until then rather than asking again and again.
      const slot = await deps.limiter.reserveFor(from, countSegments(t.body).segments, job.id);
      if (slot.waitMs > MAX_SLEEP_MS) {
        deps.metrics?.rateWaits.inc({ outcome: 'requeued' });
        return { deferUntil: new Date(slot.sendAtMs), evidence: [] };
      }
      if (slot.waitMs > 0) {
        deps.metrics?.rateWaits.inc({ outcome: 'waited' });
        await sleep(slot.waitMs);
      }
    }
    const sent = await deps.deliverText({
      to: t.to, from, body: t.body, job, ...(t.mediaUrls?.length ? { mediaUrls: t.mediaUrls } : {}),
      annotate: { kind: t.kind, purpose: t.purpose, zones: place.zones, zoneBasis: place.basis },
    });
    if (!sent.delivered) await forgetContact(deps.db, job.id);
    count(t.kind, sent.delivered ? 'sent' : 'refused', sent.delivered ? 'allowed' : 'carrier');
    return { evidence: sent.evidence };
  };

  /**
   * Whether a call the gateway starts may be made now (consent, calling hours in every zone the
   * person may be in, caps), logged against their contacts like a text: `call` (then place it, once
   * per outbox job), `defer` until a time (evidence says why), or `suppress` (evidence says why).
   */
  const decideCall = async (c: OutboundCall, job: SendingJob): Promise<CallDecision> => {
    const now = deps.now();
    const { consent, place, recipientKey } = await recipient(c.to, c.policyholderId);
    const entry = { outboxId: job.id, recipientKey, channel: 'voice' as const, kind: c.kind, purpose: c.purpose, to: c.to };
    const { decision } = await decideAndLog(deps.db, entry, now, (recent) => {
      const d = decideContact({
        channel: 'voice', kind: c.kind, replyToInbound: false, consent, preferredChannel: 'voice',
        zones: place.zones, states: place.states, now, recentSends: recent, rules: deps.policy.quietHours, caps: deps.policy.caps,
      });
      return { decision: d, proceed: d.action === 'send' };
    });
    const about = { channel: 'voice', to: c.to, kind: c.kind, purpose: c.purpose };
    deps.metrics?.decisions.inc({ channel: 'voice', kind: c.kind, outcome: decision.action === 'send' ? 'sent' : decision.action === 'defer' ? 'deferred' : 'suppressed', reason: 'reason' in decision ? decision.reason : 'allowed' });
    if (decision.action === 'send') return { action: 'call', evidence: [] };
    if (decision.action === 'defer') {
      return {
        action: 'defer', until: decision.until,
        evidence: [{ type: EvidenceType.CONTACT_DEFERRED, payload: { ...about, until: decision.until.toISOString(), reason: decision.reason, zones: place.zones, zoneBasis: place.basis } }],
      };
    }
    const reason = decision.action === 'suppress' ? decision.reason : `prefers-${decision.to}`;
    return { action: 'suppress', reason, evidence: [{ type: EvidenceType.OUTBOUND_SUPPRESSED, payload: { ...about, reason } }] };
  };

  return { sendText, decideCall };
};

/** A call some flow wants to make (a recovery call); the engine decides whether and when. */
export type OutboundCall = { to: string; kind: ContactKind; purpose: string; policyholderId?: string | null };

/** Whether a call may go now, with the evidence of the decision. */
export type CallDecision =
  | { action: 'call'; evidence: EvidenceDraft[] }
  | { action: 'defer'; until: Date; evidence: EvidenceDraft[] }
  | { action: 'suppress'; reason: string; evidence: EvidenceDraft[] };

export type ContactEngine = ReturnType<typeof createContactEngine>;
