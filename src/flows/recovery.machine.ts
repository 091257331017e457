import { setup } from 'xstate';
import type { JobPayloadIn } from '../jobs/job-definition.js';
import type { recoveryFinishJob } from '../jobs/contracts/recovery-finish.job.js';
import type { recoveryStepJob } from '../jobs/contracts/recovery-step.job.js';
import type { recoveryWakeJob } from '../jobs/contracts/recovery-wake.job.js';
import { advanceRecovery } from '../recovery/advance-recovery.js';
import type { RecoveryContext, RecoveryEvent, RecoveryInput } from './recovery.types.js';

export type * from './recovery.types.js';

/** When a job runs and what it is about ('due:<id>': paying the due cancels it), beside its payload. */
type Scheduled = { runAt: string; correlation: string };
type Args = { context: RecoveryContext };

const nextIs = (type: 'stop' | 'close', status?: 'paid' | 'reinstate' | 'closed') =>
  Object.defineProperty(
    ({ context }: Args) => context.next?.type === type && (status === undefined || (context.next.type === 'stop' && context.next.status === status)),
    'name',
    { value: status ?? type },
  );

const finishedWhy = ({ context }: Args): string => (context.next && 'why' in context.next && context.next.why) || 'finished';

const recoverySetup = setup({
  types: {} as { context: RecoveryContext; events: RecoveryEvent; input: RecoveryInput },
  guards: {
    paid: nextIs('stop', 'paid'),
    reinstate: nextIs('stop', 'reinstate'),
    closedNow: ({ context }) => {
      const n = context.next;
      return (n?.type === 'stop' && n.status === 'closed') || (n?.type === 'close' && context.wokeAt !== null && Date.parse(n.at) <= Date.parse(context.wokeAt));
    },
    cancelled: ({ context }) => context.schedule.steps.some((s) => s.kind === 'cancel' && context.history.some((h) => h.stepId === s.id && h.outcome === 'done')),
  },
  actions: {
    // Jobs: params typed by their job definitions; the outbox writer checks them against the same ones.
    'outbox:recovery.run-step': (_, _p: JobPayloadIn<typeof recoveryStepJob>) => undefined,
    'outbox:recovery.wake': (_, _p: JobPayloadIn<typeof recoveryWakeJob> & Scheduled) => undefined,
    'outbox:recovery.finish': (_, _p: JobPayloadIn<typeof recoveryFinishJob>) => undefined,
  },
});

/** Runs or skips every step due at the wake (one run-step job each) and keeps what comes next. */
const advance = recoverySetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== 'WAKE') return;
  const a = advanceRecovery(context.schedule, event.facts, context.history, event.now);
  enqueue.assign({ history: a.history, next: a.next, wokeAt: event.now });
  for (const d of a.decisions) enqueue({ type: 'outbox:recovery.run-step', params: { dueId: context.dueId, ...d } });
});

/**
 * A wake at the next step's time (or the window's close), none before the first wake.
 * why: a wake for a changed fact (a payment, a consent) comes between scheduled ones; not
 * queueing a time already queued keeps one chain of wakes per due, not one more per such wake.
 */
const wakeAtNext = recoverySetup.enqueueActions(({ context, enqueue }) => {
  const n = context.next;
  if (!n || n.type === 'stop' || n.at === context.wakeAt) return;
  enqueue.assign({ wakeAt: n.at });
  enqueue({ type: 'outbox:recovery.wake', params: { dueId: context.dueId, runAt: n.at, correlation: `due:${context.dueId}` } });
});

/** A deferred step waits in the history for its new time, and a wake is queued for it. */
const defer = recoverySetup.enqueueActions(({ context, event, enqueue }) => {
  if (event.type !== 'STEP_DEFERRED') return;
  const { stepId, at, until } = event;
  enqueue.assign({ history: [...context.history.filter((h) => h.stepId !== stepId), { stepId, outcome: 'deferred', at, until }], wakeAt: until });
  enqueue({ type: 'outbox:recovery.wake', params: { dueId: context.dueId, runAt: until, correlation: `due:${context.dueId}` } });
});

const finish = (outcome: 'paid' | 'reinstated' | 'closed') => ({
  type: 'outbox:recovery.finish' as const,
  params: (a: Args) => ({ dueId: a.context.dueId, outcome, why: finishedWhy(a) }),
});

const listening = { WAKE: { target: 'stepDue', actions: advance }, STEP_DEFERRED: { actions: defer } } as const;

/**
 * One due's failed-debit recovery (not deployed yet). Each WAKE runs the steps
 * due by then as the planner decides them (run-step jobs) and waits for the next
 * one; paying stops it at once; the cancellation at the end of grace opens the
 * reinstatement window, where paying reinstates the policy and its end closes
 * the recovery. Time comes only from the events; waits are wake jobs.
 */
export const recoveryMachine = recoverySetup.createMachine({
  id: 'recovery',
  context: ({ input }) => ({ ...input, history: [], next: null, wokeAt: null, wakeAt: null }),
  initial: 'waiting',
  states: {
    /** Before cancellation: until the next step's time, a payment or a deferral. */
    waiting: { entry: wakeAtNext, on: listening },
    /** Decides where the recovery stands after a wake. */
    stepDue: {
      always: [
        { guard: 'paid', target: 'stopped' },
        { guard: 'reinstate', target: 'reinstated' },
        { guard: 'closedNow', target: 'closed' },
        { guard: 'cancelled', target: 'reinstatementWindow' },
        { target: 'waiting' },
      ],
    },
    /** The policy was cancelled unpaid; paying before the window closes reinstates it. */
    reinstatementWindow: { entry: wakeAtNext, on: listening },
    /** Paid before cancellation: nothing more is sent. */
    stopped: { type: 'final', entry: finish('paid') },
    reinstated: { type: 'final', entry: finish('reinstated') },
    /** The window closed unpaid, or the payment came too late to reinstate. */
    closed: { type: 'final', entry: finish('closed') },
  },
});

export type RecoverySnapshot = ReturnType<typeof recoveryMachine.getInitialSnapshot>;
