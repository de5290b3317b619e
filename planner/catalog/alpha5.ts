/**
 * Alpha-5 catalogue numbers (USSF, 2020): the first column of a 5-character number may be a letter standing for
 * 10..33 (I and O are skipped so they cannot be read as 1 and 0), giving ids up to 339,999 in the old TLE layout.
 */
const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** "A0001" → 100001, "41731" → 41731, " 1234" → 1234; null when the field is not a catalogue number. */
export function decodeAlpha5(field: string): number | null {
  const s = field.trim();
  if (/^\d{1,5}$/.test(s)) return Number(s);
  if (!/^[A-HJ-NP-Z]\d{4}$/.test(s)) return null;
  return (letters.indexOf(s[0]!) + 10) * 10_000 + Number(s.slice(1));
}

/** 100001 → "A0001"; numbers below 100,000 are zero-padded digits. Throws beyond 339,999 (programmer error). */
export function encodeAlpha5(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 339_999) throw new RangeError(`catalogue number ${n} cannot be written as Alpha-5`);
  if (n < 100_000) return String(n).padStart(5, '0');
  return letters[Math.floor(n / 10_000) - 10]! + String(n % 10_000).padStart(4, '0');
}
