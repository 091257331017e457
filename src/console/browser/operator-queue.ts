// The outbox queue: depth by state and the latest failed jobs (name, reason, time; never a payload).

import { barChart } from './chart-bars.js';
import { api } from './console-api.js';
import { el, mount, when } from './dom.js';
import { panel } from './operator-panels.js';
import type { QueueState } from './operator-types.js';

const TONE: Record<string, 'accent' | 'good' | 'bad' | 'warn' | 'muted'> = { failed: 'bad', delayed: 'warn', completed: 'good', active: 'accent' };

const render = (q: QueueState): (Node | string)[] => {
  if (!q.connected) return [el('p', { class: 'problem', role: 'alert', 'data-testid': 'queue-problem' }, q.problem)];
  return [
    barChart({
      title: `Jobs in the ${q.queue} queue by state`, testid: 'queue-chart',
      bars: Object.entries(q.counts).map(([state, n]) => ({ label: state, value: n, tone: TONE[state] ?? 'muted' })),
    }),
    q.failed.length === 0
      ? el('p', { class: 'muted', 'data-testid': 'failed-jobs' }, 'No failed job kept.')
      : el('div', { class: 'table-wrap' }, el('table', { 'data-testid': 'failed-jobs' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Job'), el('th', {}, 'Why it failed'), el('th', {}, 'When'))),
        el('tbody', {}, ...q.failed.map((j) => el('tr', {},
          el('td', {}, j.name, el('br'), el('small', { class: 'muted' }, `${j.attempts} attempt${j.attempts === 1 ? '' : 's'}`)),
          el('td', { class: 'reason' }, j.reason || '—'),
          el('td', {}, when(j.failedAt))))))),
  ];
};

export const queuePanel = () => panel('Queue', 'queue', async () => {
  const body = el('div', {}, ...render(await api<QueueState>('GET', '/console/operator/queue')));
  const refresh = el('button', {
    type: 'button', class: 'secondary',
    onclick: () => void api<QueueState>('GET', '/console/operator/queue').then((q) => mount(body, ...render(q))),
  }, 'Refresh');
  const board = el('a', { href: '/console/operator/queues/', 'data-testid': 'queue-board-link' }, 'Open the queue board (Bull Board, read-only)');
  return [body, el('p', { class: 'row' }, refresh, board)];
});
