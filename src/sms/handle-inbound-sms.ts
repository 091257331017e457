import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import type { SmsConsent, SmsConversationContext } from '../flows/sms-conversation.machine.js';
import { findSmsConsents } from '../consent/find-sms-consents.js';
import { runTurn, type TurnResult } from '../turns/run-turn.js';
import { recordConsent } from '../consent/record-consent.js';
import { findPolicyholdersByPhone } from '../policies/find-policyholders-by-phone.js';
import { toSupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { webhookReceived } from '../evidence/webhook-received.js';
import { classifyIntent, type Pending, type SmsIntent } from './classify-intent.js';
import { DateTime } from 'luxon';
import { RETENTION_REASONS } from '../flows/retention-call.types.js';
import type { SmsRetention } from '../flows/sms-conversation.types.js';
import { classifyKeyword, type Keyword } from './classify-keyword.js';
import { renderSmsReply, type SmsReplyState } from './render-sms-reply.js';
import type { SmsDeps } from './sms-deps.js';
import type { InboundSmsParams } from './sms-params.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

export const SMS_CONVERSATION_MACHINE = 'sms-conversation';

const toSmsConsent = (granted: boolean | undefined): SmsConsent => (granted === undefined ? 'none' : granted ? 'granted' : 'opted-out');

/** Intents whose answer depends on the customer's policies and dues (looked up before the turn). */
const NEEDS_ACCOUNT: ReadonlySet<SmsIntent> = new Set(['balance', 'pay', 'link', 'confirm', 'cancel-policy', 'cancel-now']);

/** What a cancellation under way waits for: YES or NO to an offer, a number (a reason, a payment day). */
const pendingIn = (r: SmsRetention | null): Omit<Pending, 'quotePending'> => {
  const offer = r?.step === 'offer' ? r.offers[r.offerIndex] : undefined;
  return { offerPending: offer !== undefined, choicePending: r?.step === 'reason' || offer?.kind === 'move-date' };
};

/** The facts a numbered answer needs: the offers the rules choose for a reason, or the date a payment day gives. */
const retentionFacts = async (deps: SmsDeps, r: SmsRetention, choice: number, today: string) => {
  if (r.step === 'reason') {
    const reason = RETENTION_REASONS[choice - 1];
    return { offers: reason && reason !== 'mis-sold' ? await deps.retention.offersFor(r.policyId, reason, today) : [] };
  }
  const offer = r.offers[r.offerIndex];
  return offer?.kind === 'move-date' ? { toDate: deps.retention.movedDate(offer.fromDate, choice, today) } : {};
};

/**
 * An incoming text: recorded as evidence on its thread, keywords honoured at once (opt-out first
 * of all), what it asks for looked up (the customer's policies and dues) and answered by the
 * thread's machine with at most one reply. A retry of the same MessageSid replays the stored answer.
 * YES / SÍ confirm a payment quote while one waits on the thread; otherwise they are the carrier's
 * opt-in keyword.
 */
export const handleInboundSms = async (
  { params, path, refused }: { params: InboundSmsParams; path: string; refused?: readonly RefusedText[] },
  deps: SmsDeps,
): Promise<TurnResult> => {
  const phone = toE164(params.From) ?? params.From;
  const ours = toE164(params.To) ?? params.To;
  let keyword: Keyword = null;
  return runTurn(
    {
      sessionKey: `sms:${phone}:${ours}`,
      dedupeKey: `sms:${params.MessageSid}`,
      start: {
        machineId: SMS_CONVERSATION_MACHINE,
        ref: { kind: 'sms-thread', providerRef: `${phone}:${ours}` },
        init: async () => {
          const rows = await findPolicyholdersByPhone(deps.db, phone);
          const holder = rows.length === 1 ? rows[0]! : null;
          const locale = holder ? toSupportedLocale(holder.locale) : deps.defaultLocale;
          return {
            input: { phone, ourNumber: ours, locale, policyholderId: holder?.id ?? null, localeFromRecord: holder !== null },
            interaction: {
              kind: 'sms-thread',
              providerRef: `${phone}:${ours}`,
              direction: 'inbound',
              from: phone,
              to: ours,
              policyholderId: holder?.id ?? null,
            },
          };
        },
      },
      prepare: async (current) => {
        const ctx = current?.context as Partial<SmsConversationContext> | undefined;
        const quotePending = Boolean(ctx?.quote);
        const retention = ctx?.retention ?? null;
        const text = classifyIntent(params.Body, { quotePending, ...pendingIn(retention) });
        keyword = text.intent === 'confirm' ? null : classifyKeyword(params.Body);
        const now = deps.clock.now();
        const evidence = [webhookReceived(path, params, { refused, providerRef: params.MessageSid })];
        if (keyword === 'opt-out' || keyword === 'opt-in') {
          const consent = {
            phone,
            channel: 'sms' as const,
            granted: keyword === 'opt-in',
            source: `sms-keyword:${params.Body.trim().toUpperCase().slice(0, 20)}`,
            at: now,
          };
          const policyholderId = (await findPolicyholdersByPhone(deps.db, phone, 1))[0]?.id ?? null;
          if (await recordConsent(deps.db, { ...consent, policyholderId })) {
            evidence.push({ type: EvidenceType.CONSENT_CHANGED, providerRef: params.MessageSid, payload: { ...consent, at: consent.at.toISOString() } });
          }
        }
        // why: the registry is the one truth: a number opted out by import, by the carrier or on another of our numbers gets no reply.
        const consent: SmsConsent = keyword === 'opt-out' ? 'opted-out' : keyword === 'opt-in' ? 'granted'
          : toSmsConsent((await findSmsConsents(deps.db, [phone])).get(phone));
        const intent = keyword ? null : text.intent;
        const account = intent && NEEDS_ACCOUNT.has(intent) && consent !== 'opted-out' ? await deps.smsAccount(phone) : null;
        const today = DateTime.fromJSDate(now, { zone: deps.homeZone }).toISODate()!;
        const answer = intent === 'choice' && retention && consent !== 'opted-out' ? await retentionFacts(deps, retention, text.choice ?? 0, today) : {};
        return {
          event: {
            type: 'INBOUND', messageSid: params.MessageSid, keyword, consent,
            intent, policyNumber: text.policyNumber, language: text.language, account, at: now.toISOString(), quoteWindowMs: deps.quoteWindowMs,
            choice: text.choice ?? null, today, ...answer,
          },
          evidence,
        };
      },
      render: ({ snapshot }) => {
        const state = snapshot.context as SmsReplyState;
        const mr = new MessagingResponse();
        const text = renderSmsReply(state, deps.smsCatalog, deps.insurerName, deps.retention.coverText);
        if (text) mr.message(text);
        return {
          contentType: 'text/xml',
          body: mr.toString(),
          evidence: [{ type: EvidenceType.SMS_REPLY, payload: { messageSid: params.MessageSid, keyword, reply: state.reply, text } }],
        };
      },
    },
    deps,
  );
};
