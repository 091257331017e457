/** A number that could receive a text, with its SMS consent; `inUse`: the one the customer is using now. */
export type NumberConsent = { to: string; consent: 'granted' | 'opted-out' | 'none'; inUse: boolean };

export type ChosenNumber = {
  /** The number to text, or null when none may be texted. */
  to: string | null;
  /** `caller`: the number in use; `other-number`: another of the holder's; `none`: nothing sendable. */
  basis: 'caller' | 'other-number' | 'none';
  /** Every number looked at, in the order tried, with its consent (the record of why). */
  checked: { to: string; consent: NumberConsent['consent'] }[];
  /** The choice in words, for the evidence. */
  reason: string;
};

const CONSENT_WORDS: Record<NumberConsent['consent'], string> = { granted: 'has SMS consent', 'opted-out': 'opted out of texts', none: 'has no SMS consent' };

/**
 * Which number a text about what the customer just did (a payment receipt) goes to: the number they
 * are using (the call's caller ID, the SMS thread's number) when it consented to texts, else
 * another consented number of the policyholder, else none. Pure: the caller reads `numbers` (the
 * number in use first, then the holder's, mobile first) with their consent in one query.
 */
export const chooseConsentedNumber = (numbers: readonly NumberConsent[]): ChosenNumber => {
  const ordered = [...numbers.filter((n) => n.inUse), ...numbers.filter((n) => !n.inUse)];
  const checked = ordered.map(({ to, consent }) => ({ to, consent }));
  const inUse = ordered.find((n) => n.inUse);
  const chosen = ordered.find((n) => n.consent === 'granted');
  const why = (n: NumberConsent) => `${n.to} ${CONSENT_WORDS[n.consent]}`;
  if (!chosen) {
    const list = ordered.length ? ordered.map(why).join('; ') : 'the policyholder has no phone number';
    return { to: null, basis: 'none', checked, reason: `No receipt sent: no number may be texted (${list}).` };
  }
  if (chosen.inUse) return { to: chosen.to, basis: 'caller', checked, reason: `Sent to the number in use: ${why(chosen)}.` };
  const first = inUse ? `The number in use, ${why(inUse)}` : 'The number in use is unknown';
  return { to: chosen.to, basis: 'other-number', checked, reason: `${first}; sent to the policyholder's other number ${chosen.to}, which has SMS consent.` };
};
