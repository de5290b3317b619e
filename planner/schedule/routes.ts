/**
 * Relay routes: the ways a node pair can get a common key from the candidates.
 *
 * Same-satellite relay (Liao et al., PRL 120, 030501, 2018): satellite s shares K1 with station g1 (feeding node a)
 * in one pass and K2 with station g2 (feeding node b) in a later pass; it publishes K1 ⊕ K2 and both stations then
 * hold K1. The satellite keeps the earlier key in its memory until the later pass ends.
 *
 * Inter-satellite relay: g1 –(pass)– s1 –(window)– s2 –(pass)– g2, each satellite a trusted node that publishes the
 * XOR of its two link keys once it has both. Each satellite keeps the earlier of its two keys until the later one
 * exists, so the memory holds follow from the three key times alone, in any order.
 */
import type { Candidate, DemandPair, MemoryHold, Route } from './types.ts';

export interface RouteOptions {
  maxRelayHoldMs: number;
  /** For inter-satellite routes: the nearest (in time) passes kept on each side of a window. */
  islPartnersPerSide: number;
}

function hold(satellite: string, t1: number, t2: number): MemoryHold[] {
  return t1 === t2 ? [] : [{ satellite, startMs: Math.min(t1, t2), endMs: Math.max(t1, t2) }];
}

export function enumerateRoutes(
  candidates: readonly Candidate[],
  pairs: readonly DemandPair[],
  stationsFeeding: (node: string) => ReadonlySet<string>,
  opts: RouteOptions,
): Route[] {
  // Ground candidates indexed by satellite and station, in time order (candidates come sorted).
  const ground = new Map<string, Map<string, number[]>>();
  candidates.forEach((c, i) => {
    if (c.kind !== 'ground') return;
    const bySat = ground.get(c.satellite) ?? new Map<string, number[]>();
    ground.set(c.satellite, bySat);
    const list = bySat.get(c.target) ?? [];
    list.push(i);
    bySat.set(c.target, list);
  });
  const groundOf = (sat: string, stations: ReadonlySet<string>): number[] => {
    const bySat = ground.get(sat);
    if (!bySat) return [];
    const out: number[] = [];
    for (const st of [...stations].sort()) out.push(...(bySat.get(st) ?? []));
    return out.sort((a, b) => a - b);
  };
  const routes: Route[] = [];
  const sats = [...ground.keys()].sort();

  pairs.forEach((pair, p) => {
    const sa = stationsFeeding(pair.from);
    const sb = stationsFeeding(pair.to);
    for (const sat of sats) {
      const A = groundOf(sat, sa);
      const B = groundOf(sat, sb);
      for (const i of A) {
        for (const j of B) {
          const ci = candidates[i];
          const cj = candidates[j];
          if (i === j || ci.target === cj.target) continue;
          if (ci.startMs < cj.endMs && cj.startMs < ci.endMs) continue; // one terminal: cannot both happen
          if (Math.abs(ci.endMs - cj.endMs) > opts.maxRelayHoldMs) continue;
          routes.push({ id: `${ci.id}+${cj.id}`, pair: p, segments: [i, j], completionMs: Math.max(ci.endMs, cj.endMs), successProbability: ci.cloudFreeProbability * cj.cloudFreeProbability, holds: hold(sat, ci.endMs, cj.endMs) });
        }
      }
    }
    candidates.forEach((w, k) => {
      if (w.kind !== 'isl') return;
      for (const [s1, s2] of [[w.satellite, w.target], [w.target, w.satellite]]) {
        const near = (list: number[]) =>
          list
            .filter((i) => Math.abs(candidates[i].endMs - w.endMs) <= opts.maxRelayHoldMs)
            .sort((x, y) => Math.abs(candidates[x].endMs - w.endMs) - Math.abs(candidates[y].endMs - w.endMs) || x - y)
            .slice(0, opts.islPartnersPerSide);
        for (const i of near(groundOf(s1, sa))) {
          for (const j of near(groundOf(s2, sb))) {
            const ci = candidates[i];
            const cj = candidates[j];
            if (ci.target === cj.target) continue;
            const t = [ci.endMs, w.endMs, cj.endMs];
            if (Math.max(...t) - Math.min(...t) > opts.maxRelayHoldMs) continue;
            routes.push({
              id: `${ci.id}+${w.id}+${cj.id}`, pair: p, segments: [i, k, j], completionMs: Math.max(...t),
              successProbability: ci.cloudFreeProbability * w.cloudFreeProbability * cj.cloudFreeProbability,
              holds: [...hold(s1, ci.endMs, w.endMs), ...hold(s2, w.endMs, cj.endMs)],
            });
          }
        }
      }
    });
  });
  return routes;
}
