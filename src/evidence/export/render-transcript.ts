import type { EnvelopeFields } from '../hash-chain.js';
import { eventParts } from '../turn-event.js';

/** An event as a bundle carries it (the fields the chain hash covers, plus ids and its log leaf). */
export type BundleEvent = EnvelopeFields & {
  id: string;
  prevHash: string;
  hash: string;
  leafIndex: number;
  leafHash: string;
};

const clocks = (e: BundleEvent) => `${e.receivedAt}${e.providerTime ? ` (carrier ${e.providerTime})` : ''}`;
const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : JSON.stringify(v));

/** One line in words for an event, or null when it says nothing a reader needs. */
const describe = (e: BundleEvent): string | null => {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case 'ivr.prompt': {
      const said = Array.isArray(p.said) ? p.said.map(str).join(' ') : '';
      return `CALLER HEARD: ${said}${p.gather ? ' [waiting for input]' : ''}`;
    }
    case 'ivr.input':
      return `CALLER ${p.noInput ? 'gave no input' : `pressed/said: ${str(p.digits) || str(p.speech) || '(nothing)'}`} at step ${str(p.step)}`;
    case 'call.status':
      return `CALL STATUS: ${str(p.CallStatus ?? p.status ?? p.params)}`;
    case 'flow.transition':
      return `STATE: ${str(p.from) || 'start'} -> ${str(p.to)} on ${str(p.event)}`;
    case 'consent.changed':
      return `CONSENT: ${JSON.stringify(p)}`;
    case 'webhook.received':
    case 'webhook.replayed':
      return null;
    default:
      return `${e.type.toUpperCase()}: ${JSON.stringify(p)}`;
  }
};

/**
 * A plain-text transcript of one interaction rendered from its events only
 * (what the caller heard and pressed, state changes, statuses), with both
 * clocks. Informative: the verifier checks events, not this text.
 */
export const renderTranscript = (interaction: { id: string; kind: string; direction: string | null }, events: readonly BundleEvent[]): string => {
  const lines = [`Interaction ${interaction.id} (${interaction.kind}${interaction.direction ? `, ${interaction.direction}` : ''})`, ''];
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    for (const p of eventParts(e)) {
      const d = describe(p);
      if (d) lines.push(`${clocks(p)}  #${p.seq}${p.part === null ? '' : `.${p.part}`}  ${d}`);
    }
  }
  lines.push('', 'Times: our clock (UTC), then the carrier\'s clock where it sent one.');
  return `${lines.join('\n')}\n`;
};
