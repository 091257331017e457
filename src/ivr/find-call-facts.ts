import type { Db } from '../db/pool.js';
import type { InboundCallContext, Locale, PolicySummary } from '../flows/inbound-call.types.js';
import { findSessionSnapshot } from '../turns/find-session-snapshot.js';

/** What the IVR established about a call, for a flow the call is handed over to (retention). */
export type CallFacts = {
  callSid: string;
  from: string;
  locale: Locale;
  policyholderId: string;
  firstName: string;
  policy: PolicySummary;
};

/**
 * The caller and policy the IVR identified on this call, read from its session;
 * null when the call has no session or nobody (or no policy) was identified.
 */
export const findCallFacts = async (db: Db, callSid: string): Promise<CallFacts | null> => {
  const s = await findSessionSnapshot(db, `call:${callSid}`);
  const ctx = s?.snapshot.context as InboundCallContext | undefined;
  if (!ctx?.identified || !ctx.policy) return null;
  return {
    callSid, from: ctx.from, locale: ctx.locale, policyholderId: ctx.identified.policyholderId,
    firstName: ctx.identified.firstName, policy: ctx.policy,
  };
};
