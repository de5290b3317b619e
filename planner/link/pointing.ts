/**
 * Pointing loss of a Gaussian beam of 1/e² radius W at the receiver when the transmitter's pointing has a static
 * bias b and a random jitter of σ per axis (all as distances at the receiver, i.e. angle × range).
 * Averaging exp(−2 r² / W²) over a 2-D normal offset of mean b and per-axis σ gives
 *   η = W² / (W² + 4σ²) · exp(−2 b² / (W² + 4σ²)),
 * which reduces to exp(−2 θ_err² / θ_div²) for pure bias and 1 / (1 + 4σ²/W²) for pure jitter.
 */
export function pointingTransmittance(beamRadiusM: number, biasM: number, jitterRmsM: number): number {
  const w2 = beamRadiusM * beamRadiusM;
  const den = w2 + 4 * jitterRmsM * jitterRmsM;
  return (w2 / den) * Math.exp((-2 * biasM * biasM) / den);
}
