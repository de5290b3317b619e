/**
 * Seeded parity-check matrices for the mother codes. Both parties derive the same matrix from public parameters
 * (n, rate, seed), so nothing about the code travels over the link but those three numbers.
 *
 * Construction (girth-conditioned random, PEG-flavoured):
 *  - degree-2 variables form one staircase over a random order of the checks (variable j joins checks π(j) and
 *    π(j+1), as in IRA codes): a chain has no cycles, so no low-weight codeword lives on degree-2 variables alone,
 *    the usual source of an error floor with many degree-2 nodes;
 *  - every other variable, highest degree first (PEG orders them lowest first, but then the wide neighbourhoods
 *    of the high-degree nodes meet a nearly full graph and 4-cycles become unavoidable; measured), draws its checks one edge at a time: two
 *    random open checks that are at distance > 2 from the variable (no 4-cycle), the one with more free sockets
 *    wins (keeps the check degrees concentrated until the end); if no such check turns up, any open check not
 *    yet adjacent (a 4-cycle is accepted), else the edge is dropped (never seen at n ≥ 2^12, but the result stays
 *    deterministic either way).
 * Full PEG (a breadth-first search per edge) is O(n·E) in the worst case, seconds per matrix in JS; this is one
 * pass over the edges with a distance-2 stamp per variable.
 *
 * Stored as CSR by check (rowPtr, colIdx): the layered decoder walks rows, the syndrome is a row-parity pass.
 */
import { Xoshiro128, seedFrom } from '../prng.ts';
import { DEFAULT_FAMILY, degreeDistribution, type FamilyParams } from './degree-distributions.ts';

export interface ParityCheckMatrix {
  n: number;
  m: number;
  /** Design rate 1 − m/n. */
  rate: number;
  seed: number;
  /** Row j's variables are colIdx[rowPtr[j] … rowPtr[j+1]). */
  rowPtr: Int32Array;
  colIdx: Int32Array;
  varDegree: Int32Array;
  /** Variables that may be punctured, in the order they are taken: no two share a check ("untainted", Elkouss et
   * al. 2012), so the punctured columns have disjoint non-empty supports and are linearly independent over GF(2).
   * That independence is what makes the leak of the syndrome exactly m − p (see reconcile.ts). */
  punctureOrder: Int32Array;
}

/** Mother-code rates the protocol chooses from (rate adaptation covers the gaps). */
export const MOTHER_RATES: readonly number[] = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];

const cache = new Map<string, ParityCheckMatrix>();

/** The matrix for (n, rate, seed), built once per process and cached (both parties call this). */
export function parityCheckMatrix(n: number, rate: number, seed: number, fam: FamilyParams = DEFAULT_FAMILY): ParityCheckMatrix {
  const key = `${n}:${rate}:${seed}:${fam.stabilityMargin}:${fam.lambda3}:${fam.highDegree}`;
  let h = cache.get(key);
  if (!h) {
    h = buildParityCheckMatrix(n, rate, seed, fam);
    cache.set(key, h);
  }
  return h;
}

/** Node counts per degree from edge fractions, summing to n. */
function nodeCounts(n: number, degrees: number[], edgeFractions: number[]): number[] {
  let s = 0;
  for (let i = 0; i < degrees.length; i++) s += edgeFractions[i] / degrees[i];
  const counts = degrees.map((d, i) => Math.round((n * edgeFractions[i]) / d / s));
  const diff = n - counts.reduce((a, b) => a + b, 0);
  counts[1] += diff; // degree 3 absorbs rounding
  return counts;
}

export function buildParityCheckMatrix(n: number, rate: number, seed: number, fam: FamilyParams = DEFAULT_FAMILY): ParityCheckMatrix {
  if (!Number.isInteger(n) || n < 64) throw new Error(`ldpc: frame length ${n} must be an integer ≥ 64`);
  const m = Math.round(n * (1 - rate));
  const dist = degreeDistribution(rate, fam);
  const counts = nodeCounts(n, dist.degrees, dist.edgeFractions);
  counts[0] = Math.min(counts[0], m - 1);
  counts[1] = n - counts[0] - counts[2];
  const rng = new Xoshiro128(seedFrom(seed ^ 0x1d9c));

  // Degrees to positions through a random permutation: structure must not line up with key order.
  const varDegree = new Int32Array(n);
  const perm = shuffled(n, rng);
  let at = 0;
  for (let i = 0; i < dist.degrees.length; i++) for (let c = 0; c < counts[i]; c++) varDegree[perm[at++]] = dist.degrees[i];
  const varPtr = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) varPtr[v + 1] = varPtr[v] + varDegree[v];
  const edges = varPtr[n];

  // Check capacities as even as possible: ⌊E/m⌋ or ⌈E/m⌉ sockets.
  const cap = new Int32Array(m);
  const base = Math.floor(edges / m);
  const extra = edges - base * m;
  const checkOrder = shuffled(m, rng);
  for (let j = 0; j < m; j++) cap[checkOrder[j]] = base + (j < extra ? 1 : 0);
  const rowPtr = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) rowPtr[j + 1] = rowPtr[j] + cap[j];
  const rowFill = new Int32Array(m);
  const colIdx = new Int32Array(edges);
  const varChecks = new Int32Array(edges);
  const varFill = new Int32Array(n);
  // Open checks (free sockets left), swap-remove list.
  const open = new Int32Array(m);
  const openPos = new Int32Array(m);
  let openCount = m;
  for (let j = 0; j < m; j++) {
    open[j] = j;
    openPos[j] = j;
  }
  const connect = (v: number, c: number) => {
    colIdx[rowPtr[c] + rowFill[c]++] = v;
    varChecks[varPtr[v] + varFill[v]++] = c;
    if (rowFill[c] === cap[c]) {
      const p = openPos[c];
      const last = open[--openCount];
      open[p] = last;
      openPos[last] = p;
      openPos[c] = -1;
    }
  };

  // Staircase of degree-2 variables over a random check order.
  const deg2: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < n; i++) (varDegree[perm[i]] === 2 ? deg2 : others).push(perm[i]);
  const stairChecks = shuffled(m, rng);
  for (let j = 0; j < deg2.length; j++) {
    connect(deg2[j], stairChecks[j]);
    connect(deg2[j], stairChecks[j + 1]);
  }

  // Remaining variables, highest degree first.
  others.sort((a, b) => varDegree[b] - varDegree[a] || a - b);
  const stamp = new Int32Array(m).fill(-1);
  for (const v of others) {
    for (let k = 0; k < varDegree[v]; k++) {
      if (openCount === 0) break;
      let best = -1;
      let found = 0;
      for (let t = 0; t < 16 && found < 2; t++) {
        const c = open[rng.below(openCount)];
        if (stamp[c] === v) continue;
        found++;
        if (best < 0 || cap[c] - rowFill[c] > cap[best] - rowFill[best]) best = c;
      }
      if (best < 0) best = scanOpen(open, openCount, (c) => stamp[c] !== v);
      if (best < 0) best = scanOpen(open, openCount, (c) => !hasEdge(varChecks, varPtr[v], varFill[v], c));
      if (best < 0) continue; // dropped edge
      connect(v, best);
      // Stamp every check within distance 2 of v through `best`: a later edge of v there would close a 4-cycle.
      for (let e = rowPtr[best]; e < rowPtr[best] + rowFill[best]; e++) {
        const u = colIdx[e];
        for (let f = varPtr[u]; f < varPtr[u] + varFill[u]; f++) stamp[varChecks[f]] = v;
      }
    }
  }

  // Compact (dropped edges leave holes) and finalise degrees.
  const outPtr = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) outPtr[j + 1] = outPtr[j] + rowFill[j];
  const outIdx = new Int32Array(outPtr[m]);
  for (let j = 0; j < m; j++) outIdx.set(colIdx.subarray(rowPtr[j], rowPtr[j] + rowFill[j]), outPtr[j]);
  for (let v = 0; v < n; v++) varDegree[v] = varFill[v];

  // Untainted puncturing candidates: staircase variables in chain order first (every other one is untainted),
  // then any variable whose checks are all still free of punctured neighbours.
  const tainted = new Uint8Array(m);
  const order: number[] = [];
  const tryTake = (v: number) => {
    if (varFill[v] === 0) return;
    for (let f = varPtr[v]; f < varPtr[v] + varFill[v]; f++) if (tainted[varChecks[f]]) return;
    for (let f = varPtr[v]; f < varPtr[v] + varFill[v]; f++) tainted[varChecks[f]] = 1;
    order.push(v);
  };
  for (let j = 0; j < deg2.length; j += 2) tryTake(deg2[j]);
  for (const v of others) if (varDegree[v] === 3) tryTake(v);
  return { n, m, rate, seed, rowPtr: outPtr, colIdx: outIdx, varDegree, punctureOrder: Int32Array.from(order) };
}

function shuffled(n: number, rng: Xoshiro128): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

function scanOpen(open: Int32Array, count: number, ok: (c: number) => boolean): number {
  for (let i = 0; i < count; i++) if (ok(open[i])) return open[i];
  return -1;
}

function hasEdge(varChecks: Int32Array, start: number, fill: number, c: number): boolean {
  for (let f = start; f < start + fill; f++) if (varChecks[f] === c) return true;
  return false;
}

/** Syndrome H·x of a frame (one byte per bit in, one byte per check out). */
export function syndromeOf(h: ParityCheckMatrix, x: Uint8Array): Uint8Array {
  const s = new Uint8Array(h.m);
  const { rowPtr, colIdx } = h;
  for (let j = 0; j < h.m; j++) {
    let p = 0;
    for (let e = rowPtr[j]; e < rowPtr[j + 1]; e++) p ^= x[colIdx[e]];
    s[j] = p;
  }
  return s;
}
