// The compliance API's answers as the page reads them (src/evidence/compliance.routes.ts, docs/evidence.md).

export type InteractionHit = {
  id: string; kind: string; direction: string | null; from: string | null; to: string | null;
  policyNumber: string | null; policies: string[]; startedAt: string; endedAt: string | null; events: number;
};

/** An event as GET /api/compliance/interactions/:id/events answers it: every field its chain hash covers. */
export type StoredEvent = {
  id: string; seq: number; type: string; schemaVersion: number; receivedAt: string; providerTime: string | null; providerRef: string | null;
  payload: unknown; prevHash: string; hash: string; leafIndex: number | null;
};

export type TimelineEntry = {
  eventId: string; interactionId: string; interactionKind: string; seq: number; part: number | null; type: string;
  kind: 'call' | 'message' | 'payment' | 'state' | 'consent' | 'access' | 'other';
  receivedAt: string; providerTime: string | null; providerRef: string | null; leafIndex: number | null; payload: unknown;
};

export type Timeline = { policyId: string; entries: TimelineEntry[]; paymentAttempts: Record<string, unknown>[] };

export type InclusionProof = { eventId: string; leafIndex: number; treeSize: number; leafHash: string; hashes: string[]; checkpoint: string };

export type AccessLogEntry = {
  eventId: string; type: string; receivedAt: string; leafIndex: number | null;
  actor: { kind: string; id: string; name: string; role: string } | null;
  action: string | null; policyNumber: string | null; details: Record<string, unknown>;
};
