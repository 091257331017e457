// Search: by policy number, phone number, interaction id or time window (GET /api/compliance/interactions).
import { api, query } from './console-api.js';
import { el, mount } from './dom.js';
import type { InteractionHit } from './compliance-types.js';
import { utc } from './compliance-describe.js';
import { formValues, input, problem, table, type ComplianceContext } from './compliance-ui.js';

const hitRow = (h: InteractionHit, ctx: ComplianceContext) => el('tr', {},
  el('td', {}, utc(h.startedAt)),
  el('td', {}, h.kind, h.direction ? ` (${h.direction})` : ''),
  el('td', {}, h.from ?? '—'),
  el('td', {}, h.to ?? '—'),
  el('td', {}, h.policies.join(', ') || '—'),
  el('td', {}, h.events),
  el('td', {}, el('div', { class: 'actions' },
    h.kind === 'audit' ? null : el('button', { type: 'button', class: 'secondary', onclick: () => ctx.openTranscript(h.id, h.kind) }, h.kind === 'call' ? 'Transcript' : 'Messages'),
    ...h.policies.map((p) => el('button', { type: 'button', class: 'secondary', onclick: () => ctx.openTimeline(p) }, `Timeline ${p}`)))));

/** The search card: a form and its results. */
export const searchCard = (ctx: ComplianceContext, onWindow: (w: { from: string; to: string }) => void) => {
  const results = el('div', { 'data-testid': 'results' });
  const form = el('form', { class: 'row', 'data-testid': 'search' },
    input('Policy number', 'policy', { maxlength: '64', autocomplete: 'off' }),
    input('Phone (E.164)', 'phone', { maxlength: '16', placeholder: '+12025550143', autocomplete: 'off' }),
    input('Interaction id', 'interaction', { maxlength: '36', autocomplete: 'off' }),
    input('From', 'from', { type: 'date' }),
    input('To', 'to', { type: 'date' }),
    el('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (v.from && v.to) onWindow({ from: v.from, to: v.to });
    mount(results, el('p', { class: 'muted' }, 'Searching…'));
    api<{ interactions: InteractionHit[] }>('GET', `/api/compliance/interactions${query(v)}`)
      .then((r) => mount(results,
        el('p', { class: 'muted' }, `${r.interactions.length} interaction(s), newest first.`),
        table('hits', ['Started', 'Kind', 'From', 'To', 'Policies', 'Events', ''], r.interactions.map((h) => hitRow(h, ctx)), 'No interaction matches.')))
      .catch((err) => mount(results, problem(err)));
  });
  return el('section', { class: 'card' }, el('h2', {}, 'Search'), form, results);
};
