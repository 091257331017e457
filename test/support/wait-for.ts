/** Polls `read` every 50 ms until it gives a value (not null or undefined), or throws after `ms`. */
export const waitFor = async <T>(read: () => Promise<T | null | undefined>, ms = 15_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};
