// The shapes of the JSON the dashboard reads (the fields it shows): the recovery report
// (GET /api/recovery/report), the retention metrics (GET /api/retention/metrics) and the
// dashboard's own reads under /console/operator/.

export type RecoveryReport = {
  from: string; to: string; started: number; recovered: number; reinstated: number; closed: number; active: number;
  recoveryRate: number | null;
  hoursToRecovery: { median: number | null; p90: number | null };
  amountRecovered: { currency: string; cents: number }[];
  byChannel: { channel: string; recovered: number; cents: number }[];
  funnel: { stepId: string; reached: number; recoveredAfter: number; amountCentsAfter: number }[];
};

export type SaveRow = { key: string; decided: number; saved: number; lost: number; pending: number; saveRate: number | null };
export type SaveMetrics = {
  from: string; to: string; savedAfterDays: number; total: SaveRow; byReason: SaveRow[]; byOffer: SaveRow[];
  transfers: { requested: number; bridged: number; abandonedOnHold: number; noSpecialist: number; secondsToBridge: { median: number | null } };
};

export type Tally = { key: string; count: number };
export type ContactFigures = {
  from: string; to: string;
  containment: { ended: number; selfService: number; transferred: number; rate: number | null };
  deferrals: Tally[]; suppressions: Tally[];
  optOuts: { channel: string; source: string; count: number }[];
  deliveryFailures: { errorCode: number | null; failure: string; count: number }[];
};

export type QueueState =
  | { connected: true; queue: string; counts: Record<string, number>; failed: { id: string; name: string; reason: string; attempts: number; failedAt: string | null }[] }
  | { connected: false; problem: string };

export type LogState = {
  checkpoint: { treeSize: number; rootHash: string; origin: string; signer: string; createdAt: string; note: string; treeMatchesRoot: boolean } | null;
  leaves: number; waiting: number; oldestWaitingSince: string | null;
};
