// A policy's timeline across channels (GET /api/compliance/policies/:policyNumber/timeline): calls,
// messages, consent and state changes, payments and evidence reads, part by part, with both clocks
// and each event's place in the signed log; its payment attempts; and the bundle export.
import { api, query } from './console-api.js';
import { el, money, mount } from './dom.js';
import { proofStatus } from './compliance-proof.js';
import type { Timeline, TimelineEntry } from './compliance-types.js';
import { describePart, utc } from './compliance-describe.js';
import { exportPanel } from './compliance-export.js';
import { badge, formValues, input, problem, table, type ComplianceContext } from './compliance-ui.js';

const CHANNEL: Record<TimelineEntry['kind'], string> = {
  call: 'Call', message: 'Message', payment: 'Payment', state: 'State', consent: 'Consent', access: 'Evidence read', other: 'Other',
};

const entryRow = (e: TimelineEntry, first: boolean, ctx: ComplianceContext) => {
  const d = describePart(e.type, e.payload, e.interactionKind)!;
  const status = proofStatus(e.leafIndex, ctx.checkpoint);
  return el('tr', { class: `kind-${e.kind}` },
    el('td', {}, utc(e.receivedAt)),
    el('td', {}, utc(e.providerTime)),
    el('td', {}, CHANNEL[e.kind] ?? e.kind),
    el('td', { class: 'said' }, d.text),
    el('td', {}, badge(status.text, status.tone)),
    el('td', {}, first && e.interactionKind !== 'audit'
      ? el('button', { type: 'button', class: 'secondary', onclick: () => ctx.openTranscript(e.interactionId, e.interactionKind) }, e.interactionKind === 'call' ? 'Transcript' : 'Open')
      : null));
};

const str = (v: unknown) => (v === null || v === undefined ? '—' : String(v));
const attemptRow = (a: Record<string, unknown>) => el('tr', {},
  el('td', {}, typeof a.created_at === 'string' ? utc(a.created_at) : '—'),
  el('td', {}, str(a.due_date).slice(0, 10)),
  el('td', {}, str(a.attempt_no)),
  el('td', {}, str(a.channel)),
  // (a bigint column: the JSON may carry it as a string)
  el('td', {}, a.amount_cents === null || a.amount_cents === undefined || !Number.isFinite(Number(a.amount_cents)) ? '—' : money(Number(a.amount_cents))),
  el('td', {}, str(a.status)),
  el('td', {}, [a.decline_code, a.decline_class].filter(Boolean).join(' / ') || '—'),
  el('td', {}, str(a.provider_payment_id)));

/** The timeline view of one policy in a window (dates, in the insurer's zone, or ISO date-times). */
export const renderTimeline = (target: HTMLElement, policyNumber: string, window: { from: string; to: string }, ctx: ComplianceContext) => {
  const body = el('div', {});
  const form = el('form', { class: 'row', 'data-testid': 'window' },
    input('From', 'from', { type: 'date', value: window.from, required: 'true' }),
    input('To', 'to', { type: 'date', value: window.to, required: 'true' }),
    el('button', { type: 'submit', class: 'secondary' }, 'Show'));
  const current = () => {
    const v = formValues(form);
    return { from: v.from ?? window.from, to: v.to ?? window.to };
  };
  const load = () => {
    const w = current();
    mount(body, el('p', { class: 'muted' }, 'Loading the timeline…'));
    api<Timeline>('GET', `/api/compliance/policies/${encodeURIComponent(policyNumber)}/timeline${query(w)}`)
      .then((t) => {
        const seen = new Set<string>();
        // why: a provider's raw request (a voice webhook's form) says nothing a reader needs here; the bundle holds it.
        const rows = t.entries.filter((e) => describePart(e.type, e.payload, e.interactionKind) !== null).map((e) => {
          const first = !seen.has(e.interactionId);
          seen.add(e.interactionId);
          return entryRow(e, first, ctx);
        });
        mount(body,
          el('p', { class: 'muted' }, 'Oldest first, part by part; times in UTC. Providers\' raw requests are left out here (the bundle holds every event).'),
          table('timeline', ['Our time', 'Provider time', 'Channel', 'What', 'Proof', ''], rows, 'Nothing recorded for this policy in the window.'),
          el('h3', {}, 'Payment attempts'),
          table('payment-attempts', ['Created', 'Due', 'Attempt', 'Channel', 'Amount', 'Status', 'Decline', 'Provider id'], t.paymentAttempts.map(attemptRow), 'No payment attempt in the window.'));
      })
      .catch((err) => mount(body, problem(err)));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  mount(target,
    el('h2', {}, 'Timeline of policy ', el('span', { 'data-testid': 'timeline-policy' }, policyNumber)),
    form,
    exportPanel(policyNumber, current, ctx),
    body);
  load();
};
