import type { Queryable } from '../../db/pool.js';
import { EvidenceType } from '../evidence-event.js';
import { eventParts } from '../turn-event.js';

/** One thing that happened in a call, as its evidence says it (redacted inputs stay redacted). */
export type CallStep =
  | { at: string; kind: 'heard'; flow: string; state: string; said: string }
  | { at: string; kind: 'pressed'; expect: string; digits: string | null; speech: string | null; noInput: boolean }
  | { at: string; kind: 'payment'; outcome: 'succeeded' | 'failed'; amountCents: number | null; currency: string | null; reason: string | null };

type Row = { type: string; payload: unknown; received_at: Date; provider_ref: string | null };

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * What the caller heard, pressed or said, and paid or failed to pay, in a call so far, in order: read
 * from the call's own evidence chain (each turn's parts), so a specialist's screen shows exactly what
 * the evidence proves. At most `limit` steps, the latest.
 */
export const callJourney = async (db: Queryable, callSid: string, limit = 60): Promise<CallStep[]> => {
  const { rows } = await db.query<Row>(
    `select e.type, e.payload, e.received_at, e.provider_ref from evidence_events e
       join interactions i on i.id = e.interaction_id
      where i.kind = 'call' and i.provider_ref = $1 order by e.seq`,
    [callSid],
  );
  const steps: CallStep[] = [];
  for (const row of rows) {
    const at = row.received_at.toISOString();
    for (const part of eventParts({ type: row.type, payload: row.payload })) {
      const p = (part.payload ?? {}) as Record<string, unknown>;
      if (part.type === EvidenceType.IVR_PROMPT) {
        const said = Array.isArray(p.said) ? p.said.filter((s) => typeof s === 'string').join(' ') : '';
        // why: a turn that only hands the call on (the IVR redirecting to the retention flow) says nothing.
        if (!said.trim()) continue;
        steps.push({ at, kind: 'heard', flow: text(p.flow) ?? 'inbound-call', state: text(p.state) ?? '', said });
      } else if (part.type === EvidenceType.IVR_INPUT) {
        // why: the flow's own requests (its start, the return from a hold) are not something the caller did.
        if (!p.digits && !p.speech && (p.expect === 'start' || p.expect === 'transfer')) continue;
        steps.push({ at, kind: 'pressed', expect: text(p.expect) ?? '', digits: text(p.digits), speech: text(p.speech), noInput: p.noInput === true || (!p.digits && !p.speech) });
      } else if (part.type === 'payment.succeeded' || part.type === 'payment.failed') {
        steps.push({
          at, kind: 'payment', outcome: part.type === 'payment.succeeded' ? 'succeeded' : 'failed',
          amountCents: typeof p.amountCents === 'number' ? p.amountCents : null, currency: text(p.currency), reason: text(p.reason),
        });
      }
    }
  }
  return steps.slice(-limit);
};
