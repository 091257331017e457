/**
 * US states (and DC) with the IANA zones a resident may be in, written with
 * the zone names Google's libphonenumber data uses for NANP numbers
 * (America/New_York for eastern Indiana and Michigan, America/Boise for
 * southern Idaho...), so that a known state can narrow a number's candidate
 * zones by plain set intersection. Facts from the states' legal time zones.
 */
const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';
const BOISE = 'America/Boise'; // Mountain time, the name Google gives southern Idaho and its neighbours
const ND_CENTER = 'America/North_Dakota/Center';

export const US_STATE_ZONES = {
  AL: [CT], AK: ['America/Anchorage', 'America/Juneau', 'America/Adak'],
  // why: the Navajo Nation in Arizona keeps daylight time, the rest of the state does not.
  AZ: ['America/Phoenix', MT], AR: [CT], CA: [PT], CO: [MT], CT: [ET], DE: [ET], DC: [ET],
  FL: [ET, CT], GA: [ET], HI: ['Pacific/Honolulu'], ID: [BOISE, MT, PT], IL: [CT], IN: [ET, CT],
  IA: [CT], KS: [CT, MT], KY: [ET, CT], LA: [CT], ME: [ET], MD: [ET], MA: [ET], MI: [ET, CT], MN: [CT],
  MS: [CT], MO: [CT], MT: [MT], NE: [CT, MT], NV: [PT, BOISE, MT], NH: [ET], NJ: [ET], NM: [MT], NY: [ET],
  NC: [ET], ND: [CT, ND_CENTER, MT], OH: [ET], OK: [CT], OR: [PT, BOISE, MT], PA: [ET], RI: [ET], SC: [ET],
  SD: [CT, ND_CENTER, MT], TN: [ET, CT], TX: [CT, MT], UT: [MT], VT: [ET], VA: [ET], WA: [PT], WV: [ET],
  WI: [CT], WY: [MT],
} as const satisfies Record<string, readonly string[]>;

export type UsStateCode = keyof typeof US_STATE_ZONES;

export const US_STATE_CODES = Object.keys(US_STATE_ZONES) as UsStateCode[];

export const isUsStateCode = (s: string): s is UsStateCode => Object.hasOwn(US_STATE_ZONES, s);

/**
 * Where a recipient we cannot place may be: every continental zone plus Alaska
 * and Hawaii. Quiet hours take the intersection of all of them, the strictest
 * window (about 13:00-21:00 Eastern in winter).
 */
export const ALL_US_ZONES: readonly string[] = [ET, CT, MT, 'America/Phoenix', PT, 'America/Anchorage', 'America/Adak', 'Pacific/Honolulu'];

/** The full names Google's geocoding data gives for area codes, to two-letter codes. */
export const US_STATE_BY_NAME: Readonly<Record<string, UsStateCode>> = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO',
  Connecticut: 'CT', Delaware: 'DE', 'Washington D.C.': 'DC', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI',
  Idaho: 'ID', Illinois: 'IL', Indiana: 'IN', Iowa: 'IA', Kansas: 'KS', Kentucky: 'KY', Louisiana: 'LA',
  Maine: 'ME', Maryland: 'MD', Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN', Mississippi: 'MS',
  Missouri: 'MO', Montana: 'MT', Nebraska: 'NE', Nevada: 'NV', 'New Hampshire': 'NH', 'New Jersey': 'NJ',
  'New Mexico': 'NM', 'New York': 'NY', 'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH',
  Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA', 'Rhode Island': 'RI', 'South Carolina': 'SC',
  'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT', Vermont: 'VT', Virginia: 'VA',
  'Washington State': 'WA', Washington: 'WA', 'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
};
