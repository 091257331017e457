// The shapes of the JSON the specialist page reads (the gateway's APIs answer them; see
// src/retention/transfer/build-screen-pop.ts, src/evidence/retrieval/call-journey.ts and the routes).

export type Availability = 'available' | 'busy' | 'away';
export type Me = { id: string; name: string; availability: Availability; availabilityChangedAt: string | null };

export type CallStep =
  | { at: string; kind: 'heard'; flow: string; state: string; said: string }
  | { at: string; kind: 'pressed'; expect: string; digits: string | null; speech: string | null; noInput: boolean }
  | { at: string; kind: 'payment'; outcome: 'succeeded' | 'failed'; amountCents: number | null; currency: string | null; reason: string | null };

export type ScreenPop = {
  transferId: string;
  kind: 'transfer' | 'callback';
  status: string;
  requestedAt: string;
  priority: boolean;
  locale: string;
  caller: { phone: string; name: string | null };
  policy: {
    policyNumber: string; product: string; coverageTier: string; premiumCents: number; currency: string; billingFrequency: string;
    status: string; sumInsuredCents: number; complaintOpen: boolean;
  } | null;
  reason: string;
  cancelReason: string | null;
  offersMade: string[];
  offersDeclined: string[];
  premiumHistory: { dueDate: string; amountCents: number; currency: string; status: string; paidAt: string | null }[];
  paymentFailures: { at: string; amountCents: number; channel: string; reason: string | null; declineClass: string | null; cardLast4: string | null }[];
  thisCall: CallStep[];
};

export type CallbackRow = {
  id: string; phone: string; policyholderId: string | null; policyId: string | null; reason: string; locale: string;
  requestedAt: string; slotAt: string | null; status: string; attempts: number; lastOutcome: string | null;
};
export type TaskRow = { id: string; dueId: string; policyId: string; reason: string; failure: string; status: string; claimedBy: string | null; createdAt: string };
export type People = {
  policies: { id: string; policyNumber: string; holderId: string; status: string }[];
  holders: { id: string; name: string; phone: string | null }[];
};
/** A live event of the page's feed (/console/specialist/events). */
export type LiveCall = { transferId: string; kind?: 'transfer' | 'callback'; requestedAt?: string; taken?: boolean };
