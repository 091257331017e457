import type { TransferPort } from '../../ivr/ivr-deps.js';
import type { PromptCatalog } from '../../ivr/prompts/prompt-catalog.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import type { TurnDeps } from '../../turns/run-turn.js';
import type { RetentionOffers } from '../offers/offer-rules-config.js';

/** What the retention call needs: the turn runtime, its own wording, the offer rules, and the insurer's calendar. */
export type RetentionVoiceDeps = TurnDeps & {
  prompts: PromptCatalog;
  insurerName: string;
  offers: RetentionOffers;
  businessHours: BusinessHours;
  holdUrl: string;
  /** Days from inception in which a cancellation refunds everything (FREE_LOOK_DAYS): refund quotes use the job's math. */
  freeLookDays: number;
  transfers: TransferPort;
};
