import type pg from 'pg';
import { copyTextRow } from './copy-text-row.js';
import type { RawRow } from './snapshot-scan.js';

/**
 * `COPY (select) TO STDOUT` on a pg client, each row handed to `onRow` as it
 * arrives: no result array, and Postgres writes the next rows while this
 * process hashes the current ones (the socket's buffers are the only queue, so
 * memory stays bounded and a slow consumer simply slows Postgres down).
 *
 * why: hand-written because pg only offers COPY through a Submittable and the
 * pg-copy-streams package is not a dependency; this is the part of that
 * contract COPY TO needs. The text format costs far less to decode than one
 * DataRow message and one string per column.
 */
class CopyOut implements pg.Submittable {
  private carry = '';
  private failure: unknown = null;
  readonly done: Promise<void>;
  private settle!: (err: unknown) => void;

  constructor(
    private readonly text: string,
    private readonly onRow: (row: RawRow) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (err) => (err === null ? resolve() : reject(err));
    });
  }

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.failure !== null) return;
    try {
      // why: Postgres sends one row per message, ending in '\n'; a row split across messages is joined.
      const s = this.carry + msg.chunk.toString('utf8');
      let from = 0;
      for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', from)) {
        this.onRow(copyTextRow(from === 0 && nl === s.length - 1 ? s.slice(0, nl) : s.slice(from, nl)));
        from = nl + 1;
      }
      this.carry = s.slice(from);
    } catch (err) {
      // why: a throw here would unwind through pg's socket handler; it is reported when the command ends.
      this.failure = err;
    }
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.settle(this.failure);
  }

  handleError(err: Error): void {
    this.settle(err);
  }
}

/** Runs `COPY (selectSql) TO STDOUT` on `client`, calling `onRow` for every row in order. */
export const copyOut = (client: pg.ClientBase, selectSql: string, onRow: (row: RawRow) => void): Promise<void> =>
  client.query(new CopyOut(`copy (${selectSql}) to stdout`, onRow)).done;
