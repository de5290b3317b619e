/**
 * Colour scales of the mission view. One ramp for "how good": red (nothing) → amber → green (best), so pass links
 * and backbone pools read the same way.
 */
import type { Rgba } from './types.ts';

const RAMP: Rgba[] = [
  [220, 40, 40, 255],
  [240, 180, 30, 255],
  [40, 200, 90, 255],
];

/** Position 0..1 on the red→amber→green ramp (clamped; NaN counts as 0). */
export function rampColour(fraction: number, alpha = 255): Rgba {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const x = f * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const u = x - i;
  const a = RAMP[i];
  const b = RAMP[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * u)).concat(alpha) as Rgba;
}

/**
 * Expected secret key of a pass → colour. Keys span decades (a grazing pass yields 0, a zenith pass ~10^5–10^6 bits),
 * so the ramp is logarithmic between 1 kbit and the best pass of the plan. Unknown key (no keyrate model) is grey.
 */
export function keyColour(expectedSecretKeyBits: number | undefined, bestBits: number, alpha = 230): Rgba {
  if (expectedSecretKeyBits === undefined || !Number.isFinite(expectedSecretKeyBits)) return [170, 170, 170, alpha];
  if (expectedSecretKeyBits <= 0) return rampColour(0, alpha);
  const floorBits = 1e3;
  const top = Math.max(bestBits, floorBits * 10);
  const f = Math.log10(Math.max(expectedSecretKeyBits, floorBits) / floorBits) / Math.log10(top / floorBits);
  return rampColour(f, alpha);
}

/** `rgba(r,g,b,a)` for the DOM (alpha 0..1), from a CZML colour. */
export function cssColour(c: Rgba): string {
  return `rgba(${c[0]},${c[1]},${c[2]},${(c[3] / 255).toFixed(3)})`;
}
