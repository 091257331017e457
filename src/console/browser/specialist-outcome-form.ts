// The outcome a specialist agreed with the caller (POST /api/transfers/:id/outcome), carried out by
// the gateway as the IVR would carry it out; a refusal shows the API's own reason.
import { api, ApiError } from './console-api.js';
import { el, mount } from './dom.js';

const OUTCOMES: [string, string][] = [
  ['saved', 'Saved (keeps the policy as it is)'],
  ['downgraded', 'Downgraded'],
  ['payment-date-moved', 'Payment date moved'],
  ['instalment-skipped', 'Instalment skipped'],
  ['cancelled', 'Cancelled'],
  ['callback', 'Callback booked'],
];

type Answer = { outcome: string; queued: string; offer: { kind: string } | null };

export const outcomeForm = (transferId: string, onDone: (outcome: string) => void): HTMLElement => {
  const status = el('div', { 'data-testid': 'outcome-status', 'aria-live': 'polite' });
  const outcome = el('select', { name: 'outcome', 'data-testid': 'outcome' }, ...OUTCOMES.map(([v, label]) => el('option', { value: v }, label)));
  const to = el('select', { name: 'to' }, el('option', { value: 'tier' }, 'a lower tier'), el('option', { value: 'sum' }, 'a lower sum insured'));
  const day = el('input', { name: 'day', type: 'number', min: 1, max: 28, value: 1, inputmode: 'numeric' });
  const toLabel = el('label', { class: 'hidden' }, 'To ', to);
  const dayLabel = el('label', { class: 'hidden' }, 'New payment day of the month (1-28) ', day);
  const button = el('button', { type: 'submit' }, 'Record the outcome');
  const sync = () => {
    toLabel.classList.toggle('hidden', outcome.value !== 'downgraded');
    dayLabel.classList.toggle('hidden', outcome.value !== 'payment-date-moved');
  };
  outcome.addEventListener('change', sync);
  const form = el('form', { class: 'stack outcome-form', 'data-testid': 'outcome-form' },
    el('h3', {}, 'Outcome'),
    el('label', {}, 'What was agreed ', outcome), toLabel, dayLabel, el('div', { class: 'row' }, button), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = { outcome: outcome.value };
    if (outcome.value === 'downgraded') body.to = to.value;
    if (outcome.value === 'payment-date-moved') body.day = Number(day.value);
    button.disabled = true;
    api<Answer>('POST', `/api/transfers/${encodeURIComponent(transferId)}/outcome`, body).then((r) => {
      mount(status, el('p', { class: 'notice', role: 'status' }, `Recorded: ${OUTCOMES.find(([v]) => v === r.outcome)?.[1] ?? r.outcome}. The gateway is carrying it out.`));
      for (const c of [outcome, to, day]) c.disabled = true;
      onDone(r.outcome);
    }, (err: unknown) => {
      button.disabled = false;
      mount(status, el('p', { class: 'problem', role: 'alert' }, `Not recorded: ${err instanceof ApiError ? err.message : 'the gateway could not be reached'}`));
    });
  });
  return form;
};
