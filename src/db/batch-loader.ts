/**
 * Coalesces lookups made in the same event-loop turn into one query (the
 * DataLoader pattern): concurrent calls each asking for one row cost one
 * round trip between them instead of one each. `load` gets the distinct keys
 * and returns what it found; a key it did not return resolves to null. A
 * failed load rejects every caller of that batch.
 */
export const createBatchLoader = <K, V>(load: (keys: K[]) => Promise<Map<K, V>>, maxBatch = 256) => {
  const pending: { key: K; resolve: (v: V | null) => void; reject: (e: unknown) => void }[] = [];

  const flush = (): void => {
    const batch = pending.splice(0, maxBatch);
    if (pending.length > 0) setImmediate(flush);
    const keys = [...new Set(batch.map((p) => p.key))];
    load(keys).then(
      (found) => {
        for (const p of batch) p.resolve(found.get(p.key) ?? null);
      },
      (err: unknown) => {
        for (const p of batch) p.reject(err);
      },
    );
  };

  return (key: K): Promise<V | null> =>
    new Promise<V | null>((resolve, reject) => {
      pending.push({ key, resolve, reject });
      // why: setImmediate runs after this turn's I/O callbacks, so requests parsed together share the query.
      if (pending.length === 1) setImmediate(flush);
    });
};
