// The day's callbacks (GET /api/callbacks) and recovery's tasks for a human caller
// (GET /api/recovery/tasks; claim and close, one specialist at a time). The APIs name people by id:
// their names, numbers and policy numbers come from the page's own /console/specialist/people.
import { api, ApiError, query } from './console-api.js';
import { el, mount, when } from './dom.js';
import type { CallbackRow, People, TaskRow } from './specialist-api-types.js';
import { CALLBACK_STATUS, TASK_STATUS, WHY, words } from './specialist-words.js';

type Who = { name: string; phone: string | null; policyNumber: string | null };

/** The names, numbers and policy numbers behind the rows' ids, in one request. */
const lookUp = async (policyIds: (string | null)[], holderIds: (string | null)[]) => {
  const ids = (l: (string | null)[]) => [...new Set(l.filter((x): x is string => !!x))].slice(0, 100).join(',');
  const people = await api<People>('GET', `/console/specialist/people${query({ policies: ids(policyIds), holders: ids(holderIds) })}`);
  const holders = new Map(people.holders.map((h) => [h.id, h]));
  const policies = new Map(people.policies.map((p) => [p.id, p]));
  return (policyId: string | null, holderId: string | null): Who => {
    const policy = policyId ? policies.get(policyId) : undefined;
    const holder = holders.get(holderId ?? policy?.holderId ?? '');
    return { name: holder?.name ?? 'Unknown customer', phone: holder?.phone ?? null, policyNumber: policy?.policyNumber ?? null };
  };
};

const problem = (err: unknown) => el('p', { class: 'problem', role: 'alert' }, err instanceof ApiError ? err.message : 'The gateway could not be reached.');
/** A table whose rows stack as cards at a phone's width, each cell labelled with its column's heading. */
const table = (testid: string, head: string[], rows: HTMLElement[]) => {
  for (const row of rows) {
    row.querySelectorAll('td').forEach((td, i) => {
      td.setAttribute('data-label', head[i] ?? '');
      td.replaceChildren(el('div', {}, ...td.childNodes));
    });
  }
  return el('div', { class: 'table-wrap' }, el('table', { class: 'worklist', 'data-testid': testid },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))), el('tbody', {}, ...rows)));
};

/** Local midnight to midnight. */
const today = () => {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  return { start, end: new Date(start.getTime() + 86_400_000) };
};

/** Callbacks to make by the end of today (or overdue, or at any time in business hours) and those missed twice, soonest first. */
export const loadCallbacks = async (root: HTMLElement) => {
  const head = el('h2', {}, "Today's callbacks");
  try {
    const { end } = today();
    const [open, missed] = await Promise.all(['open', 'missed'].map((status) => api<{ callbacks: CallbackRow[] }>('GET', `/api/callbacks${query({ status })}`)));
    const due = open!.callbacks.filter((c) => !c.slotAt || new Date(c.slotAt) < end);
    const later = open!.callbacks.length - due.length;
    const rows = [...due.sort((a, b) => (a.slotAt ?? '').localeCompare(b.slotAt ?? '')), ...missed!.callbacks];
    const who = await lookUp(rows.map((c) => c.policyId), rows.map((c) => c.policyholderId));
    mount(root, head,
      rows.length ? table('callbacks-table', ['When', 'Who', 'Number', 'Policy', 'About', 'Status'], rows.map((c) => {
        const w = who(c.policyId, c.policyholderId);
        return el('tr', { 'data-callback': c.id },
          el('td', {}, c.slotAt ? when(c.slotAt) : 'Any time today'), el('td', { class: 'name' }, w.name), el('td', {}, c.phone),
          el('td', {}, w.policyNumber ?? '—'), el('td', {}, words(WHY, c.reason)),
          el('td', {}, words(CALLBACK_STATUS, c.status), c.attempts ? el('span', { class: 'muted' }, ` (${c.attempts} attempt${c.attempts > 1 ? 's' : ''}${c.lastOutcome ? `: ${c.lastOutcome}` : ''})`) : null));
      })) : el('p', { class: 'muted' }, 'No callbacks to make today.'),
      later ? el('p', { class: 'muted' }, `${later} more booked for later days.`) : null);
  } catch (err) {
    mount(root, head, problem(err));
  }
};

/** Open tasks and claimed ones, with Claim (open ones) and Close (this specialist's); a refusal shows its reason. */
export const loadTasks = async (root: HTMLElement, me: string, notice?: HTMLElement) => {
  const head = el('h2', {}, 'Recovery tasks');
  const reload = (n?: HTMLElement) => void loadTasks(root, me, n);
  const act = (t: TaskRow, what: 'claim' | 'close') => async () => {
    try {
      await api('POST', `/api/recovery/tasks/${encodeURIComponent(t.id)}/${what}`, {});
      reload(el('p', { class: 'notice', role: 'status' }, what === 'claim' ? 'Claimed: the task is yours.' : 'Closed as worked.'));
    } catch (err) {
      reload(el('p', { class: 'problem', role: 'alert', 'data-testid': 'task-problem' }, `Not ${what === 'claim' ? 'claimed' : 'closed'}: ${err instanceof ApiError ? err.message : 'the gateway could not be reached'}`));
    }
  };
  try {
    const [open, claimed, team] = await Promise.all([
      api<{ tasks: TaskRow[] }>('GET', '/api/recovery/tasks?status=open'),
      api<{ tasks: TaskRow[] }>('GET', '/api/recovery/tasks?status=claimed'),
      api<{ specialists: { id: string; name: string }[] }>('GET', '/api/specialists').catch(() => ({ specialists: [] })),
    ]);
    const names = new Map(team.specialists.map((s) => [s.id, s.name]));
    const rows = [...claimed.tasks.filter((t) => t.claimedBy === me), ...open.tasks, ...claimed.tasks.filter((t) => t.claimedBy !== me)];
    const who = await lookUp(rows.map((t) => t.policyId), []);
    mount(root, head, notice ?? null,
      rows.length ? table('tasks-table', ['Who', 'Policy', 'Why a person', 'What failed', 'Status', ''], rows.map((t) => {
        const w = who(t.policyId, null);
        const mine = t.status === 'claimed' && t.claimedBy === me;
        return el('tr', { 'data-task': t.id },
          el('td', {}, el('span', { class: 'name' }, w.name), w.phone ? el('div', { class: 'muted' }, w.phone) : null),
          el('td', {}, w.policyNumber ?? '—'), el('td', {}, t.reason), el('td', {}, t.failure),
          el('td', {}, mine ? 'Claimed by you' : t.status === 'claimed' ? `Claimed by ${names.get(t.claimedBy ?? '') ?? 'another specialist'}` : words(TASK_STATUS, t.status),
            el('div', { class: 'muted' }, `since ${when(t.createdAt)}`)),
          el('td', {}, mine ? el('button', { type: 'button', onclick: act(t, 'close') }, 'Close')
            : t.status === 'open' ? el('button', { type: 'button', onclick: act(t, 'claim') }, 'Claim') : null));
      })) : el('p', { class: 'muted' }, 'No recovery tasks waiting.'));
  } catch (err) {
    mount(root, head, notice ?? null, problem(err));
  }
};
