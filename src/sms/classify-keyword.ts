/**
 * Carrier and TCPA keywords (DOMAIN.md, "Rules of the road"). A message that is
 * one of these words (any case, surrounding spaces and punctuation ignored) is
 * a keyword; "CANCEL POLICY" is not an opt-out, a bare "CANCEL" is.
 */
export type Keyword = 'opt-out' | 'opt-in' | 'help' | null;

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'OPT OUT', 'PARAR', 'ALTO']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES', 'SUBSCRIBE', 'SI', 'SÍ']);
const HELP = new Set(['HELP', 'INFO', 'AYUDA']);

export const classifyKeyword = (body: string): Keyword => {
  const word = body
    .normalize('NFC')
    .toUpperCase()
    .replace(/[\s.!?,;:'"()\-_]+/g, ' ')
    .trim();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  if (HELP.has(word)) return 'help';
  return null;
};
