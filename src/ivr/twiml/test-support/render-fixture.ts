import { initialTransition } from 'xstate';
import { inboundCallMachine, type CallerMatch, type InboundCallContext } from '../../../flows/inbound-call.machine.js';
import { parseBusinessHours } from '../../../shared/business-hours.js';
import { loadPromptCatalog } from '../../prompts/prompt-catalog.js';
import type { CallStateName } from '../call-states.js';
import type { RenderCallInput, RenderedCall, StateRenderer } from '../call-turn.js';

/**
 * Inputs for the pure renderer tests: a real snapshot of the call machine
 * (resolved, not transitioned, so any state can be rendered with any context),
 * the shipped prompt files, and action URLs that show the step and expectation.
 */

export const prompts = loadPromptCatalog();

export const caller = (policyNumbers: string[], more: Partial<CallerMatch> = {}): CallerMatch => ({
  policyholderId: 'ph-1',
  firstName: 'Maria',
  locale: 'en-US',
  policies: policyNumbers.map((policyNumber, i) => ({ policyId: `p-${i}`, policyNumber, status: 'active' })),
  ...more,
});

const [initial] = initialTransition(inboundCallMachine, {
  callSid: 'CA0001',
  from: '+12025550143',
  to: '+18005550100',
  caller: caller(['HM-100234']),
  defaultLocale: 'en-US',
});

export const due = (more: Partial<NonNullable<InboundCallContext['due']>> = {}): NonNullable<InboundCallContext['due']> => ({
  dueId: 'due-1',
  amountCents: 11_820,
  currency: 'USD',
  dueDate: '2026-12-05',
  standing: 'upcoming',
  graceEndDate: '2026-12-31',
  cardOnFile: { paymentMethodId: 'pm_1', brand: 'Visa', last4: '4242' },
  ...more,
});

/**
 * The context a call known by caller ID starts with (the machine's own
 * initial context, one policy), changed by `more`.
 */
export const context = (more: Partial<InboundCallContext> = {}): InboundCallContext => ({
  ...initial.context,
  ...more,
});

export const renderInput = (state: CallStateName, ctx: InboundCallContext, step = 4): RenderCallInput => ({
  snapshot: inboundCallMachine.resolveState({ value: state, context: ctx }),
  step,
  prompts,
  insurerName: 'Harbor Mutual',
  urls: {
    turn: ({ step: s, expect, noInput }) => `/turn?step=${s}&expect=${expect}${noInput ? '&noinput=1' : ''}`,
    hold: '/hold',
    payStatus: '/pay-status',
    retention: '/retention?step=1&expect=start',
    conferenceStatus: '/conference',
  },
  queueName: 'specialists',
  businessHours: parseBusinessHours('America/New_York Mon-Fri 09:00-17:00'),
  payConnector: 'Stripe_Connector',
});

/** Renders `state` with the group's renderer, as renderCall would. */
export const renderWith = <S extends CallStateName>(
  renderers: { readonly [K in S]: StateRenderer },
  state: S,
  more: Partial<InboundCallContext> = {},
): RenderedCall => renderers[state](renderInput(state, context(more)), state);

/** The verbs of a TwiML answer, in order, as `Verb` names (nested ones included). */
export const verbs = (twiml: string) => [...twiml.matchAll(/<([A-Z][A-Za-z]*)[\s>/]/g)].map((m) => m[1]);

/** Attributes of the first `verb` element. */
export const attrs = (twiml: string, verb: string): Record<string, string> => {
  const m = new RegExp(`<${verb}\\b([^>]*)>`).exec(twiml);
  if (!m) throw new Error(`no <${verb}> in ${twiml}`);
  return Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2]!.replace(/&amp;/g, '&')]));
};
