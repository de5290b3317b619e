/** The pass report of post-processing: every stage's figures, key material never included. */
import type { BasisIntensityCounts, FiniteKeyResult } from '../../planner/keyrate/types.ts';

export interface SyncQuality {
  driftPpm: number;
  jitterRmsPs: number;
  gatePs: number;
  inGateFraction: number;
  acquisitionResultant: number;
  chunks: number;
  /** Chunks whose absolute pulse offset was resolved by the sender. */
  chunksResolved: number;
  /** Worst (lowest) lock margin over resolved chunks. */
  minLockMargin: number;
  sampleQber: number;
  sampleDetections: number;
  /** Timing from the satellite's sync pulse train (true) or from the quantum detections alone. */
  syncLocked: boolean;
  /** Stretches of unbroken tagger clock: 1 + the clock jumps found. */
  clockSegments: number;
}

export interface PassReport {
  passId: string;
  ok: boolean;
  /** Why no key was produced, when ok is false or finalKeyBits is 0. */
  error?: string;
  detections: number;
  doubleClicks: number;
  /** Key-basis (X) sifted bits, n_X. */
  siftedBits: number;
  siftedTestBits: number;
  /** Key-basis error rate found by reconciliation (m_X / n_X). */
  qber: number;
  /** Test-basis error rate (m_Z / n_Z), what sized Cascade. */
  qberTestBasis: number;
  counts: BasisIntensityCounts;
  reconciliationLeakedBits: number;
  reconciliationEfficiency: number;
  reconciliationExchanges: number;
  /** 'cascade' or 'ldpc'. */
  reconciliationMethod: 'cascade' | 'ldpc';
  /** Key bits dropped because reconciliation gave them up (LDPC frames that never decoded); 0 for Cascade. */
  reconciliationDroppedBits: number;
  /** Verification tag bits beyond the log2(2/ε_cor) the bound already charges. */
  verificationExtraLeakedBits: number;
  verified: boolean;
  authenticationKeyBits: number;
  messages: number;
  /** Probability that any message the station accepted was forged (union bound over its received messages);
   * the composable security of the key is ε_sec + ε_cor + this. */
  authenticationFailureBound: number;
  finiteKey: FiniteKeyResult | null;
  finiteKeyBoundBits: number;
  finalKeyBits: number;
  /** Final bits returned to the authentication pool (to refill what this pass spent). */
  authPoolRefillBits: number;
  storedKeyBits: number;
  storedBlocks: number;
  sync: SyncQuality | null;
  timingsMs: Record<'sync' | 'sifting' | 'estimation' | 'reconciliation' | 'verification' | 'privacyAmplification' | 'store' | 'total', number>;
}
