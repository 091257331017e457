import type { DialOutcome, DialTarget, EnqueueOutcome, GatherInput, PayOutcome } from './input-provider.js';

/** Why a simulated call ended. */
export type CallEndReason =
  | 'hangup-verb'
  | 'reject-verb'
  | 'end-of-document'
  | 'caller-hangup'
  | 'not-answered'
  | 'application-error'
  | 'loop-guard'
  | 'hung-up-by-api';

/**
 * Everything that happens on a simulated call, in order: what the caller
 * hears, what they enter, where the call is sent, and how it ends.
 */
export type CallEvent =
  | { type: 'say'; text: string; voice?: string; language?: string; loop: number }
  | { type: 'play'; url: string; loop: number; digits?: string }
  | { type: 'pause'; length: number }
  | { type: 'gather'; action: string; input: GatherInput }
  | { type: 'redirect'; url: string }
  | { type: 'pay'; action: string; chargeAmount: number; outcome: PayOutcome | 'hangup' }
  | { type: 'dial'; targets: DialTarget[]; outcome: DialOutcome | 'hangup' }
  | { type: 'enqueue'; queue: string; outcome: EnqueueOutcome | 'hangup' }
  | { type: 'conference'; name: string; event: 'joined' | 'started' | 'left'; reason?: string }
  | { type: 'updated'; by: 'redirect' | 'twiml' | 'hangup'; url?: string }
  | { type: 'unsupported'; verb: string }
  | { type: 'error'; message: string; spoken?: string }
  | { type: 'end'; reason: CallEndReason; rejectReason?: string };

/** The sentence Twilio speaks when the application answers badly, before hanging up. */
export const APPLICATION_ERROR_SPEECH = 'We are sorry, an application error has occurred. Goodbye.';
