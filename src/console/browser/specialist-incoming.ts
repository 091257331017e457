// The live pop: the page's event stream (/console/specialist/events) says when a transfer or a
// callback starts ringing this specialist, when they accepted it and when it ended; each pop loads its
// screen pop from GET /api/transfers/:id before the specialist picks up.
import { api, ApiError } from './console-api.js';
import { el, mount } from './dom.js';
import type { LiveCall, ScreenPop } from './specialist-api-types.js';
import { outcomeForm } from './specialist-outcome-form.js';
import { renderScreenPop } from './specialist-screen-pop.js';

type Pop = { card: HTMLElement; state: HTMLElement; body: HTMLElement; actions: HTMLElement; connected: boolean; recorded: boolean };

const STATE_TEXT = {
  ringing: (kind: string) => (kind === 'callback' ? 'Your phone is ringing for a callback: answer it and press 1 to call the customer.' : 'Your phone is ringing: answer it and press 1 to accept.'),
  connected: 'On the call.',
  over: 'The call has ended: record its outcome.',
  gone: 'No longer ringing (someone else took it, or the caller left).',
};

export const startIncoming = (root: HTMLElement) => {
  const pops = new Map<string, Pop>();
  const feed = el('p', { class: 'muted feed', 'data-testid': 'feed' }, 'Connecting to the live feed…');
  const list = el('div', { class: 'pops' });
  mount(root, feed, list);

  const dismiss = (id: string) => {
    pops.get(id)?.card.remove();
    pops.delete(id);
  };
  const setState = (pop: Pop, text: string, cls: string) => {
    pop.state.className = `badge ${cls}`;
    mount(pop.state, text);
  };
  const dismissButton = (id: string) => el('button', { type: 'button', class: 'secondary', onclick: () => dismiss(id) }, 'Dismiss');

  const open = (c: LiveCall): Pop => {
    const existing = pops.get(c.transferId);
    if (existing) return existing;
    const state = el('span', { class: 'badge warn', 'data-testid': 'pop-state' });
    const body = el('div', {}, el('p', { class: 'muted' }, 'Loading the screen pop…'));
    const actions = el('div', { class: 'pop-actions' });
    const card = el('section', { class: 'card pop', 'data-testid': 'pop', 'data-transfer': c.transferId },
      el('h2', {}, c.kind === 'callback' ? 'Callback to make' : 'Incoming transfer', ' ', state), body, actions);
    const pop: Pop = { card, state, body, actions, connected: false, recorded: false };
    pops.set(c.transferId, pop);
    list.prepend(card);
    api<ScreenPop>('GET', `/api/transfers/${encodeURIComponent(c.transferId)}`).then(
      (p) => mount(body, renderScreenPop(p)),
      (err: unknown) => mount(body, el('p', { class: 'problem', role: 'alert' }, `The screen pop could not be loaded: ${err instanceof ApiError ? err.message : 'the gateway could not be reached'}`)),
    );
    return pop;
  };

  const events = new EventSource('/console/specialist/events');
  const data = (e: Event): LiveCall => JSON.parse((e as MessageEvent<string>).data) as LiveCall;
  events.addEventListener('open', () => mount(feed, 'Live: a transfer or callback ringing you shows here before you pick up.'));
  events.addEventListener('error', () => mount(feed, events.readyState === EventSource.CLOSED ? 'The live feed stopped: reload the page (or sign in again).' : 'The live feed is reconnecting…'));
  events.addEventListener('ringing', (e) => {
    const c = data(e);
    setState(open(c), STATE_TEXT.ringing(c.kind ?? 'transfer'), 'warn');
  });
  /** This specialist took the call: from now on the pop asks for its outcome. */
  const taken = (c: LiveCall) => {
    const pop = open(c);
    if (pop.connected) return pop;
    pop.connected = true;
    mount(pop.actions, outcomeForm(c.transferId, () => {
      pop.recorded = true;
      pop.actions.append(dismissButton(c.transferId));
    }));
    return pop;
  };
  events.addEventListener('connected', (e) => setState(taken(data(e)), STATE_TEXT.connected, 'good'));
  events.addEventListener('ended', (e) => {
    const c = data(e);
    const { transferId } = c;
    const pop = pops.get(transferId);
    if (!pop) return;
    if (c.taken) taken(c);
    if (pop.connected) {
      setState(pop, pop.recorded ? 'The call has ended.' : STATE_TEXT.over, pop.recorded ? '' : 'warn');
      return;
    }
    setState(pop, STATE_TEXT.gone, '');
    mount(pop.actions, dismissButton(transferId));
  });
  window.addEventListener('pagehide', () => events.close());
};
