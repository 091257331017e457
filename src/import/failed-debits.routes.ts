import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { checkBearerRole } from '../evidence/api-tokens.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';
import { cellsByColumn } from './check-csv-header.js';
import { createFailedDebitImporter, type FailedDebitReport } from './failed-debit-importer.js';
import { checkFailedDebitHeader, FAILED_DEBIT_COLUMNS, type FailedDebitColumn } from './failed-debit-csv-columns.js';
import type { RawFailedDebitRecord } from './parse-failed-debit-row.js';
import { readCsvRecords } from './read-csv-records.js';

export type FailedDebitsRoutesDeps = {
  db: Db;
  clock: Clock;
  /** Hands committed `recovery.start` rows to BullMQ (the relay sends any it misses). */
  dispatch: (rows: OutboxRow[]) => void;
};

/** The most rows one request may carry; a larger file goes through `npm run import -- failed-debits`. */
export const MAX_FAILED_DEBIT_ROWS = 10_000;

// why: JSON rows carry the CSV's columns; a number is as good as its text (amount: 118.2).
const cell = z.union([z.string().max(1000, 'is longer than 1000 characters'), z.number()]).optional();
const jsonRow = z.strictObject(Object.fromEntries(FAILED_DEBIT_COLUMNS.map((c) => [c, cell])) as Record<FailedDebitColumn, typeof cell>, {
  error: (i) => (i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}: a row has the failed-debit CSV's columns` : 'each row must be an object'),
});
const jsonBody = z.strictObject({
  rows: z.array(jsonRow, { error: 'rows must be an array of failed debits' })
    .min(1, 'rows must list at least one failed debit')
    .max(MAX_FAILED_DEBIT_ROWS, `rows may list at most ${MAX_FAILED_DEBIT_ROWS.toLocaleString('en-US')} failed debits; split the batch`),
}, { error: 'the body must be text/csv or a JSON object { "rows": [...] }' });

/** 401 without a valid token, 403 for a role other than operator, each with the reason. */
const requireOperator = async (db: Db, request: FastifyRequest): Promise<void> => {
  const p = await checkBearerRole(db, request, 'operator', (role) => `role ${role} may not import failed debits (operator only)`);
  if ('refused' in p) throw new AppError(p.refused === 'forbidden' ? 'IMPORT_FORBIDDEN' : 'IMPORT_UNAUTHENTICATED', p.message);
};

type CsvBody = { columns: FailedDebitColumn[]; header: string[]; records: { line: number; record: string[] }[] };

/** A CSV body read whole before anything is written: a malformed one is a 400 with nothing recorded. */
const csvRecords = async (text: string): Promise<CsvBody> => {
  let columns: FailedDebitColumn[] = [];
  const header: string[] = [];
  const records: { line: number; record: string[] }[] = [];
  await readCsvRecords({
    input: Readable.from([Buffer.from(text)]),
    onHeader: (cells) => {
      columns = checkFailedDebitHeader(cells);
      header.push(...cells);
    },
    onRecord: (line, record) => {
      records.push({ line, record });
    },
  });
  if (!records.length) throw new AppError('IMPORT_BAD_FILE', 'the CSV has a header but no rows');
  if (records.length > MAX_FAILED_DEBIT_ROWS) {
    throw new AppError('IMPORT_BAD_FILE', `the CSV has ${records.length} rows, at most ${MAX_FAILED_DEBIT_ROWS} per request; split it or use the CLI`);
  }
  return { columns, header, records };
};

const answer = (r: FailedDebitReport, position: 'line' | 'row') => ({
  read: r.read, accepted: r.accepted, duplicate: r.duplicate, rejected: r.rejected, recoveriesStarted: r.recoveriesStarted,
  rows: r.results.map(({ line, ...rest }) => ({ [position]: line, ...rest })),
});

/**
 * `POST /api/failed-debits` (operator token): the insurer's billing reports
 * failed debits, as `text/csv` (the failed-debit CSV of docs/import.md) or
 * JSON `{ "rows": [{ "debit_ref": ..., ... }] }`. Each row is recorded as the
 * CLI does (createFailedDebitImporter) and answered `accepted`, `duplicate`
 * or `rejected` with its reasons (200, rows by CSV line or by position from 1).
 * A body that is not usable at all (wrong header, malformed CSV, no rows, not
 * the JSON shape) is a 400 with the reason and records nothing.
 */
export const failedDebitsRoutes = (deps: FailedDebitsRoutesDeps) => async (app: FastifyInstance) => {
  // why: the CSV is split into cells here, before the edge's hygiene hook runs: that hook masks card numbers
  // in each text it sees, and over a whole CSV text it reads digits of neighbouring cells ("1,2026-12-01,42.50")
  // as one spoken card number. Cell by cell, only a cell that holds a card number is masked.
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string' }, async (_req: FastifyRequest, body: string | Buffer) =>
    csvRecords(String(body)));
  const input = { auth: 'operator-token', answers: 'json', body: jsonBody } satisfies RouteInput;

  app.post('/api/failed-debits', { config: { input } }, async (req) => {
    await requireOperator(deps.db, req);
    // why: two rows in flight, so a large report leaves the web process's pool to the calls and texts it answers.
    const importer = createFailedDebitImporter({ db: deps.db, clock: deps.clock, dispatch: deps.dispatch, concurrency: 2 });
    if (/^(text|application)\/csv\b/i.test(req.headers['content-type'] ?? '')) {
      const { columns, header, records } = req.body as CsvBody;
      importer.report.header = header;
      for (const { line, record } of records) {
        const cells = cellsByColumn(columns, record);
        if (cells.ok) await importer.add(line, cells.raw, record);
        else importer.reject(line, [cells.reason], record);
      }
      return answer(await importer.finish(), 'line');
    }
    const parsed = jsonBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw new AppError('IMPORT_BAD_FILE', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    let n = 0;
    for (const row of parsed.data.rows) {
      const raw: RawFailedDebitRecord = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
      n++;
      await importer.add(n, raw, FAILED_DEBIT_COLUMNS.map((c) => raw[c] ?? ''));
    }
    return answer(await importer.finish(), 'row');
  });
};
