// The availability switch: available (rung for transfers and callbacks), busy or away, saved through
// PUT /api/specialists/:id/availability and read back from GET /api/specialists/me.
import { api, ApiError } from './console-api.js';
import { el, mount, when } from './dom.js';
import type { Availability, Me } from './specialist-api-types.js';
import { AVAILABILITY } from './specialist-words.js';

const STATES: Availability[] = ['available', 'busy', 'away'];
const HINT: Record<Availability, string> = {
  available: 'You are rung for warm transfers and callbacks.',
  busy: 'You are not rung: you are busy.',
  away: 'You are not rung: you are away.',
};

export const availabilityCard = async (root: HTMLElement, specialistId: string) => {
  const show = (me: Me, problem?: string) => mount(root,
    el('h2', {}, 'Availability'),
    el('div', { class: 'switch', role: 'group', 'aria-label': 'Availability' },
      ...STATES.map((s) => el('button', {
        type: 'button', class: s === me.availability ? `state ${s} on` : `state ${s}`, 'aria-pressed': s === me.availability ? 'true' : 'false',
        'data-state': s, onclick: () => void change(me, s),
      }, AVAILABILITY[s]))),
    el('p', { 'data-testid': 'availability-now' }, el('strong', {}, AVAILABILITY[me.availability]), ` since ${when(me.availabilityChangedAt)}. `, HINT[me.availability]),
    problem ? el('p', { class: 'problem', role: 'alert' }, problem) : null);

  const change = async (me: Me, state: Availability) => {
    if (state === me.availability) return;
    for (const b of root.querySelectorAll('button')) b.disabled = true;
    try {
      const r = await api<{ state: Availability; changedAt: string | null }>('PUT', `/api/specialists/${encodeURIComponent(specialistId)}/availability`, { state });
      show({ ...me, availability: r.state, availabilityChangedAt: r.changedAt ?? me.availabilityChangedAt });
    } catch (err) {
      show(me, err instanceof ApiError ? `Not changed: ${err.message}` : 'Not changed: the gateway could not be reached.');
    }
  };

  try {
    show(await api<Me>('GET', '/api/specialists/me'));
  } catch (err) {
    mount(root, el('h2', {}, 'Availability'), el('p', { class: 'problem', role: 'alert' }, err instanceof ApiError ? err.message : 'The gateway could not be reached.'));
  }
};
