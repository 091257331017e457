import type { AnyMachineSnapshot, EventObject } from 'xstate';
import type { Db } from '../../db/pool.js';
import { isRetryableConflict, isUniqueViolation } from '../../evidence/append-evidence.js';
import { chainDrafts, emptyEvidenceColumns, type ChainHead } from '../../evidence/chain-rows.js';
import { EvidenceType, type EvidenceDraft } from '../../evidence/evidence-event.js';
import { asOneTurnEvent } from '../../evidence/turn-event.js';
import { toOutboxRows, type OutboxRow } from '../../jobs/outbox-rows.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { effectsFromActions } from './effects.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';
import type { MachineRegistry } from './machine-registry.js';
import type { SessionCache } from './session-cache.js';
import type { TurnBatcher } from './turn-batcher.js';
import {
  createSession,
  genesisHead,
  loadTurn,
  saveTurn,
  type NewInteraction,
  type StoredReceipt,
} from './session-store.js';

/** What the turn hands the renderer: the state after the event, and the ids action URLs need. */
export type RenderContext = {
  snapshot: AnyMachineSnapshot;
  /** The session version this answer belongs to; action URLs carry it as their step id. */
  step: number;
  sessionId: string;
  interactionId: string;
};

export type Rendered = StoredReceipt & { evidence: EvidenceDraft[] };

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

const MAX_ATTEMPTS = 25;

const stateName = (s: AnyMachineSnapshot): string =>
  typeof s.value === 'string' ? s.value : JSON.stringify(s.value);

/**
 * One durable webhook turn: load the session, run the machine's pure
 * transition, then write snapshot, evidence and outbox in one statement and
 * answer with the rendered state. Concurrent turns on one session retry on the
 * optimistic version check, so none is lost; a repeated request (same dedupe
 * key) gets the stored answer and changes nothing.
 */
export const runTurn = async (spec: TurnSpec, deps: TurnDeps): Promise<TurnResult> => {
  const cache = deps.sessions;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // First try: a session this process saved last goes straight to the write. A retried webhook
    // then fails on its receipt, and the next attempt (from Postgres) replays the stored answer.
    const cached = attempt === 1 ? cache?.get(spec.sessionKey) : undefined;
    const loaded = cached
      ? { receipt: null, session: cached, existingInteraction: null }
      : attempt === 1 && spec.expectNew
        ? { receipt: null, session: null, existingInteraction: null }
        : await loadTurn(deps.db, spec.sessionKey, spec.dedupeKey, spec.start.ref);
    if (loaded.receipt) return replay(loaded.receipt);

    const now = deps.clock.now();
    const existing = loaded.session;
    const reg = existing
      ? deps.machines.get(existing.machineId, existing.machineVersion)
      : deps.machines.latest(spec.start.machineId);

    let before: AnyMachineSnapshot | null = null;
    let after: AnyMachineSnapshot;
    let actions: { type: string; params?: unknown }[] = [];
    let init: { input: unknown; interaction: NewInteraction } | null = null;
    if (existing) {
      before = cached?.resolved ?? (reg.machine.resolveState(existing.snapshot as never) as AnyMachineSnapshot);
      after = before;
    } else {
      init = await spec.start.init();
      [after, actions] = pureInitialTransition(reg.machine, init.input);
    }
    const prepared = await spec.prepare(before);
    if (prepared.event) {
      const [next, more] = pureTransition(reg.machine, after, prepared.event);
      after = next;
      actions = [...actions, ...more];
    }

    const sessionId = existing?.id ?? newId();
    const interactionId = existing?.interactionId ?? loaded.existingInteraction?.id ?? newId();
    const step = (existing?.version ?? 0) + 1;
    const outbox = toOutboxRows(effectsFromActions(actions), now);
    const rendered = spec.render({ snapshot: after, step, sessionId, interactionId });

    const drafts: EvidenceDraft[] = [...prepared.evidence];
    if (!before || stateName(before) !== stateName(after)) {
      drafts.push({
        type: EvidenceType.FLOW_TRANSITION,
        payload: {
          machine: `${reg.id}@${reg.version}`,
          from: before ? stateName(before) : null,
          to: stateName(after),
          event: prepared.event?.type ?? 'START',
        },
      });
    }
    for (const o of outbox) {
      drafts.push({
        type: EvidenceType.OUTBOUND_QUEUED,
        payload: { outboxId: o.id, topic: o.topic, runAt: o.runAt.toISOString() },
      });
    }
    drafts.push(...rendered.evidence);

    // why: another writer (a worker recording a job's outcome) may have moved the chain since this
    // process cached the session; the session itself did not move, so only the head is refreshed.
    const seen = prepared.head && existing && prepared.head.interactionId === existing.interactionId && prepared.head.seq > existing.evidenceSeq
      ? { seq: prepared.head.seq, hash: prepared.head.hash }
      : null;
    const head = existing
      ? (seen ?? { seq: existing.evidenceSeq, hash: existing.evidenceHead })
      : loaded.existingInteraction
        ? { seq: loaded.existingInteraction.evidenceSeq, hash: loaded.existingInteraction.evidenceHead }
        : genesisHead();
    const cols = emptyEvidenceColumns();
    const newHead = chainDrafts(interactionId, head, asOneTurnEvent(drafts), now, cols);
    const receipt = { contentType: rendered.contentType, body: rendered.body };
    const write = {
      now,
      snapshot: reg.machine.getPersistedSnapshot(after),
      status: after.status,
      dedupeKey: spec.dedupeKey,
      receipt,
      evidence: cols,
      fromSeq: head.seq,
      head: newHead,
      outbox,
      interactionEnded: spec.ends?.(after) ?? after.status === 'done',
      link: spec.link?.(after) ?? {},
    };

    try {
      const start = {
        sessionId, sessionKey: spec.sessionKey, machineId: reg.id, machineVersion: reg.version, interactionId,
        interaction: loaded.existingInteraction ? null : (init?.interaction ?? null),
      };
      const saved = existing
        ? await (deps.batcher ? deps.batcher.save(existing, write) : saveTurn(deps.db, existing, write))
        : deps.batcher && start.interaction
          ? await deps.batcher.create({ init: { ...start, interaction: start.interaction }, write })
          : await createSession(deps.db, start, write);
      if (saved === 'moved') {
        cache?.delete(spec.sessionKey);
        continue; // someone else moved the session on: run again on the new state
      }
    } catch (e) {
      cache?.delete(spec.sessionKey);
      // A duplicate receipt means a concurrent copy of this request won: loop to replay its answer.
      // A conflict (GW409) or a deadlock means the data moved on under the statement, which rolled
      // back whole: run the turn again on what is there now.
      if (isUniqueViolation(e) || isRetryableConflict(e)) continue;
      throw e;
    }
    cache?.set(spec.sessionKey, {
      id: sessionId,
      machineId: reg.id,
      machineVersion: reg.version,
      snapshot: write.snapshot,
      version: (existing?.version ?? 0) + 1,
      interactionId,
      evidenceSeq: newHead.seq,
      evidenceHead: newHead.hash,
      resolved: after,
    }, { ended: after.status !== 'active' });
    if (outbox.length > 0) deps.dispatch(outbox);
    return { ...receipt, replayed: false, sessionId, interactionId, snapshot: after, outbox };
  }
  throw new AppError('FLOW_CONTENTION', `session ${spec.sessionKey} kept changing under ${MAX_ATTEMPTS} attempts`);
};

const replay = (receipt: StoredReceipt): TurnResult => ({
  ...receipt,
  replayed: true,
  sessionId: null,
  interactionId: null,
  snapshot: null,
  outbox: [],
});
