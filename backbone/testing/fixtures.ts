/** Small topologies and a manual clock for backbone tests and benches. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../planner/time.ts';
import type { Topology } from '../topology/schema.ts';

export class ManualClock implements Clock {
  constructor(public tMs: number) {}
  nowMs(): number {
    return this.tMs;
  }
  advance(ms: number): void {
    this.tMs += ms;
  }
}

export const T0 = Date.parse('2026-11-29T18:00:00Z');

export function tempDir(prefix = 'satqkd-backbone-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const node = (id: string, kind: Topology['nodes'][number]['kind'] = 'trusted-relay', i = 0) => ({ id, kind, name: id, latDeg: 30 + i * 0.1, lonDeg: 117 });

/** A line of n+1 nodes N0..Nn, each fibre link at `rateBps`, an SAE on each end. */
export function lineTopology(hops: number, rateBps = 100_000): Topology {
  const nodes = Array.from({ length: hops + 1 }, (_, i) => node(`N${i}`, 'trusted-relay', i));
  const links = Array.from({ length: hops }, (_, i) => ({ id: `N${i}~N${i + 1}`, a: `N${i}`, b: `N${i + 1}`, kind: 'fibre' as const, lengthKm: 80, keyRateBps: rateBps }));
  return { name: `line-${hops}`, nodes, links, saes: [{ id: 'SAE-A', node: 'N0' }, { id: 'SAE-B', node: `N${hops}` }, { id: 'SAE-A2', node: 'N0' }, { id: 'SAE-B2', node: `N${hops}` }] };
}

/**
 * A ring with a chord, two ground stations joined by a satellite link:
 *   A — R1 — B, A — R2 — R3 — B (the long way round), B — GS1 ~sat~ GS2 — C
 */
export function meshTopology(rateBps = 50_000): Topology {
  return {
    name: 'mesh',
    nodes: [node('A', 'endpoint'), node('R1'), node('R2'), node('R3'), node('B', 'metro'), node('GS1', 'ground-station'), node('GS2', 'ground-station'), node('C', 'endpoint')],
    links: [
      { id: 'A~R1', a: 'A', b: 'R1', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
      { id: 'R1~B', a: 'R1', b: 'B', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
      { id: 'A~R2', a: 'A', b: 'R2', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
      { id: 'R2~R3', a: 'R2', b: 'R3', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
      { id: 'R3~B', a: 'R3', b: 'B', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
      { id: 'B~GS1', a: 'B', b: 'GS1', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
      { id: 'GS1~GS2', a: 'GS1', b: 'GS2', kind: 'satellite', lengthKm: 1120 },
      { id: 'GS2~C', a: 'GS2', b: 'C', kind: 'fibre', lengthKm: 50, keyRateBps: rateBps },
    ],
    saes: [{ id: 'SAE-A', node: 'A' }, { id: 'SAE-B', node: 'B' }, { id: 'SAE-C', node: 'C' }, { id: 'SAE-A2', node: 'A' }, { id: 'SAE-B2', node: 'B' }, { id: 'SAE-R1', node: 'R1' }],
  };
}

export const sampleProvenance = {
  passId: 'MICIUS@XL@2026-11-29T16:50:00.000Z',
  stationId: 'XL',
  satelliteId: 'MICIUS',
  startMs: T0 - 3_600_000,
  endMs: T0 - 3_300_000,
  qber: 0.012,
  siftedBits: 2_000_000,
  reconciliationLeakedBits: 180_000,
  authenticationKeyBits: 256,
  epsilonSec: 1e-10,
  epsilonCor: 1e-15,
  finiteKeyBoundBits: 300_000,
  protocol: 'decoy-BB84 Lim2014 3-intensity',
};
