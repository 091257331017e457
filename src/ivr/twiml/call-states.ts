import type { StateValueFrom } from 'xstate';
import type { inboundCallMachine } from '../../flows/inbound-call.machine.js';
import type { inboundCallMachineV1 } from '../../flows/inbound-call.v1.machine.js';
import type { inboundCallMachineV2 } from '../../flows/inbound-call.v2.machine.js';

/**
 * Every state name of every deployed version of the inbound call, derived from
 * the machines' types: a state added to either version joins this union, and
 * the renderer map (render-call.ts), typed on it, stops compiling until the
 * state has a renderer. Both versions are flat, so a state value is its name.
 * A new version joins the union here; render-call.test.ts fails until it does
 * (it checks every deployed version's states at run time).
 */
export type CallStateName = Extract<
  StateValueFrom<typeof inboundCallMachineV1> | StateValueFrom<typeof inboundCallMachineV2> | StateValueFrom<typeof inboundCallMachine>,
  string
>;
