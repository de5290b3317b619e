/**
 * Scintillation of the received irradiance: log-normal, I/⟨I⟩ = exp(X − σ²/2) with X a Gauss–Markov process of
 * variance σ² = ln(1 + σ_I²), so the mean transmittance is the link model's (scintillation redistributes, it
 * does not lose). σ_I² is the aperture-averaged scintillation index, which grows toward the horizon like
 * sec(ζ)^(11/6) (Rytov, weak turbulence), capped at `maxScintillationIndex` (saturation).
 *
 * Correlation time: the irradiance pattern (scale ~ max(√(λL), D_rx)) is swept across the aperture by the wind
 * and the beam slew; for a 1 m receiver and v⊥ ≈ 10–50 m/s this is ~10–50 ms (aperture-averaged; a point
 * receiver would see ~1 ms). The default 20 ms is that order; it is a parameter because it is site-dependent.
 */
import { Ar1 } from '../random/ar1.ts';
import type { Rng } from '../random/prng.ts';

export interface ScintillationParams {
  /** Aperture-averaged scintillation index σ_I² at the zenith. */
  scintillationIndexZenith: number;
  maxScintillationIndex: number;
  correlationMs: number;
}

export class Scintillation {
  private readonly ar: Ar1;

  constructor(
    private readonly params: ScintillationParams,
    rng: Rng,
  ) {
    this.ar = new Ar1(rng, this.logSigma(90), params.correlationMs);
  }

  /** σ of ln I at an elevation. */
  logSigma(elevationDeg: number): number {
    const el = Math.max(elevationDeg, 1);
    const secZ = 1 / Math.sin((el * Math.PI) / 180);
    const index = Math.min(this.params.maxScintillationIndex, this.params.scintillationIndexZenith * secZ ** (11 / 6));
    return Math.sqrt(Math.log1p(index));
  }

  private cachedElDeg = NaN;
  private cachedSigma = 0;

  /** Irradiance factor (mean 1) after advancing by dtMs. */
  step(dtMs: number, elevationDeg: number): number {
    // σ changes slowly with elevation: recompute it only when the elevation moved by more than 0.05°.
    if (!(Math.abs(elevationDeg - this.cachedElDeg) < 0.05)) {
      this.cachedElDeg = elevationDeg;
      this.cachedSigma = this.logSigma(elevationDeg);
    }
    const s = this.cachedSigma;
    if (s === 0) return 1;
    const x = this.ar.step(dtMs, s);
    return Math.exp(x - (s * s) / 2);
  }
}
