// The dashboard's cards: each fills itself from one read and says what went wrong in its own card,
// so one failing API leaves the rest of the dashboard readable.

import { ApiError } from './console-api.js';
import { el, mount } from './dom.js';

/** A card with a heading; its body is `Loading…` until `load` gives its content. */
export const panel = (title: string, testid: string, load: () => Promise<(Node | string)[]>): HTMLElement => {
  const body = el('div', { class: 'panel-body' }, el('p', { class: 'muted' }, 'Loading…'));
  const card = el('section', { class: 'card panel', 'data-testid': testid, 'aria-busy': 'true' }, el('h2', {}, title), body);
  void load().then(
    (children) => mount(body, ...children),
    (err: unknown) => mount(body, el('p', { class: 'problem', role: 'alert' }, err instanceof ApiError ? err.message : `Could not load: ${String(err)}`)),
  ).finally(() => card.setAttribute('aria-busy', 'false'));
  return card;
};

/** Figures as a definition list: [term, value] pairs, each value with a testid of its own. */
export const facts = (testid: string, pairs: [string, string | number, string?][]): HTMLElement =>
  el('dl', { class: 'facts', 'data-testid': testid }, ...pairs.flatMap(([term, value, id]) => [el('dt', {}, term), el('dd', id ? { 'data-testid': id } : {}, value)]));

/** A small heading inside a card, above a chart. */
export const subhead = (text: string): HTMLElement => el('h3', { class: 'subhead' }, text);
