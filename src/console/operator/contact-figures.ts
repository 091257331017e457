import type { Queryable } from '../../db/pool.js';
import { countOptOuts, type OptOutCount } from '../../consent/count-opt-outs.js';
import { EvidenceType } from '../../evidence/evidence-event.js';
import { countInboundCalls } from '../../evidence/retrieval/count-inbound-calls.js';
import { tallyEvents, type EventTally } from '../../evidence/retrieval/tally-events.js';
import { countTransferredCalls } from '../../retention/transfer/count-transferred-calls.js';
import { countDeliveryFailures, type DeliveryFailureCount } from '../../sms/count-delivery-failures.js';

/** The contact figures of the operator's dashboard over [from, to), each read from the domain that owns it. */
export type ContactFigures = {
  from: string;
  to: string;
  /** Inbound calls that ended, split by whether a person took over (a warm transfer was requested). */
  containment: { ended: number; selfService: number; transferred: number; rate: number | null };
  /** Texts and calls the contact engine held back until later, by why (quiet hours, daily or weekly cap). */
  deferrals: EventTally[];
  /** Texts and calls not made at all, by why (no consent, opted out...). */
  suppressions: EventTally[];
  optOuts: OptOutCount[];
  deliveryFailures: DeliveryFailureCount[];
};

export const findContactFigures = async (db: Queryable, w: { from: Date; to: Date }): Promise<ContactFigures> => {
  const [calls, transferred, deferrals, suppressions, optOuts, deliveryFailures] = await Promise.all([
    countInboundCalls(db, w),
    countTransferredCalls(db, w),
    tallyEvents(db, { type: EvidenceType.CONTACT_DEFERRED, field: 'reason', ...w }),
    tallyEvents(db, { type: EvidenceType.OUTBOUND_SUPPRESSED, field: 'reason', ...w }),
    countOptOuts(db, w),
    countDeliveryFailures(db, w),
  ]);
  // why: a transfer is requested during a call, so its call began at most a call's length before it; the
  // windows differ only at their edges, hence the floor at zero.
  const selfService = Math.max(0, calls.ended - transferred);
  return {
    from: w.from.toISOString(), to: w.to.toISOString(),
    containment: { ended: calls.ended, selfService, transferred, rate: calls.ended ? Math.round((selfService / calls.ended) * 10_000) / 10_000 : null },
    deferrals, suppressions, optOuts, deliveryFailures,
  };
};
