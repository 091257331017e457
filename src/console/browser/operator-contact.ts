// Calls and texts: containment, deferrals, opt-outs and delivery failures (GET /console/operator/figures).

import { barChart, percent } from './chart-bars.js';
import { api } from './console-api.js';
import { el } from './dom.js';
import { facts, panel, subhead } from './operator-panels.js';
import type { ContactFigures, Tally } from './operator-types.js';

/** One read for the four cards. */
let figures: Promise<ContactFigures> | null = null;
const load = () => (figures ??= api<ContactFigures>('GET', '/console/operator/figures'));

const REASONS: Record<string, string> = {
  'quiet-hours': 'Quiet hours', 'daily-cap': 'Daily cap', 'weekly-cap': 'Weekly cap',
};
const tallyBars = (rows: Tally[], tone: 'warn' | 'bad') => rows.map((t) => ({ label: REASONS[t.key] ?? t.key, value: t.count, tone, data: { key: t.key } }));

export const containmentPanel = () => panel('Calls: containment', 'containment', async () => {
  const { containment: c } = await load();
  return [
    facts('containment-facts', [['Calls ended', c.ended], ['Finished in self-service', percent(c.rate), 'containment-rate']]),
    barChart({
      title: 'Inbound calls finished in self-service or handed to a specialist', testid: 'containment-chart',
      bars: c.ended ? [
        { label: 'Self-service', value: c.selfService, tone: 'good' },
        { label: 'Transferred to a specialist', value: c.transferred, tone: 'warn' },
      ] : [],
      empty: 'No inbound call ended in this window.',
    }),
  ];
});

export const deferralsPanel = () => panel('Contacts held back', 'deferrals', async () => {
  const f = await load();
  return [
    subhead('Deferred (sent later)'),
    barChart({ title: 'Deferrals by quiet hours and caps', testid: 'deferrals-chart', bars: tallyBars(f.deferrals, 'warn'), empty: 'Nothing deferred in this window.' }),
    subhead('Not sent'),
    barChart({ title: 'Contacts suppressed, by reason', testid: 'suppressions-chart', bars: tallyBars(f.suppressions, 'bad'), empty: 'Nothing suppressed in this window.' }),
  ];
});

export const optOutsPanel = () => panel('Opt-outs', 'opt-outs', async () => {
  const f = await load();
  const total = f.optOuts.reduce((n, o) => n + o.count, 0);
  return [
    facts('opt-out-facts', [['Numbers opted out', total, 'opt-out-total']]),
    barChart({
      title: 'Opt-outs by channel and how', testid: 'opt-outs-chart', empty: 'No opt-out in this window.',
      bars: f.optOuts.map((o) => ({ label: `${o.channel === 'sms' ? 'Texts' : 'Calls'}: ${o.source}`, value: o.count, tone: 'bad' as const, data: { channel: o.channel, source: o.source } })),
    }),
  ];
});

export const deliveryPanel = () => panel('Text delivery failures', 'delivery-failures', async () => {
  const f = await load();
  return [
    barChart({
      title: 'Failed deliveries by carrier error code', testid: 'delivery-failures-chart', empty: 'No failed delivery in this window.',
      bars: f.deliveryFailures.map((d) => ({
        label: `${d.errorCode ?? 'no code'} ${d.failure}`, value: d.count, tone: 'bad' as const, data: { code: d.errorCode ?? 'none', failure: d.failure },
      })),
    }),
    el('p', { class: 'muted' }, 'Codes are the carrier\'s (Twilio error codes).'),
  ];
});

/** The window the contact figures cover, for the page's heading. */
export const contactWindow = async (): Promise<{ from: string; to: string }> => {
  const f = await load();
  return { from: f.from, to: f.to };
};
