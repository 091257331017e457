import type { TransferOutcome } from '../../flows/retention-call.types.js';
import type { TransferPort } from '../../ivr/ivr-deps.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import { findNextOpening } from '../find-candidates.js';
import { abandonTransfer } from './abandon-transfer.js';
import type { TransferWebDeps } from './transfer-deps.js';
import { findTransfer } from './transfer-store.js';

/**
 * The warm transfer for the flows that put callers on hold (the IVR, the retention call). A caller
 * who hung up on hold (the Dial action still comes, with CallStatus completed) abandons a transfer
 * still ringing, whether or not the conference's own callback said so first.
 */
export const createTransferPort = (deps: TransferWebDeps & { businessHours: BusinessHours }): TransferPort => ({
  servingNow: async () => (await findNextOpening(deps.db, { now: deps.clock.now(), defaultHours: deps.businessHours })).servingNow,
  outcomeOnReturn: async (callSid, callStatus): Promise<TransferOutcome> => {
    const t = await findTransfer(deps.db, { callerCallSid: callSid });
    const hungUp = callStatus === 'completed';
    if (!t) return hungUp ? 'abandoned' : 'no-specialist';
    if (t.status === 'ringing' && hungUp) {
      await abandonTransfer(deps, t, 'caller hung up on hold (dial action)');
      return 'abandoned';
    }
    return t.status;
  },
});
