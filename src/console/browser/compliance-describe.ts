// Evidence parts in plain words, for transcripts and timelines: what the caller heard and pressed,
// what was texted each way, state, consent and payment changes. Read from the parts' payloads only
// (the shapes written by src/ivr, src/sms and src/payments; see src/evidence/retrieval/call-journey.ts).

export type Said = {
  /** Who did it, in a word: the transcript's left column. */
  who: 'heard' | 'pressed' | 'texted in' | 'texted out' | 'status' | 'state' | 'consent' | 'payment' | 'access' | 'other';
  text: string;
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const compact = (v: unknown): string => {
  const s = JSON.stringify(v) ?? '';
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
};
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A part in words, or null when it adds nothing a reader needs (a voice webhook's raw request). */
export const describePart = (type: string, payload: unknown, interactionKind: string): Said | null => {
  const p = record(payload);
  switch (type) {
    case 'ivr.prompt':
      return { who: 'heard', text: Array.isArray(p.said) ? p.said.filter((s) => typeof s === 'string').join(' ') : '' };
    case 'ivr.input': {
      const digits = str(p.digits);
      const speech = str(p.speech);
      // why: the flow's own requests (its start, the return from a hold) are not something the caller did.
      if (!digits && !speech && (p.expect === 'start' || p.expect === 'transfer')) return null;
      const at = str(p.expect) ? ` (asked for: ${String(p.expect)})` : '';
      return { who: 'pressed', text: digits ? `pressed ${digits}${at}` : speech ? `said "${speech}"${at}` : `no input${at}` };
    }
    case 'webhook.received': {
      const params = record(p.params);
      if (interactionKind === 'sms-thread' && typeof params.Body === 'string') return { who: 'texted in', text: params.Body };
      return null;
    }
    case 'webhook.replayed':
      return null;
    case 'sms.reply':
      return str(p.text) ? { who: 'texted out', text: String(p.text) } : null;
    case 'call.status':
      return { who: 'status', text: `call ${str(p.CallStatus) ?? str(p.status) ?? compact(p)}` };
    case 'sms.status':
      return { who: 'status', text: `message ${str(p.MessageStatus) ?? str(p.status) ?? compact(p)}` };
    case 'flow.transition':
      return { who: 'state', text: `${str(p.from) ?? 'start'} → ${str(p.to) ?? '?'} on ${str(p.event) ?? '?'}` };
    case 'consent.changed':
      return { who: 'consent', text: `${str(p.channel) ?? ''} consent ${p.granted ? 'granted' : 'revoked'}${str(p.source) ? ` (${String(p.source)})` : ''}` };
    case 'evidence.accessed':
    case 'evidence.exported':
      return { who: 'access', text: `${str(record(p.actor).name) ?? 'someone'}: ${str(p.action) ?? type}` };
    default:
      if (type.startsWith('payment.') || type.startsWith('pay')) return { who: 'payment', text: `${type}: ${compact(p)}` };
      return { who: 'other', text: `${type}: ${compact(p)}` };
  }
};

/** A time as UTC to the second (compliance reads both clocks in one zone): 2026-12-03 15:00:05 UTC. */
export const utc = (iso: string | null | undefined): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—');
