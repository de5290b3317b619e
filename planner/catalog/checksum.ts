/** TLE line checksum: sum of the digits of columns 1–68, each '-' counting 1, modulo 10. */
export function tleChecksum(line: string): number {
  let sum = 0;
  for (let i = 0; i < 68 && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) sum += c - 48;
    else if (c === 45) sum += 1;
  }
  return sum % 10;
}

/** Appends (or replaces) column 69 with the checksum of a 68-column body. */
export function withChecksum(body68: string): string {
  const b = body68.slice(0, 68).padEnd(68, ' ');
  return b + String(tleChecksum(b));
}
