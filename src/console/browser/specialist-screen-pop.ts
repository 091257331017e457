// The screen pop of a transfer or callback (GET /api/transfers/:id): who, which policy, why, what was
// offered and declined, the premiums and payment failures in plain words, and what the caller did in
// this call, as its evidence records it.
import { el, money, when } from './dom.js';
import type { CallStep, ScreenPop } from './specialist-api-types.js';
import { CANCEL_REASONS, CHANNELS, DECLINE_CLASS, DUE_STATUS, OFFERS, WHY, words } from './specialist-words.js';

const fact = (label: string, ...value: (Node | string)[]) => [el('dt', {}, label), el('dd', {}, ...value)];
const list = (items: string[], table: Record<string, string>, none: string) =>
  items.length ? el('ul', {}, ...items.map((o) => el('li', {}, words(table, o)))) : el('p', { class: 'muted' }, none);

const dayOf = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

/** A payment failure as a sentence: when, how much, how, and what the bank's answer means. */
const failureText = (f: ScreenPop['paymentFailures'][number]) =>
  `${when(f.at)}: ${money(f.amountCents)} ${words(CHANNELS, f.channel)}${f.cardLast4 ? ` (card ending ${f.cardLast4})` : ''} was declined. `
  + `${f.reason ?? 'The bank gave no reason.'}${f.declineClass ? ` In short: ${words(DECLINE_CLASS, f.declineClass)}.` : ''}`;

const stepText = (s: CallStep): string => {
  if (s.kind === 'heard') return `Heard: “${s.said}”`;
  if (s.kind === 'pressed') return s.noInput ? 'Pressed nothing (no answer)' : s.digits ? `Pressed ${s.digits}` : `Said “${s.speech ?? ''}”`;
  return s.outcome === 'succeeded' ? `Paid ${money(s.amountCents)}` : `A payment of ${money(s.amountCents)} failed${s.reason ? `: ${s.reason}` : ''}`;
};

/** The screen pop's content (the card around it, its status and actions are the caller's). */
export const renderScreenPop = (p: ScreenPop): HTMLElement => {
  const name = p.caller.name ?? (p.kind === 'callback' ? 'A customer we could not identify' : 'An unidentified caller');
  const policy = p.policy;
  // why: hold music and pauses are prompts with nothing said: not something to read out.
  const steps = p.thisCall.filter((s) => s.kind !== 'heard' || s.said.trim() !== '');
  return el('div', { class: 'screen-pop' },
    el('p', { class: 'who-calls' },
      el('span', { class: `badge ${p.kind === 'callback' ? 'warn' : ''}`, 'data-testid': 'pop-kind' }, p.kind === 'callback' ? 'Callback' : 'Transfer'), ' ',
      p.priority ? el('span', { class: 'badge bad' }, 'Priority') : null, ' ',
      el('strong', { class: 'caller-name', 'data-testid': 'pop-name' }, name), ' ',
      el('span', { class: 'muted' }, p.caller.phone),
      p.locale === 'es-US' ? el('span', { class: 'badge' }, 'Speaks Spanish') : null),
    el('dl', { class: 'facts', 'data-testid': 'pop-facts' },
      ...fact('Why', `${words(WHY, p.reason)}${p.cancelReason ? `: ${words(CANCEL_REASONS, p.cancelReason).toLowerCase()}` : ''}`),
      ...(policy ? [
        ...fact('Policy', el('strong', { 'data-testid': 'pop-policy' }, policy.policyNumber), ` · ${policy.product} ${policy.coverageTier} · ${policy.status}`),
        ...fact('Premium', `${money(policy.premiumCents)} ${policy.billingFrequency}`),
        ...fact('Sum insured', money(policy.sumInsuredCents)),
        ...(policy.complaintOpen ? fact('Complaint', el('span', { class: 'badge bad' }, 'A mis-selling complaint is open')) : []),
      ] : fact('Policy', 'No policy identified')),
      ...fact('Asked at', when(p.requestedAt))),
    el('div', { class: 'grid' },
      el('div', {}, el('h3', {}, 'Offers made'), list(p.offersMade, OFFERS, 'None yet.')),
      el('div', { 'data-testid': 'pop-declined' }, el('h3', {}, 'Offers declined'), list(p.offersDeclined, OFFERS, 'None.'))),
    el('h3', {}, 'Payment failures'),
    p.paymentFailures.length
      ? el('ul', { 'data-testid': 'pop-failures' }, ...p.paymentFailures.map((f) => el('li', {}, failureText(f))))
      : el('p', { class: 'muted', 'data-testid': 'pop-failures' }, 'No failed payments.'),
    el('h3', {}, 'Premium history'),
    p.premiumHistory.length
      ? el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'pop-premiums' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Due'), el('th', {}, 'Amount'), el('th', {}, 'Status'), el('th', {}, 'Paid'))),
        el('tbody', {}, ...p.premiumHistory.map((d) => el('tr', {},
          el('td', {}, dayOf(d.dueDate)), el('td', {}, money(d.amountCents)), el('td', {}, words(DUE_STATUS, d.status)), el('td', {}, when(d.paidAt)))))))
      : el('p', { class: 'muted' }, 'No premiums due yet.'),
    el('h3', {}, p.kind === 'callback' ? 'What they did in the call that booked it' : 'What the caller did in this call'),
    steps.length
      ? el('ol', { class: 'this-call', 'data-testid': 'pop-this-call' }, ...steps.map((s) => el('li', { class: `step ${s.kind}` }, stepText(s))))
      : el('p', { class: 'muted', 'data-testid': 'pop-this-call' }, 'Nothing recorded for this call.'));
};
