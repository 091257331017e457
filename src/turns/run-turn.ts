import type { AnyMachineSnapshot } from 'xstate';
import { isRetryableConflict, isUniqueViolation } from '../evidence/append-evidence.js';
import { AppError } from '../shared/app-error.js';
import { decideTurn } from './decide-turn.js';
import { loadTurn, type LoadedTurn } from './load-turn.js';
import { writeOneTurn } from './write-one-turn.js';
import type { TurnDeps, TurnResult, TurnSpec } from './turn-spec.js';
import type { StoredReceipt } from './turn-write.js';

export type { RenderContext, Rendered, TurnDeps, TurnResult, TurnSpec } from './turn-spec.js';

const MAX_ATTEMPTS = 25;

/**
 * One durable webhook turn: load the session, decide (the machine's pure
 * transition, evidence, jobs, the rendered answer), then write it all in one
 * statement and answer. Concurrent turns on one session retry on the
 * optimistic version check, so none is lost; a repeated request (same dedupe
 * key) gets the stored answer and changes nothing.
 */
export const runTurn = async (spec: TurnSpec, deps: TurnDeps): Promise<TurnResult> => {
  const cache = deps.sessions;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // First try: a session this process saved last goes straight to the write. A retried webhook
    // then is not saved (its answer is stored), and the next attempt (from Postgres) replays it.
    const cached = attempt === 1 ? cache?.get(spec.sessionKey) : undefined;
    const loaded: LoadedTurn = cached
      ? { receipt: null, session: cached, existingInteraction: null }
      : attempt === 1 && spec.expectNew
        ? { receipt: null, session: null, existingInteraction: null }
        : await loadTurn(deps.db, spec.sessionKey, spec.dedupeKey, spec.start.ref);
    if (loaded.receipt) return replay(loaded.receipt);

    const existing = loaded.session;
    const reg = existing ? deps.machines.get(existing.machineId, existing.machineVersion) : deps.machines.latest(spec.start.machineId);
    const before: AnyMachineSnapshot | null = existing
      ? (cached?.resolved ?? (reg.machine.resolveState(existing.snapshot as never) as AnyMachineSnapshot))
      : null;
    const init = existing ? null : await spec.start.init();
    const prepared = await spec.prepare(before);
    const turn = decideTurn({ spec, reg, loaded, before, init, prepared, now: deps.clock.now() });

    try {
      const saved = await (deps.batcher ? deps.batcher.write(turn.item) : writeOneTurn(deps.db, turn.item));
      if (saved === 'moved') {
        cache?.delete(spec.sessionKey);
        continue; // someone else moved the session on (or answered this webhook): run again on what is there
      }
    } catch (e) {
      cache?.delete(spec.sessionKey);
      // A duplicate receipt means a concurrent copy of this request won: loop to replay its answer.
      // A conflict (GW409) or a deadlock means the data moved on under the statement, which rolled
      // back whole: run the turn again on what is there now.
      if (isUniqueViolation(e) || isRetryableConflict(e)) continue;
      throw e;
    }
    cache?.set(spec.sessionKey, { ...turn.stored, resolved: turn.after }, { ended: turn.after.status !== 'active' });
    if (turn.outbox.length > 0) deps.dispatch(turn.outbox);
    const { contentType, body } = turn.item.write.receipt;
    return { contentType, body, replayed: false, sessionId: turn.stored.id, interactionId: turn.stored.interactionId, snapshot: turn.after, outbox: turn.outbox };
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
