import type { AnyStateMachine, StateValueFrom } from 'xstate';
import type { RenderContext, Rendered } from './turn-spec.js';

/** The state names of a flat machine (every state a top-level one), from its type. */
export type StateName<M extends AnyStateMachine> = Extract<StateValueFrom<M>, string>;

/** A renderer for every state of machine M: a state without one fails typecheck. */
export type StateRenderers<M extends AnyStateMachine> = { readonly [S in StateName<M>]: (ctx: RenderContext) => Rendered };

/**
 * A flow's render hook from its renderers by state. `retired` answers a state
 * no deployed version has any more (a session pinned to an older version),
 * so the caller still gets an answer that ends the exchange cleanly.
 */
export const renderByState =
  <M extends AnyStateMachine>(renderers: StateRenderers<M>, retired: (ctx: RenderContext) => Rendered) =>
  (ctx: RenderContext): Rendered => {
    const value = ctx.snapshot.value;
    const state = typeof value === 'string' ? value : JSON.stringify(value);
    const render = Object.hasOwn(renderers, state) ? renderers[state as StateName<M>] : retired;
    return render(ctx);
  };
