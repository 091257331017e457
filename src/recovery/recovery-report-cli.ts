import { parseArgs } from 'node:util';
import type { Db } from '../db/pool.js';
import { formatMoney } from '../shared/format-money.js';
import type { Clock } from '../shared/clock.js';
import { dayRangeQuery, resolveDayRange } from '../shared/day-range.js';
import { findRecoveryReport, type RecoveryReport } from './recovery-report.js';

export type ReportCliDeps = { db: Db; clock: Clock; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; scheduleSteps: readonly string[] };

const USAGE = `Usage: npm run report -- recovery [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
  failed-debit recovery for recoveries begun from --from (default 90 days before --to) to --to (default today), UTC days:
  the funnel by step, the recovery rate, time to recovery, amounts and channels`;

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
};

/** The report as text: a summary, then the funnel and the channels as tables. */
export const formatRecoveryReport = (r: RecoveryReport): string => {
  const money = r.amountRecovered.map((a) => formatMoney(a.cents, a.currency, 'en-US')).join(' + ') || '$0.00';
  const lines = [
    `Failed-debit recovery, recoveries begun ${r.from.slice(0, 10)} to ${r.to.slice(0, 10)} (exclusive)`,
    `started ${r.started}, recovered ${r.recovered} (reinstated ${r.reinstated}), closed unpaid ${r.closed}, still running ${r.active}`,
    `recovery rate ${r.recoveryRate === null ? '-' : `${(100 * r.recoveryRate).toFixed(1)}%`} of those ended; recovered ${money}`,
    `hours from the failed charge to payment: median ${r.hoursToRecovery.median ?? '-'}, p90 ${r.hoursToRecovery.p90 ?? '-'}`,
    '',
    table([['step', 'reached', 'of started', 'paid after', 'amount after'],
      ...r.funnel.map((s) => [s.stepId, String(s.reached), pct(s.reached, r.started), String(s.recoveredAfter), formatMoney(s.amountCentsAfter, r.amountRecovered[0]?.currency ?? 'usd', 'en-US')])]),
    '',
    table([['paid on', 'recovered', 'amount'], ...r.byChannel.map((c) => [c.channel, String(c.recovered), formatMoney(c.cents, r.amountRecovered[0]?.currency ?? 'usd', 'en-US')])]),
  ];
  return `${lines.join('\n')}\n`;
};

/** `npm run report -- recovery ...`: returns the exit code (64 for a bad command line, with the reason and the usage). */
export const runReportCli = async (argv: string[], deps: ReportCliDeps): Promise<number> => {
  const bad = (why: string) => {
    deps.stderr.write(`report: ${why}\n${USAGE}\n`);
    return 64;
  };
  const [what, ...rest] = argv;
  if (what !== 'recovery') return bad(what ? `unknown report "${what}"` : 'which report? (recovery)');
  let values: { from?: string | undefined; to?: string | undefined; json?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args: rest, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    return bad((err as Error).message);
  }
  const q = dayRangeQuery.safeParse({ ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) });
  if (!q.success) return bad(q.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; '));
  const range = resolveDayRange(q.data, deps.clock.now(), 90);
  if (!range) return bad('--from must be before --to');
  const report = await findRecoveryReport(deps.db, { ...range, scheduleSteps: deps.scheduleSteps });
  deps.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatRecoveryReport(report));
  return 0;
};
