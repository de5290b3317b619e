/**
 * Key-aware routing over the trusted-node graph. A hop can carry a key only if its sender holds at least the key's
 * length in its half of the link pool; among feasible paths the cheapest wins, where every hop costs 1 and a hop
 * whose pool is below the low-water mark costs `lowPoolPenalty` more (so traffic moves to an alternative path
 * before a pool runs dry). Multipath (for secret sharing) takes node-disjoint paths greedily: the best path, then
 * the best path avoiding its inner nodes, and so on (not the optimal Suurballe pair; good enough on a mesh this size).
 */
import { TopologyGraph } from '../topology/graph.ts';

/** Spendable bits of `sender`'s half of a link pool, or undefined when unknown (a remote link not polled yet). */
export type LevelView = (linkId: string, sender: string) => number | undefined;

export interface RouteOptions {
  needBits: number;
  lowWaterBits: number;
  lowPoolPenalty: number;
  /** Nodes the path must not enter (already visited, or inner nodes of other shares' paths). */
  avoid?: ReadonlySet<string>;
}

export const defaultRouteOptions = { lowWaterBits: 64 * 256, lowPoolPenalty: 4 };

/** Cheapest feasible path from → to (inclusive), or null. Dijkstra on a graph of tens of nodes: a linear scan heap. */
export function keyAwarePath(graph: TopologyGraph, levels: LevelView, from: string, to: string, opts: RouteOptions): string[] | null {
  if (from === to) return [from];
  const dist = new Map<string, number>([[from, 0]]);
  const prev = new Map<string, string>();
  const done = new Set<string>();
  const open = new Set<string>([from]);
  while (open.size) {
    let u = '';
    let best = Infinity;
    for (const n of open) {
      const d = dist.get(n)!;
      if (d < best || (d === best && n < u)) {
        best = d;
        u = n;
      }
    }
    open.delete(u);
    if (u === to) break;
    done.add(u);
    for (const { node: v, link } of graph.neighbours(u)) {
      if (done.has(v) || (opts.avoid?.has(v) && v !== to)) continue;
      const level = levels(link.id, u);
      if (level !== undefined && level < opts.needBits) continue;
      const cost = 1 + (level !== undefined && level < opts.lowWaterBits ? opts.lowPoolPenalty : 0);
      const d = best + cost;
      if (d < (dist.get(v) ?? Infinity)) {
        dist.set(v, d);
        prev.set(v, u);
        open.add(v);
      }
    }
  }
  if (!prev.has(to)) return null;
  const path = [to];
  while (path[0] !== from) path.unshift(prev.get(path[0]!)!);
  return path;
}

/** Up to `count` node-disjoint feasible paths (fewer when the graph has no more). */
export function disjointPaths(graph: TopologyGraph, levels: LevelView, from: string, to: string, count: number, opts: RouteOptions): string[][] {
  const avoid = new Set<string>(opts.avoid ?? []);
  const paths: string[][] = [];
  for (let i = 0; i < count; i++) {
    const p = keyAwarePath(graph, levels, from, to, { ...opts, avoid });
    if (!p) break;
    // a direct link can only carry one share: two shares over one link would hand both to one eavesdropped pool pair
    paths.push(p);
    for (const n of p.slice(1, -1)) avoid.add(n);
    if (p.length === 2) {
      const direct = graph.linkBetween(from, to)!.id;
      const blocked: LevelView = (id, s) => (id === direct ? 0 : levels(id, s));
      levels = blocked;
    }
  }
  return paths;
}
