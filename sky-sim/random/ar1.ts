/**
 * A stationary Gauss–Markov (first-order autoregressive, Ornstein–Uhlenbeck sampled) process: zero mean,
 * standard deviation σ, autocorrelation exp(−|Δt|/τ). Exact discretisation, so the statistics do not depend
 * on the step. Used for scintillation (in log-irradiance) and atmospheric tip-tilt.
 */
import type { Rng } from './prng.ts';

export class Ar1 {
  private x: number;

  constructor(
    private readonly rng: Rng,
    private sigma: number,
    private readonly correlationMs: number,
  ) {
    if (!(correlationMs > 0)) throw new Error(`correlation time must be > 0 ms, got ${correlationMs}`);
    this.x = sigma * rng.normal();
  }

  /** Advances by `dtMs` with standard deviation `sigma` (may vary slowly, e.g. with elevation). */
  step(dtMs: number, sigma = this.sigma): number {
    // Rescale the state when σ changes so the process stays stationary at the new σ.
    if (sigma !== this.sigma) {
      this.x = this.sigma > 0 ? (this.x * sigma) / this.sigma : sigma * this.rng.normal();
      this.sigma = sigma;
    }
    const rho = Math.exp(-dtMs / this.correlationMs);
    this.x = rho * this.x + sigma * Math.sqrt(1 - rho * rho) * this.rng.normal();
    return this.x;
  }

  value(): number {
    return this.x;
  }
}
