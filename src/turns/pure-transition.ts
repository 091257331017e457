import { createActor, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

type ActorScope = Parameters<AnyStateMachine['transition']>[2];
type ExecutableAction = { type: string; params?: unknown };

const scopes = new WeakMap<AnyStateMachine, ActorScope>();
const ignore = () => undefined;

/**
 * The inert actor scope xstate's own `transition()` builds, made once per
 * machine instead of once per call: xstate constructs a throwaway Actor for
 * every call, and the Actor computes the machine's whole initial state in its
 * constructor, which was the most expensive part of a webhook turn's
 * transition. Sharing the scope is sound for flow machines because they
 * neither invoke nor spawn actors (checked here): nothing registers in its
 * system, and side effects leave as outbox actions.
 */
const inertScope = (machine: AnyStateMachine): ActorScope => {
  let scope = scopes.get(machine);
  if (scope) return scope;
  assertNoChildActors(machine);
  const self = createActor(machine);
  scope = {
    self, defer: ignore, id: '', logger: ignore, sessionId: '', stopChild: ignore, system: self.system, emit: ignore,
    actionExecutor: ignore,
  } as unknown as ActorScope;
  scopes.set(machine, scope);
  return scope;
};

/** Flow machines are pure: a state that invokes an actor would need xstate's per-call scope. */
const assertNoChildActors = (machine: AnyStateMachine): void => {
  const walk = (node: AnyStateMachine['root']): void => {
    if (node.invoke.length > 0) throw new Error(`flow machine ${machine.id}: state ${node.id} invokes an actor; flows must stay pure`);
    for (const child of Object.values(node.states)) walk(child as AnyStateMachine['root']);
  };
  walk(machine.root);
};

const run = <T>(machine: AnyStateMachine, step: (scope: ActorScope) => T): [T, ExecutableAction[]] => {
  const scope = inertScope(machine);
  const actions: ExecutableAction[] = [];
  // why: the transition is synchronous, so no other call can see this executor.
  scope.actionExecutor = (a: ExecutableAction) => void actions.push(a);
  try {
    return [step(scope), actions];
  } finally {
    scope.actionExecutor = ignore;
  }
};

/** Like xstate's `transition()`: the next snapshot and the actions to execute, none executed. */
export const pureTransition = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject) =>
  run(machine, (scope) => machine.transition(snapshot as never, event as never, scope) as AnyMachineSnapshot);

/** Like xstate's `initialTransition()`. */
export const pureInitialTransition = (machine: AnyStateMachine, input: unknown) =>
  run(machine, (scope) => machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot);
