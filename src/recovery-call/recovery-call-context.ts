import { findNoticeDues, type NoticeDue } from '../payments/find-notice-dues.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { recoveryCallUrl, type RecoveryCallRef } from './recovery-call-paths.js';
import type { RecoveryCallParty } from './record-call-step.js';
import type { CallVoice } from './render-recovery-call.js';

/** What every recovery-call webhook works with: the call, its due (null: no such due), how it speaks, and its URLs. */
export type RecoveryCallContext = {
  party: RecoveryCallParty;
  due: NoticeDue | null;
  voice: CallVoice;
  /** The call's wording in its language. */
  t: (key: string, vars?: Record<string, string | number>) => string;
  /** A recovery-call URL for this call (absolute, on PUBLIC_BASE_URL). */
  url: (path: string, extra?: Record<string, string | number>) => string;
};

/** The context of one webhook of a recovery call; on an outbound call, `To` is the customer and `From` our number. */
export const loadCallContext = async (
  deps: Pick<RecoveryCallWebDeps, 'db' | 'prompts' | 'publicBaseUrl'>,
  ref: RecoveryCallRef,
  p: { CallSid: string; From: string; To: string },
): Promise<RecoveryCallContext> => {
  const [due] = await findNoticeDues(deps.db, { ids: [ref.dueId] });
  return {
    party: { callSid: p.CallSid, ref, to: toE164(p.To), from: toE164(p.From), policyId: due?.policyId ?? null },
    due: due ?? null,
    voice: deps.prompts.voice(ref.locale),
    t: (key, vars) => deps.prompts.text(ref.locale, key, vars),
    url: (path, extra) => recoveryCallUrl(deps.publicBaseUrl, path, ref, extra),
  };
};
