import pg from 'pg';

export type Db = pg.Pool;
export type DbClient = pg.PoolClient;
/** The pool or one of its clients (inside a transaction): what a read or write that may join either takes. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

// why: Postgres `date` columns are calendar days; parse them as 'YYYY-MM-DD'
// strings instead of JS Dates at local midnight, which shift with the zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// why: bigint money columns stay well inside 2^53 cents; parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export const createPool = (
  connectionString: string,
  max = 10,
  onError: (err: Error) => void = (err) => process.stderr.write(`postgres: idle connection lost: ${err.message}\n`),
): Db => {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // why: an idle client whose connection dies (server restart, failover) is reported here; without a
  // listener Node treats it as an unhandled 'error' event and the whole gateway exits. The pool drops
  // the client and opens a new one on next use.
  pool.on('error', onError);
  keepConnectionsOnStatementErrors(pool);
  return pool;
};

/**
 * A client checked out of the pool, guarded: while it is out, the pool does not listen for its
 * errors, so a connection the server ends between two queries (a restart, a failover) would be
 * an unhandled 'error' event and the whole process would exit. The error is kept instead, the
 * next query on the client fails as usual, and `release` drops the broken connection.
 */
export const checkOut = async (db: Db): Promise<{ client: DbClient; release: (failure?: unknown) => void }> => {
  const client = await db.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost = err;
  };
  client.on('error', onError);
  return {
    client,
    /** `failure`: what the last query threw, if anything; a connection it leaves broken is closed. */
    release: (failure?: unknown) => {
      client.off('error', onError);
      if (failure !== undefined && !connectionSurvives(failure)) lost ??= failure instanceof Error ? failure : new Error(String(failure));
      client.release(lost);
    },
  };
};

/**
 * Runs `fn` in one transaction; rolls back and rethrows on any error. `begin` is the statement that
 * opens it (an isolation level, read only).
 */
export const withTransaction = async <T>(db: Db, fn: (client: DbClient) => Promise<T>, begin = 'begin'): Promise<T> => {
  const { client, release } = await checkOut(db);
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    release();
  }
};

/**
 * Whether an error from a query leaves its connection usable: an error the server reported for the
 * statement (a constraint, a serialization conflict, our gw_assert) does, unless its SQLSTATE says the
 * session itself ends (class 08 connection exception, 57P admin shutdown or crash). Anything else (the
 * socket closed, a protocol error) does not.
 */
export const connectionSurvives = (err: unknown): boolean => {
  const code = err instanceof pg.DatabaseError ? err.code : undefined;
  return code !== undefined && !code.startsWith('08') && !code.startsWith('57P');
};

/**
 * pg-pool's own `pool.query` hands a failed statement's error to `release`, which closes the
 * connection: under load, every expected conflict (an evidence head that moved, a duplicate webhook)
 * cost a new Postgres backend (a fork and a login) and the pool spent its time reconnecting. This
 * `query` releases the client for reuse when the statement failed but the connection did not.
 * Promise form only (the gateway uses no callbacks).
 */
const keepConnectionsOnStatementErrors = (pool: pg.Pool): void => {
  const query = async (...args: unknown[]): Promise<unknown> => {
    const { client, release } = await checkOut(pool);
    let failure: unknown;
    try {
      return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      release(failure);
    }
  };
  (pool as unknown as { query: typeof query }).query = query;
};
