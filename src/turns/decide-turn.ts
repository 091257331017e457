import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { chainDrafts, emptyEvidenceColumns, type ChainHead } from '../evidence/chain-rows.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import { asOneTurnEvent } from '../evidence/turn-event.js';
import { toOutboxRows, type OutboxRow } from '../jobs/outbox-rows.js';
import { newId } from '../shared/ids.js';
import { effectsFromActions } from './effects.js';
import { genesisHead, type LoadedTurn } from './load-turn.js';
import type { RegisteredMachine } from './machine-registry.js';
import { pureInitialTransition, pureTransition } from './pure-transition.js';
import type { TurnSpec } from './turn-spec.js';
import type { NewInteraction, StoredSession, TurnItem } from './turn-write.js';

export type TurnInputs = {
  spec: TurnSpec;
  reg: RegisteredMachine;
  loaded: LoadedTurn;
  /** The session's state before this request (null for a new session), and the new session's start. */
  before: AnyMachineSnapshot | null;
  init: { input: unknown; interaction: NewInteraction } | null;
  prepared: Awaited<ReturnType<TurnSpec['prepare']>>;
  now: Date;
};

export type DecidedTurn = {
  item: TurnItem;
  after: AnyMachineSnapshot;
  outbox: OutboxRow[];
  /** The session as it is once the write is saved (for the session cache). */
  stored: StoredSession;
};

const stateName = (s: AnyMachineSnapshot): string =>
  typeof s.value === 'string' ? s.value : JSON.stringify(s.value);

/**
 * Everything a turn writes, decided without I/O: the machine's transition,
 * the outbox rows its actions ask for, the rendered answer, and the evidence
 * (the request's, the transition, each job queued, what was answered)
 * chained onto the interaction's head.
 */
export const decideTurn = ({ spec, reg, loaded, before, init, prepared, now }: TurnInputs): DecidedTurn => {
  const existing = loaded.session;
  let [after, actions]: [AnyMachineSnapshot, { type: string; params?: unknown }[]] = before
    ? [before, []]
    : pureInitialTransition(reg.machine, init!.input);
  if (prepared.event) {
    const [next, more] = pureTransition(reg.machine, after, prepared.event as EventObject);
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
    drafts.push({ type: EvidenceType.OUTBOUND_QUEUED, payload: { outboxId: o.id, topic: o.topic, runAt: o.runAt.toISOString() } });
  }
  drafts.push(...rendered.evidence);

  const head = chainHead(loaded, prepared.head ?? null);
  const cols = emptyEvidenceColumns();
  const newHead = chainDrafts(interactionId, head, asOneTurnEvent(drafts), now, cols);
  const write = {
    now,
    snapshot: reg.machine.getPersistedSnapshot(after),
    status: after.status,
    dedupeKey: spec.dedupeKey,
    receipt: { contentType: rendered.contentType, body: rendered.body },
    evidence: cols,
    fromSeq: head.seq,
    head: newHead,
    outbox,
    interactionEnded: spec.ends?.(after) ?? after.status === 'done',
    link: spec.link?.(after) ?? {},
  };
  const item: TurnItem = existing
    ? { sessionKey: spec.sessionKey, session: existing, write }
    : {
      sessionKey: spec.sessionKey,
      start: {
        sessionId, sessionKey: spec.sessionKey, machineId: reg.id, machineVersion: reg.version, interactionId,
        interaction: loaded.existingInteraction ? null : (init?.interaction ?? null),
      },
      write,
    };
  const stored: StoredSession = {
    id: sessionId, machineId: reg.id, machineVersion: reg.version, snapshot: write.snapshot, version: step,
    interactionId, evidenceSeq: newHead.seq, evidenceHead: newHead.hash,
  };
  return { item, after, outbox, stored };
};

/**
 * Where the turn's evidence goes on: the session's head, or a newer one a lookup read (another
 * writer, a worker recording a job's outcome, moved the chain since this process cached the
 * session; the session itself did not move, so only the head is refreshed), or the head of an
 * interaction recorded before the session, or a new chain.
 */
const chainHead = (loaded: LoadedTurn, seen: (ChainHead & { interactionId: string }) | null): ChainHead => {
  const s = loaded.session;
  if (s) {
    return seen && seen.interactionId === s.interactionId && seen.seq > s.evidenceSeq
      ? { seq: seen.seq, hash: seen.hash }
      : { seq: s.evidenceSeq, hash: s.evidenceHead };
  }
  const x = loaded.existingInteraction;
  return x ? { seq: x.evidenceSeq, hash: x.evidenceHead } : genesisHead();
};
