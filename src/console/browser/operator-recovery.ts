// Recovery and retention: the failed-debit funnel and outcomes, save rate by reason and by offer.

import { barChart, percent, type Bar } from './chart-bars.js';
import { api } from './console-api.js';
import { el, money } from './dom.js';
import { facts, panel, subhead } from './operator-panels.js';
import type { RecoveryReport, SaveMetrics, SaveRow } from './operator-types.js';

const STEP_NAMES: Record<string, string> = { 'before-any-step': 'before any step' };

export const recoveryPanel = () => panel('Failed-debit recovery', 'recovery', async () => {
  const r = await api<RecoveryReport>('GET', '/api/recovery/report');
  const amounts = r.amountRecovered.map((a) => a.currency.toLowerCase() === 'usd' ? money(a.cents) : `${(a.cents / 100).toFixed(2)} ${a.currency.toUpperCase()}`).join(', ') || money(0);
  return [
    facts('recovery-facts', [
      ['Started', r.started, 'recovery-started'],
      ['Recovery rate', percent(r.recoveryRate), 'recovery-rate'],
      ['Recovered', amounts, 'recovery-amount'],
      ['Median time to pay', r.hoursToRecovery.median === null ? '—' : `${r.hoursToRecovery.median} h`],
    ]),
    subhead('Outcomes'),
    barChart({
      title: 'Recoveries by outcome', testid: 'recovery-outcomes',
      bars: [
        { label: 'Recovered', value: r.recovered, tone: 'good', display: r.reinstated ? `${r.recovered} (${r.reinstated} reinstated)` : String(r.recovered) },
        { label: 'Closed unpaid', value: r.closed, tone: 'bad' },
        { label: 'Running', value: r.active, tone: 'muted' },
      ],
    }),
    subhead('Funnel by step'),
    barChart({
      title: 'Recoveries reaching each step, and paid after it', testid: 'recovery-funnel', empty: 'No recovery began in this window.',
      bars: r.funnel.map((s): Bar => ({
        label: STEP_NAMES[s.stepId] ?? s.stepId, value: s.reached,
        display: `${s.reached} · ${s.recoveredAfter} paid`, data: { step: s.stepId, 'paid-after': s.recoveredAfter, 'cents-after': s.amountCentsAfter },
      })),
    }),
    subhead('Paid on'),
    barChart({
      title: 'Recovered by paying channel', testid: 'recovery-channels', empty: 'Nothing recovered in this window.',
      bars: r.byChannel.map((c) => ({ label: c.channel, value: c.recovered, tone: 'good' as const, display: `${c.recovered} · ${money(c.cents)}`, data: { cents: c.cents } })),
    }),
  ];
});

const saveBars = (rows: SaveRow[]): Bar[] =>
  rows.map((s) => ({
    label: s.key, value: s.saveRate ?? 0, tone: 'good',
    display: s.saveRate === null ? `${s.pending} pending` : `${percent(s.saveRate)} (${s.saved} of ${s.saved + s.lost})${s.pending ? ` · ${s.pending} pending` : ''}`,
    data: { saved: s.saved, lost: s.lost, pending: s.pending },
  }));

export const retentionPanel = () => panel('Retention: save rate', 'retention', async () => {
  const m = await api<SaveMetrics>('GET', '/api/retention/metrics');
  return [
    facts('retention-facts', [
      ['Cases decided', m.total.decided, 'retention-decided'],
      ['Save rate', percent(m.total.saveRate), 'retention-rate'],
      ['Warm transfers', `${m.transfers.requested} requested, ${m.transfers.bridged} reached a specialist`],
    ]),
    subhead('By reason'),
    barChart({ title: 'Save rate by cancellation reason', testid: 'save-by-reason', max: 1, bars: saveBars(m.byReason), empty: 'No case decided in this window.' }),
    subhead('By offer'),
    barChart({ title: 'Save rate by offer accepted', testid: 'save-by-offer', max: 1, bars: saveBars(m.byOffer), empty: 'No case decided in this window.' }),
    el('p', { class: 'muted' }, `A kept case counts as saved once ${m.savedAfterDays} days pass without a cancellation; younger ones are pending.`),
  ];
});
