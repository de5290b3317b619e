import { describe, expect, it } from 'vitest';
import { parseTopology } from './topology/schema.ts';
import { bundledTopologyPath, loadTopologyFile } from './topology/load.ts';
import { TopologyGraph } from './topology/graph.ts';
import { keyAwarePath } from './relay/routing.ts';
import { meshTopology } from './testing/fixtures.ts';

describe('bundled Beijing–Shanghai topology', () => {
  const r = loadTopologyFile(bundledTopologyPath);
  it('parses, with 32 backbone relays, four metro networks and the two ground stations joined by satellite', () => {
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.topology;
    expect(t.nodes.filter((n) => n.kind === 'trusted-relay')).toHaveLength(32);
    expect(new Set(t.nodes.map((n) => n.metro).filter(Boolean))).toEqual(new Set(['Beijing', 'Jinan', 'Hefei', 'Shanghai', 'Urumqi']));
    expect(t.links.filter((l) => l.kind === 'satellite').map((l) => l.id)).toEqual(['GS-XINGLONG~GS-NANSHAN']);
    const backboneKm = t.links.filter((l) => l.a.startsWith('BS-R') && l.b.startsWith('BS-R')).reduce((s, l) => s + l.lengthKm, 0);
    expect(backboneKm).toBeGreaterThan(1990);
    expect(backboneKm).toBeLessThan(2010);
  });
  it('connects Beijing to Shanghai across the backbone and Beijing to Ürümqi only through the satellite', () => {
    if (!r.ok) return;
    const g = new TopologyGraph(r.topology);
    const everything = () => 1e12;
    const bjSh = keyAwarePath(g, everything, 'BJ-U-BANK', 'SH-U-BANK', { needBits: 256, lowWaterBits: 0, lowPoolPenalty: 0 })!;
    expect(bjSh.filter((n) => n.startsWith('BS-R'))).toHaveLength(32);
    const bjUr = keyAwarePath(g, everything, 'BJ-U-BANK', 'UR-U-GOV', { needBits: 256, lowWaterBits: 0, lowPoolPenalty: 0 })!;
    expect(bjUr.slice(-3)).toEqual(['GS-XINGLONG', 'GS-NANSHAN', 'UR-U-GOV']);
    const noSatelliteKey = (id: string) => (id === 'GS-XINGLONG~GS-NANSHAN' ? 0 : 1e12);
    expect(keyAwarePath(g, noSatelliteKey, 'BJ-U-BANK', 'UR-U-GOV', { needBits: 256, lowWaterBits: 0, lowPoolPenalty: 0 })).toBeNull();
  });
});

describe('topology validation names the file and field', () => {
  const base = meshTopology();
  const cases: { name: string; mutate: (t: any) => void; field: string; message: RegExp }[] = [
    { name: 'duplicate node', mutate: (t) => t.nodes.push({ ...t.nodes[0] }), field: 'nodes[8].id', message: /duplicate node id 'A'/ },
    { name: 'unknown link end', mutate: (t) => (t.links[0].b = 'NOPE'), field: 'links[0].b', message: /unknown node 'NOPE'/ },
    { name: 'self link', mutate: (t) => (t.links[0].b = 'A'), field: 'links[0].b', message: /itself/ },
    { name: 'second link on a pair', mutate: (t) => t.links.push({ ...t.links[0], id: 'dup' }), field: 'links[8]', message: /second link/ },
    { name: 'fibre without rate', mutate: (t) => delete t.links[0].keyRateBps, field: 'links[0].keyRateBps', message: /rate/ },
    { name: 'satellite link to a relay', mutate: (t) => (t.links[6].b = 'R1'), field: 'links[6].b', message: /ground-station/ },
    { name: 'negative rate', mutate: (t) => (t.links[0].keyRateBps = -5), field: 'links[0].keyRateBps', message: /./ },
    { name: 'bad latitude', mutate: (t) => (t.nodes[1].latDeg = 95), field: 'nodes[1].latDeg', message: /./ },
    { name: 'unknown field', mutate: (t) => (t.nodes[0].colour = 'red'), field: 'nodes[0]', message: /colour/ },
    { name: 'SAE on unknown node', mutate: (t) => (t.saes[0].node = 'Z'), field: 'saes[0].node', message: /unknown node 'Z'/ },
    { name: 'id with a space', mutate: (t) => (t.nodes[0].id = 'A B'), field: 'nodes[0].id', message: /ids are/ },
  ];
  it.each(cases)('$name → $field', ({ mutate, field, message }) => {
    const t = structuredClone(base);
    mutate(t);
    const r = parseTopology(JSON.stringify(t), 'net.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues.find((i) => i.field === field);
    expect(issue, JSON.stringify(r.issues)).toBeDefined();
    expect(issue!.file).toBe('net.json');
    expect(issue!.message).toMatch(message);
  });
  it('not JSON', () => {
    const r = parseTopology('{"nodes": [', 'x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/not JSON/);
  });
  it('a missing file is an issue, not a throw', () => {
    const r = loadTopologyFile('/nonexistent/net.json');
    expect(r.ok).toBe(false);
  });
});
