/**
 * A synthetic satellite-as-relay pass for demos: random station keys kA, kB (as the two stations' key stores
 * would hold after post-processing), the satellite's published kA ⊕ kB, and each station's resulting block.
 * The provenance figures are illustrative (Micius-like), not the output of a simulated pass.
 */
import { randomBytes } from 'node:crypto';
import type { KeyProvenance } from '../planner/ports.ts';
import { satelliteRelayKey } from './kme.ts';
import { toIso } from '../planner/time.ts';

export interface SatelliteBlockFile {
  stationNodes: [string, string];
  blockId: string;
  keyB64: string;
  provenance: KeyProvenance;
  peerProvenance: KeyProvenance;
}

export function syntheticRelayPass(opts: { stationA: string; stationB: string; satelliteId: string; endMs: number; bits: number }): { a: SatelliteBlockFile; b: SatelliteBlockFile } {
  const bytes = opts.bits / 8;
  const kA = randomBytes(bytes);
  const kB = randomBytes(bytes);
  const published = Buffer.from(kA.map((x, i) => x ^ kB[i]!));
  const startMs = opts.endMs - 300_000;
  const prov = (station: string): KeyProvenance => ({
    passId: `${opts.satelliteId}@${station}@${toIso(startMs)}`,
    stationId: station,
    satelliteId: opts.satelliteId,
    startMs,
    endMs: opts.endMs,
    qber: 0.011,
    siftedBits: Math.round(opts.bits * 2.6),
    reconciliationLeakedBits: Math.round(opts.bits * 0.35),
    authenticationKeyBits: 256,
    epsilonSec: 1e-10,
    epsilonCor: 1e-15,
    finiteKeyBoundBits: opts.bits,
    protocol: 'decoy-BB84 Lim2014 3-intensity (synthetic demo pass)',
  });
  const blockId = `${opts.satelliteId}-relay-${toIso(startMs).replace(/[:.]/g, '')}`;
  const pa = prov(opts.stationA);
  const pb = prov(opts.stationB);
  const pair: [string, string] = [opts.stationA, opts.stationB];
  return {
    a: { stationNodes: pair, blockId, keyB64: satelliteRelayKey(kA, published, 'A').toString('base64'), provenance: pa, peerProvenance: pb },
    b: { stationNodes: pair, blockId, keyB64: satelliteRelayKey(kB, published, 'B').toString('base64'), provenance: pb, peerProvenance: pa },
  };
}
