// The evidence access log (GET /api/compliance/access-log): who read or exported what, and who signed
// in to the consoles, when. Reading it is itself recorded.
import { api, query } from './console-api.js';
import { el, mount } from './dom.js';
import type { AccessLogEntry } from './compliance-types.js';
import { utc } from './compliance-describe.js';
import { badge, formValues, input, problem, table } from './compliance-ui.js';

const WHAT: Record<string, string> = {
  'evidence.accessed': 'read', 'evidence.exported': 'exported', 'console.sign-in': 'signed in', 'console.sign-in-refused': 'sign-in refused',
  'console.account-locked': 'account locked', 'console.sign-out': 'signed out',
};

/** What a record read, in a line: the interaction, the search, the export's window… */
const detailsOf = (e: AccessLogEntry): string => {
  const d = e.details;
  const parts: string[] = [];
  if (typeof d.interactionId === 'string') parts.push(`interaction ${d.interactionId}`);
  if (typeof d.eventId === 'string') parts.push(`event ${d.eventId}`);
  if (d.query && typeof d.query === 'object') parts.push(`query ${new URLSearchParams(d.query as Record<string, string>).toString() || '(none)'}`);
  if (d.window && typeof d.window === 'object') parts.push(`window ${(d.window as { from?: string }).from ?? '?'} to ${(d.window as { to?: string }).to ?? '?'}`);
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${d.from} to ${d.to}`);
  if (typeof d.why === 'string') parts.push(d.why);
  if (typeof d.ip === 'string') parts.push(`from ${d.ip}`);
  return parts.join('; ') || '—';
};

const entryRow = (e: AccessLogEntry) => el('tr', {},
  el('td', {}, utc(e.receivedAt)),
  el('td', {}, e.actor?.name ?? '—', e.actor ? el('small', { class: 'muted' }, ` ${e.actor.role} (${e.actor.kind})`) : null),
  el('td', {}, e.type === 'console.sign-in-refused' || e.type === 'console.account-locked' ? badge(WHAT[e.type]!, 'warn') : (WHAT[e.type] ?? e.type), e.action && e.type === 'evidence.accessed' ? `: ${e.action}` : ''),
  el('td', {}, e.policyNumber ?? '—'),
  el('td', { class: 'said' }, detailsOf(e)));

/** The access log card: a filter and the records, newest first. */
export const accessLogCard = () => {
  const list = el('div', {});
  const form = el('form', { class: 'row', 'data-testid': 'access-filter' },
    input('Who (name or id)', 'actor', { maxlength: '64', autocomplete: 'off' }),
    input('Policy number', 'policy', { maxlength: '64', autocomplete: 'off' }),
    input('From', 'from', { type: 'date' }),
    input('To', 'to', { type: 'date' }),
    el('button', { type: 'submit', class: 'secondary' }, 'Show the access log'));
  const load = () => {
    mount(list, el('p', { class: 'muted' }, 'Loading…'));
    api<{ entries: AccessLogEntry[] }>('GET', `/api/compliance/access-log${query({ ...formValues(form), limit: 200 })}`)
      .then((r) => mount(list, table('access-log', ['When', 'Who', 'What', 'Policy', 'Details'], r.entries.map(entryRow), 'No record matches.')))
      .catch((err) => mount(list, problem(err)));
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  return el('section', { class: 'card' }, el('h2', {}, 'Evidence access log'),
    el('p', { class: 'muted' }, 'Every read and export of evidence, and every console sign-in, is itself evidence.'), form, list);
};
