/** Adjacency view of a topology: who neighbours whom, over which link. */
import type { Topology, TopologyLink } from './schema.ts';

export interface Neighbour {
  node: string;
  link: TopologyLink;
}

export class TopologyGraph {
  readonly links = new Map<string, TopologyLink>();
  private readonly adj = new Map<string, Neighbour[]>();
  private readonly pairIndex = new Map<string, TopologyLink>();
  readonly saeNode = new Map<string, string>();

  constructor(readonly topology: Topology) {
    for (const n of topology.nodes) this.adj.set(n.id, []);
    for (const l of topology.links) {
      this.links.set(l.id, l);
      this.adj.get(l.a)!.push({ node: l.b, link: l });
      this.adj.get(l.b)!.push({ node: l.a, link: l });
      this.pairIndex.set(pairKey(l.a, l.b), l);
    }
    for (const s of topology.saes) this.saeNode.set(s.id, s.node);
  }

  neighbours(node: string): Neighbour[] {
    return this.adj.get(node) ?? [];
  }

  linkBetween(a: string, b: string): TopologyLink | undefined {
    return this.pairIndex.get(pairKey(a, b));
  }

  hasNode(node: string): boolean {
    return this.adj.has(node);
  }

  /** The other end of a link. */
  static other(link: TopologyLink, node: string): string {
    return link.a === node ? link.b : link.a;
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
