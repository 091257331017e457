import { EvidenceType, type EvidenceDraft } from './evidence-event.js';
import { maskUrl, redactParams } from '../shared/redact.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

/** Parses Twilio's RFC 2822 `Timestamp`; null when absent or unreadable. */
export const providerTime = (ts: unknown): Date | null => {
  if (typeof ts !== 'string' || ts === '') return null;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** The inbound webhook as evidence: path and redacted params, the provider's id and clock. */
export const webhookReceived = (
  path: string,
  params: Record<string, unknown>,
  opts: { providerRef: string; secretKeys?: ReadonlySet<string>; refused?: readonly RefusedText[] },
): EvidenceDraft => ({
  type: EvidenceType.WEBHOOK_RECEIVED,
  providerRef: opts.providerRef,
  providerTime: providerTime(params.Timestamp),
  payload: {
    path: maskUrl(path),
    params: redactParams(params, opts.secretKeys),
    // What the edge cleaned out of the request (NUL, lone surrogates), escaped, by field and offset.
    ...(opts.refused?.length ? { refused: opts.refused } : {}),
  },
});
