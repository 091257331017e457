import { readFileSync } from 'node:fs';
import { DEFAULT_RETENTION_OFFERS } from './default-retention-offers.js';
import { parseRetentionOffers, type RetentionOffers } from './offer-rules-config.js';

/**
 * The offers of RETENTION_OFFERS_FILE, or the defaults without one. Throws an
 * Error naming the file and what is wrong, so a process stops at start rather
 * than make a caller an offer it cannot price.
 */
export const loadRetentionOffers = (file: string | undefined): RetentionOffers => {
  if (file === undefined) return DEFAULT_RETENTION_OFFERS;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`RETENTION_OFFERS_FILE ${file}: ${err instanceof SyntaxError ? `is not JSON (${err.message})` : `cannot be read (${(err as Error).message})`}`, { cause: err });
  }
  return parseRetentionOffers(json, `RETENTION_OFFERS_FILE ${file}`);
};
