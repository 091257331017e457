// Small building blocks of the compliance page (on dom.ts: values are text, never markup).
import { ApiError } from './console-api.js';
import { el } from './dom.js';
import type { Checkpoint, VerifierKey } from './compliance-proof.js';

/** What every part of the page shares: the log's latest checkpoint and key, and how to open a view. */
export type ComplianceContext = {
  checkpoint: Checkpoint | null;
  key: VerifierKey | null;
  openTimeline: (policyNumber: string, window?: { from: string; to: string }) => void;
  openTranscript: (interactionId: string, kind?: string) => void;
};

export const badge = (text: string, tone: 'good' | 'bad' | 'warn' | '' = '') => el('span', { class: `badge ${tone}`.trim() }, text);

/** A refusal or failure, in the API's own words. */
export const problem = (err: unknown) =>
  el('p', { class: 'problem', role: 'alert' }, err instanceof ApiError ? err.message : `Something went wrong: ${(err as Error).message}`);

/**
 * A table; each cell carries its column's name (`data-label`), which a phone's width shows beside the
 * value when the rows stack as cards (console.css).
 */
export const table = (testId: string, headers: string[], rows: HTMLTableRowElement[], empty = 'Nothing found.') => {
  if (rows.length === 0) return el('p', { class: 'muted', 'data-testid': testId }, empty);
  for (const row of rows) Array.from(row.cells).forEach((cell, i) => { if (headers[i]) cell.setAttribute('data-label', headers[i]!); });
  return el('div', { class: 'table-wrap' }, el('table', { 'data-testid': testId },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows)));
};

export const input = (label: string, name: string, attrs: Record<string, string> = {}) =>
  el('label', {}, label, el('input', { name, ...attrs }));

/** The named inputs of a form, as trimmed strings. */
export const formValues = (form: HTMLFormElement): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') out[k] = v.trim();
  return out;
};

/** YYYY-MM-DD of a date (local), for date inputs. */
export const isoDay = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
