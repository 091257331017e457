import { EvidenceType, type EvidenceDraft } from './evidence-event.js';

/** One part of a `flow.turn` event as stored in its payload. */
export type TurnPart = {
  type: string;
  payload: Record<string, unknown>;
  schemaVersion?: number;
  /** Only where it differs from the event's own provider reference or time. */
  providerRef?: string | null;
  providerTime?: string | null;
};

const iso = (d: Date | null | undefined): string | null => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);

/**
 * The drafts of one webhook turn (the request, what was pressed or said, the
 * state change, effects queued, what the caller was told) as ONE event whose
 * payload lists them in order: one row, one chain link and one log leaf per
 * turn instead of one per part, with nothing left out. The event carries the
 * first provider reference and time of its parts; a part whose own differ
 * keeps them. A single draft stays as it is.
 */
export const asOneTurnEvent = (drafts: readonly EvidenceDraft[]): EvidenceDraft[] => {
  if (drafts.length <= 1) return [...drafts];
  const providerRef = drafts.find((d) => d.providerRef)?.providerRef ?? null;
  const providerTime = drafts.find((d) => iso(d.providerTime))?.providerTime ?? null;
  const parts = drafts.map((d): TurnPart => {
    const part: TurnPart = { type: d.type, payload: d.payload };
    if (d.schemaVersion && d.schemaVersion !== 1) part.schemaVersion = d.schemaVersion;
    if ((d.providerRef ?? null) !== null && d.providerRef !== providerRef) part.providerRef = d.providerRef;
    if (iso(d.providerTime) !== null && iso(d.providerTime) !== iso(providerTime)) part.providerTime = iso(d.providerTime);
    return part;
  });
  return [{ type: EvidenceType.FLOW_TURN, providerRef, providerTime, payload: { parts } }];
};

/** The fields of a stored event that its parts inherit. */
type EventLike = { type: string; payload: unknown; providerRef?: string | null; providerTime?: string | null };

/**
 * What an event says, part by part: a `flow.turn` event as its parts (each
 * with the event's fields, its own type and payload, and `part`, its index),
 * any other event as itself. Readers (transcripts, timelines) work on parts.
 */
export const eventParts = <E extends EventLike>(e: E): (E & { part: number | null })[] => {
  const parts = e.type === EvidenceType.FLOW_TURN ? (e.payload as { parts?: unknown } | null)?.parts : undefined;
  if (!Array.isArray(parts)) return [{ ...e, part: null }];
  return parts.map((p: TurnPart, i) => ({
    ...e,
    type: String(p.type),
    payload: p.payload,
    providerRef: p.providerRef !== undefined ? p.providerRef : (e.providerRef ?? null),
    providerTime: p.providerTime !== undefined ? p.providerTime : (e.providerTime ?? null),
    part: i,
  }));
};
