/**
 * The backbone topology file: trusted nodes, QKD links with their key rates, and the SAEs (applications) attached
 * to each node's KME. Parsed with zod at the boundary; every problem is reported with the file and the JSON path
 * of the offending field, and the whole file is rejected (nothing half-loaded).
 */
import { z } from 'zod';

export const nodeKinds = ['trusted-relay', 'metro', 'endpoint', 'ground-station'] as const;
export type NodeKind = (typeof nodeKinds)[number];

/** fibre: a terrestrial QKD link with a (simulated) secure key rate; satellite: keys arrive only after passes. */
export const linkKinds = ['fibre', 'satellite'] as const;
export type LinkKind = (typeof linkKinds)[number];

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,63}$/, 'ids are 1-64 characters of A-Z a-z 0-9 _ . : ~ - (no spaces)');

const nodeSchema = z.strictObject({
  id,
  kind: z.enum(nodeKinds),
  name: z.string().min(1),
  latDeg: z.number().min(-90).max(90),
  lonDeg: z.number().min(-180).max(180),
  /** The metropolitan network the node belongs to, if any. */
  metro: z.string().optional(),
  /** Where this node's KME listens in multi-process mode (one HTTPS port: ETSI 014 for SAEs and the inter-KME protocol for peers, told apart by certificate). */
  kme: z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).optional(),
});

const linkSchema = z.strictObject({
  id,
  a: id,
  b: id,
  kind: z.enum(linkKinds),
  lengthKm: z.number().nonnegative(),
  /** Secure key rate of the terrestrial QKD pair, bit/s (fibre links only). */
  keyRateBps: z.number().positive().optional(),
  /** Modelled or published: where the figure comes from. */
  note: z.string().optional(),
});

const saeSchema = z.strictObject({ id, node: id, name: z.string().optional() });

export const topologySchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  sources: z.array(z.string()).optional(),
  nodes: z.array(nodeSchema).min(1),
  links: z.array(linkSchema),
  saes: z.array(saeSchema),
});

export type TopologyNode = z.infer<typeof nodeSchema>;
export type TopologyLink = z.infer<typeof linkSchema>;
export type TopologySae = z.infer<typeof saeSchema>;
export type Topology = z.infer<typeof topologySchema>;

export interface TopologyIssue {
  file: string;
  /** JSON path of the field, like links[3].b */
  field: string;
  message: string;
}

export type TopologyResult = { ok: true; topology: Topology } | { ok: false; issues: TopologyIssue[] };

function pathString(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s || '(root)';
}

/** Checks what a schema cannot: unique ids, links between known nodes, one link per pair, rates where needed. */
function crossCheck(t: Topology, file: string): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const add = (field: string, message: string) => issues.push({ file, field, message });
  const nodes = new Map<string, TopologyNode>();
  t.nodes.forEach((n, i) => {
    if (nodes.has(n.id)) add(`nodes[${i}].id`, `duplicate node id '${n.id}'`);
    nodes.set(n.id, n);
  });
  const linkIds = new Set<string>();
  const pairs = new Set<string>();
  t.links.forEach((l, i) => {
    if (linkIds.has(l.id)) add(`links[${i}].id`, `duplicate link id '${l.id}'`);
    linkIds.add(l.id);
    if (!nodes.has(l.a)) add(`links[${i}].a`, `unknown node '${l.a}'`);
    if (!nodes.has(l.b)) add(`links[${i}].b`, `unknown node '${l.b}'`);
    if (l.a === l.b) add(`links[${i}].b`, `a link cannot join node '${l.a}' to itself`);
    const pair = [l.a, l.b].sort().join('|');
    if (pairs.has(pair)) add(`links[${i}]`, `a second link between '${l.a}' and '${l.b}' (one QKD link per pair)`);
    pairs.add(pair);
    if (l.kind === 'fibre' && l.keyRateBps === undefined) add(`links[${i}].keyRateBps`, 'a fibre link needs its secure key rate');
    if (l.kind === 'satellite') {
      for (const end of ['a', 'b'] as const) {
        const n = nodes.get(l[end]);
        if (n && n.kind !== 'ground-station') add(`links[${i}].${end}`, `a satellite link joins ground-station nodes; '${n.id}' is ${n.kind}`);
      }
      if (l.keyRateBps !== undefined) add(`links[${i}].keyRateBps`, 'a satellite link has no fixed rate: its keys come from passes');
    }
  });
  const saeIds = new Set<string>();
  t.saes.forEach((s, i) => {
    if (saeIds.has(s.id)) add(`saes[${i}].id`, `duplicate SAE id '${s.id}'`);
    saeIds.add(s.id);
    if (!nodes.has(s.node)) add(`saes[${i}].node`, `unknown node '${s.node}'`);
  });
  return issues;
}

/** Parses topology JSON text. `file` only labels the issues. */
export function parseTopology(text: string, file: string): TopologyResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, issues: [{ file, field: '(root)', message: `not JSON: ${(err as Error).message}` }] };
  }
  const parsed = topologySchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ file, field: pathString(i.path), message: i.message })) };
  }
  const issues = crossCheck(parsed.data, file);
  return issues.length ? { ok: false, issues } : { ok: true, topology: parsed.data };
}

export function formatIssues(issues: TopologyIssue[]): string {
  return issues.map((i) => `${i.file}: ${i.field}: ${i.message}`).join('\n');
}
