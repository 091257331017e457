// One interaction's transcript, re-rendered from its evidence (GET /api/compliance/interactions/:id/events):
// what the caller heard and pressed, or what was texted each way, with both clocks and each event's proof.
import { eventParts } from '../../evidence/turn-event.js';
import { api } from './console-api.js';
import { el, mount } from './dom.js';
import { checkEvent, canVerify, proofStatus } from './compliance-proof.js';
import type { InclusionProof, StoredEvent } from './compliance-types.js';
import { describePart, utc } from './compliance-describe.js';
import { badge, problem, table, type ComplianceContext } from './compliance-ui.js';

/** A call or thread's kind from its own evidence, when the caller of this view did not know it. */
const kindOf = (events: StoredEvent[]): string => {
  const parts = events.flatMap((e) => eventParts(e));
  if (parts.some((p) => p.type.startsWith('ivr.') || p.type === 'call.status')) return 'call';
  if (parts.some((p) => p.type === 'sms.reply' || (p.type === 'webhook.received' && (p.payload as { path?: string })?.path === '/twilio/sms'))) return 'sms-thread';
  return 'other';
};

const WHO: Record<string, string> = {
  heard: 'Caller heard', pressed: 'Caller', 'texted in': 'Customer texted', 'texted out': 'We texted', status: 'Status', state: 'State',
  consent: 'Consent', payment: 'Payment', access: 'Evidence read', other: 'Event',
};

/** Checks every event that a checkpoint covers, in this browser, writing each verdict into its proof cell. */
const verifyAll = async (interactionId: string, events: StoredEvent[], cells: Map<string, HTMLElement>, ctx: ComplianceContext, summary: HTMLElement) => {
  if (!ctx.key) return mount(summary, badge('No verifier key: nothing checked here.', 'warn'));
  let ok = 0;
  let bad = 0;
  for (const [i, e] of events.entries()) {
    const cell = cells.get(e.id)!;
    const prev = i === 0 ? '0'.repeat(64) : events[i - 1]!.hash;
    if (e.prevHash !== prev) {
      bad++;
      mount(cell, badge(`FAILED: the chain is broken before #${e.seq}`, 'bad'));
      continue;
    }
    if (e.leafIndex === null || !ctx.checkpoint || e.leafIndex >= ctx.checkpoint.size) continue;
    try {
      const proof = await api<InclusionProof>('GET', `/api/compliance/events/${e.id}/proof`);
      const r = await checkEvent(interactionId, e, proof, ctx.key);
      if (r.ok) ok++;
      else bad++;
      mount(cell, r.ok ? badge(`verified here: in the signed log of tree size ${r.treeSize}`, 'good') : badge(`FAILED: ${r.problem}`, 'bad'));
    } catch (err) {
      bad++;
      mount(cell, problem(err));
    }
  }
  mount(summary, bad ? badge(`${bad} event(s) failed the check`, 'bad') : badge(`${ok} event(s) verified in this browser`, 'good'));
};

/** The transcript view of one interaction. */
export const renderTranscript = async (target: HTMLElement, interactionId: string, ctx: ComplianceContext, knownKind?: string) => {
  mount(target, el('p', { class: 'muted' }, 'Loading the interaction…'));
  try {
    const { events } = await api<{ events: StoredEvent[] }>('GET', `/api/compliance/interactions/${interactionId}/events`);
    const kind = knownKind ?? kindOf(events);
    const cells = new Map<string, HTMLElement>();
    const rows: HTMLTableRowElement[] = [];
    for (const e of events) {
      const status = proofStatus(e.leafIndex, ctx.checkpoint);
      const cell = el('td', { 'data-testid': 'proof' }, badge(status.text, status.tone));
      cells.set(e.id, cell);
      const said = eventParts(e).map((p) => ({ p, d: describePart(p.type, p.payload, kind) })).filter((x) => x.d !== null);
      // One row per part worth reading; an event with none still shows (its type), so every proof has a row.
      const lines = said.length ? said : [{ p: { ...e, part: null }, d: { who: 'other' as const, text: e.type } }];
      if (lines.length > 1) cell.setAttribute('rowspan', String(lines.length));
      lines.forEach(({ p, d }, k) => rows.push(el('tr', { class: `said-${d!.who.replace(' ', '-')}` },
        el('td', {}, utc(p.receivedAt)),
        el('td', {}, utc(p.providerTime)),
        el('td', {}, `#${e.seq}${p.part === null ? '' : `.${p.part}`}`),
        el('td', {}, WHO[d!.who] ?? d!.who),
        el('td', { class: 'said' }, d!.text),
        k === 0 ? cell : null)));
    }
    const summary = el('span', { 'data-testid': 'verify-summary' });
    const verify = el('button', { type: 'button', disabled: !canVerify() }, 'Verify each event in this browser');
    verify.addEventListener('click', () => {
      verify.disabled = true;
      mount(summary, 'Checking…');
      void verifyAll(interactionId, events, cells, ctx, summary).finally(() => { verify.disabled = false; });
    });
    mount(target,
      el('h2', {}, kind === 'call' ? 'Call transcript' : kind === 'sms-thread' ? 'Messages' : 'Interaction', ' ', el('small', { class: 'muted' }, interactionId)),
      el('p', { class: 'muted' }, 'Re-rendered from the interaction\'s evidence: our clock, then the provider\'s where it sent one (UTC).'),
      el('div', { class: 'row' }, verify, summary),
      table('transcript', ['Our time', 'Provider time', 'Event', 'Who', 'What', 'Proof'], rows, 'This interaction has no events.'));
  } catch (err) {
    mount(target, problem(err));
  }
};
