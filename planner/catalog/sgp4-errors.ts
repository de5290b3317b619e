/** satellite.js / Vallado SGP4 error codes, as words an operator understands. */
const reasons: Record<number, string> = {
  1: 'mean elements out of range (eccentricity ≥ 1 or < −0.001, or semi-major axis < 0.95 Earth radii)',
  2: 'mean motion is negative',
  3: 'perturbed eccentricity out of range',
  4: 'semi-latus rectum is negative',
  5: 'epoch elements are sub-orbital',
  6: 'satellite has decayed',
};

export function sgp4ErrorReason(code: number): string {
  return reasons[code] ?? `SGP4 error code ${code}`;
}
