import type { EvidenceColumns } from '../evidence/chain-rows.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';

/** A session as a turn reads it, with its interaction's evidence chain head. */
export type StoredSession = {
  id: string;
  machineId: string;
  machineVersion: number;
  snapshot: unknown;
  version: number;
  interactionId: string;
  evidenceSeq: number;
  evidenceHead: string;
};

/** The answer a webhook got, kept so a provider's retry gets the same one. */
export type StoredReceipt = { contentType: string; body: string };

export type NewInteraction = {
  kind: string;
  providerRef: string | null;
  direction?: string | null;
  from?: string | null;
  to?: string | null;
  policyholderId?: string | null;
  policyId?: string | null;
};

/** A new session: its ids, the machine version it runs, and its interaction unless one was recorded before it. */
export type SessionStart = {
  sessionId: string;
  sessionKey: string;
  machineId: string;
  machineVersion: number;
  interactionId: string;
  interaction: NewInteraction | null;
};

/** Everything one turn writes, decided before any SQL runs. */
export type TurnWrite = {
  now: Date;
  snapshot: unknown;
  status: string;
  dedupeKey: string | null;
  receipt: StoredReceipt;
  evidence: EvidenceColumns;
  /** The chain head this turn builds on (its first event's seq); the write checks it is still the head. */
  fromSeq: number;
  head: { seq: number; hash: string };
  outbox: readonly OutboxRow[];
  interactionEnded: boolean;
  /** Who the flow identified; written to the interaction when set. */
  link: { policyholderId?: string | null; policyId?: string | null };
};

/** One turn to write: a turn of an existing session, or the first turn of a new one. */
export type TurnItem =
  | { sessionKey: string; session: StoredSession; start?: undefined; write: TurnWrite }
  | { sessionKey: string; session?: undefined; start: SessionStart; write: TurnWrite };

/** The outcome of a write: saved, or the data moved on (run the turn again). */
export type WriteOutcome = 'saved' | 'moved';
