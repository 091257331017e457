import type { InboxMessage } from './carrier-inbox.js';
import { readCarrierInbox, type CarrierEndpoint } from './carrier-client.js';

const PREVIEW_CHARS = 40;

const oneLine = (body: string) => body.replace(/\s+/g, ' ').trim();
const preview = (body: string) => {
  const flat = oneLine(body);
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS)}...` : flat;
};

const label = (status: string, errorCode: number | null, errorMessage: string | null) =>
  status === 'refused' ? `refused: ${errorCode} ${errorMessage ?? ''}`.trim() : errorCode !== null ? `${status} ${errorCode}` : status;

/**
 * Prints the texts the inbox hands back, each status once, as they are played back: the first
 * time a text is seen, `← [queued] <whole text>` (with its sender when it is not `ours`), then
 * `← [delivered] <first words>` for every later status. A create the carrier refused prints as
 * `← [refused: 21610 Attempt to send to unsubscribed recipient] <text>`.
 */
export const createInboxPrinter = (print: (line: string) => void, ours?: string) => {
  const shown = new Map<string, number>();
  return (messages: readonly InboxMessage[]): void => {
    for (const m of messages) {
      const already = shown.get(m.id) ?? 0;
      m.history.slice(already).forEach((h, i) => {
        const first = already + i === 0;
        const sender = first && m.from !== null && m.from !== ours ? ` (from ${m.from})` : '';
        print(`← [${label(h.status, h.errorCode, m.errorMessage)}] ${first ? oneLine(m.body) : preview(m.body)}${sender}`);
      });
      shown.set(m.id, Math.max(already, m.history.length));
    }
  };
};

/** The longest one inbox request waits (the carrier holds it at most 30 s). */
const POLL_MS = 25_000;

/**
 * Long-polls the carrier's inbox for texts to `number` after `cursor`, handing each batch to
 * `print`, until `until` (epoch ms; unset: until `signal` aborts). Resolves to the last cursor;
 * rejects when the carrier fails (an aborted `signal` rejects with its AbortError).
 */
export const followInbox = async (
  carrier: CarrierEndpoint,
  o: { number: string; cursor: number; print: (messages: readonly InboxMessage[]) => void; until?: number; signal?: AbortSignal },
): Promise<number> => {
  let cursor = o.cursor;
  for (;;) {
    const left = o.until === undefined ? POLL_MS : o.until - Date.now();
    if (left <= 0 || o.signal?.aborted) return cursor;
    const page = await readCarrierInbox(carrier, { number: o.number, after: cursor, waitMs: Math.min(left, POLL_MS), ...(o.signal ? { signal: o.signal } : {}) });
    o.print(page.messages);
    cursor = page.next;
  }
};
