import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { Db } from '../db/pool.js';
import type { ChainHead } from '../evidence/chain-rows.js';
import type { EvidenceDraft } from '../evidence/evidence-event.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { Clock } from '../shared/clock.js';
import type { MachineRegistry } from './machine-registry.js';
import type { SessionCache } from './session-cache.js';
import type { TurnBatcher } from './turn-batcher.js';
import type { NewInteraction, StoredReceipt } from './turn-write.js';

/** What the turn hands the renderer: the state after the event, and the ids action URLs need. */
export type RenderContext = {
  snapshot: AnyMachineSnapshot;
  /** The session version this answer belongs to; action URLs carry it as their step id. */
  step: number;
  sessionId: string;
  interactionId: string;
};

export type Rendered = StoredReceipt & { evidence: EvidenceDraft[] };

/** What a channel (voice, SMS...) tells the engine about one request: the hooks a flow provides. */
export type TurnSpec = {
  /** Any conversation identity: 'call:CA…', 'sms:+1…:+1…', 'due:…'. */
  sessionKey: string;
  /** Provider identity of this request; a repeat is answered from the stored receipt. */
  dedupeKey: string | null;
  /** How to begin when no session exists yet. */
  start: {
    machineId: string;
    /** The provider identity of the interaction (CallSid...), to reuse one recorded before the session. */
    ref: Pick<NewInteraction, 'kind' | 'providerRef'>;
    /** Called only when the session is new, so it may do lookups: the machine input and the interaction row. */
    init: () => Promise<{ input: unknown; interaction: NewInteraction }>;
  };
  /**
   * The request usually opens a new conversation (an incoming call): try creating the session
   * before reading anything. When it exists after all (a retry), the create writes nothing and
   * the next attempt reads it, so the answer is the same either way, one round trip sooner.
   */
  expectNew?: boolean;
  /** Links the interaction to the policyholder or policy the flow has identified, for retrieval by policy. */
  link?: (snapshot: AnyMachineSnapshot) => { policyholderId?: string | null; policyId?: string | null };
  /**
   * Builds the event from the current state (null before the session exists):
   * the place for I/O such as looking up an entered policy number, so the
   * machine's transition stays pure. Also returns the evidence describing the
   * inbound request (redacted as the state requires), written before the
   * transition's own. A null event only starts the session or re-renders it.
   * `head`: the interaction's chain head, when a lookup read it anyway (say,
   * with the result of a job that appends to this chain); a newer one than the
   * cached session's saves the write that would fail on it and the reload.
   */
  prepare: (current: AnyMachineSnapshot | null) => Promise<{
    event: EventObject | null; evidence: EvidenceDraft[]; head?: (ChainHead & { interactionId: string }) | null;
  }>;
  /** Pure: state to answer (TwiML, JSON...). */
  render: (ctx: RenderContext) => Rendered;
  /** Whether the interaction ends with this turn (a completed call, say). */
  ends?: (snapshot: AnyMachineSnapshot) => boolean;
};

export type TurnResult = StoredReceipt & {
  replayed: boolean;
  sessionId: string | null;
  interactionId: string | null;
  snapshot: AnyMachineSnapshot | null;
  outbox: OutboxRow[];
};

export type TurnDeps = {
  db: Db;
  clock: Clock;
  machines: MachineRegistry;
  /** Called after commit with the turn's outbox rows (not awaited by the turn). */
  dispatch: (rows: OutboxRow[]) => void;
  /** Sessions this process saved lately: a hit saves the turn's read round trip. */
  sessions?: SessionCache;
  /** Group commit of concurrent turns; without it each turn is its own statement. */
  batcher?: TurnBatcher;
};
