import pg from 'pg';
import { checkOut, type Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { EvidenceAnchor } from './anchor.js';
import { sequenceRound, type RoundDeps, type RoundResult } from './log/sequence-round.js';
import type { EvidenceSigner } from './signer.js';

// why: one constant key so every gateway and worker process competes for the same leadership.
export const SEQUENCER_LOCK = 7_270_200;

export type SequencerDeps = {
  /** A connection string: the leader holds a dedicated session (advisory locks live and die with it). */
  databaseUrl: string;
  clock: Clock;
  signer: EvidenceSigner;
  origin: string;
  anchor: EvidenceAnchor;
  intervalMs?: number;
  batchSize?: number;
  onError?: (err: unknown) => void;
  onRound?: (r: RoundResult) => void;
  /** Test hook, see RoundDeps. */
  beforeCommit?: RoundDeps['beforeCommit'];
};

export type Sequencer = {
  /** Whether this process currently leads. */
  isLeader: () => boolean;
  /** Stops after the current round and releases leadership. */
  stop: () => Promise<void>;
};

/**
 * Runs rounds until `lead` says to stop. Rounds run back to back while a
 * backlog remains; each checkpoint goes to the anchor after it commits.
 */
const runRounds = async (client: pg.ClientBase, deps: SequencerDeps, stopped: () => boolean): Promise<void> => {
  for (;;) {
    if (stopped()) return;
    const r = await sequenceRound(client, deps);
    deps.onRound?.(r);
    if (r.checkpoint) await deps.anchor.anchor({ treeSize: r.checkpoint.treeSize, note: r.checkpoint.note }).catch(deps.onError);
    if (r.events < (deps.batchSize ?? 5_000)) return;
  }
};

/**
 * One leader at a time numbers committed events into the log, every
 * `intervalMs`. Each process tries `pg_try_advisory_lock` on its own
 * dedicated connection; whoever holds it sequences, the others keep trying.
 * If the leader dies, Postgres drops its session and the lock with it, and
 * the open round rolls back; another process resumes from the last checkpoint.
 */
export const startSequencer = (deps: SequencerDeps): Sequencer => {
  let stopping = false;
  let leader: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const connectLeader = async (): Promise<pg.Client | null> => {
    const c = new pg.Client({ connectionString: deps.databaseUrl });
    c.on('error', (err) => deps.onError?.(err));
    await c.connect();
    const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [SEQUENCER_LOCK]);
    if (rows[0]?.ok) return c;
    await c.end();
    return null;
  };

  const tick = async () => {
    try {
      leader ??= await connectLeader();
      if (leader) await runRounds(leader, deps, () => stopping);
    } catch (err) {
      deps.onError?.(err);
      // why: after any failure the session may be broken; drop it (and the lock) and re-elect next tick.
      const c = leader;
      leader = null;
      await c?.end().catch(() => undefined);
    }
  };

  const schedule = () => {
    if (stopping) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, deps.intervalMs ?? 1_000);
  };
  running = tick().finally(schedule);

  return {
    isLeader: () => leader !== null,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
      const c = leader;
      leader = null;
      await c?.end().catch(() => undefined);
    },
  };
};

/**
 * Runs rounds now if no other process leads (the CLI's export and the API's
 * export use it to get their own record sequenced without waiting a tick).
 * Returns false when another process holds the lock: it will sequence soon.
 */
export const sequenceNowIfFree = async (
  db: Db,
  deps: Omit<SequencerDeps, 'intervalMs' | 'databaseUrl'>,
): Promise<boolean> => {
  const { client: c, release } = await checkOut(db);
  let locked = false;
  try {
    const { rows } = await c.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [SEQUENCER_LOCK]);
    locked = rows[0]?.ok === true;
    if (locked) await runRounds(c, { ...deps, databaseUrl: '' }, () => false);
    return locked;
  } finally {
    // why: a pooled session outlives us; release the session lock before handing it back.
    if (locked) await c.query('select pg_advisory_unlock($1)', [SEQUENCER_LOCK]).catch(() => undefined);
    release();
  }
};
