import fc from 'fast-check';

/** Card numbers the fuzz suite plants in inputs (Luhn-valid test cards); none may be stored or answered unmasked. */
export const PLANTED_CARDS = ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117'];

/** Strings no input should break anything with. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000', 'a\u0000b', '+1202555\u00000143', '\uD800', 'x\uDFFFy', '\u202Eevil\u202C', '\u200F\u2066rtl', 'x'.repeat(10_000),
    "' or 1=1 --", "'; drop table policies; --", '<script>alert(1)</script>', ']]><Hangup/><![CDATA[', '${7*7}{{7*7}}', '../../etc/passwd',
    '%00%ff%', '-1', '1e309', 'NaN', 'Infinity', '9'.repeat(400), '', ' ', '\r\n\r\nHTTP/1.1 200 OK', 'null', 'true', '[]', '{}',
    '\\u0000', '😀'.repeat(500), 'Ω≈ç√∫',
  ),
  fc.constantFrom(...PLANTED_CARDS, '4111 1111 1111 1111', '4111-1111-1111-1111', 'my card is 5555555555554444 exp 1230'),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
);

/** Values of the wrong type for a JSON field. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 2 ** 53 + 1, 1e308, -1e308, Number.MIN_VALUE),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Bodies that are not valid encodings of anything: sent as raw bytes under the route's content type. */
export const malformedForm = fc.constantFrom('%', '%E0%A4%A', '&&==&', 'a=%00&a=%ZZ', '=', 'CallSid', 'x'.repeat(100_000), '\u0000=\u0000');
export const malformedJson = fc.constantFrom('{', '[1,', '{"a":1,"a":2}', 'null', '"str"', '{"id":}', '\u0000', '1'.repeat(5000), '{"__proto__":{"x":1}}');
