/**
 * Generates beijing-shanghai.json (run: npx tsx tle-data/backbones/generate-beijing-shanghai.ts).
 * The model and its sources are described in README.md next to this file.
 */
import { writeFileSync } from 'node:fs';

type Node = { id: string; kind: string; name: string; latDeg: number; lonDeg: number; metro?: string };
type Link = { id: string; a: string; b: string; kind: string; lengthKm: number; keyRateBps?: number; note?: string };

const cities = {
  Beijing: [39.9042, 116.4074],
  Jinan: [36.6512, 117.1201],
  Hefei: [31.8206, 117.2272],
  Shanghai: [31.2304, 121.4737],
} as const;

const R_EARTH_KM = 6371.0088;
function gcKm([lat1, lon1]: readonly number[], [lat2, lon2]: readonly number[]): number {
  const r = Math.PI / 180;
  const h = Math.sin(((lat2! - lat1!) * r) / 2) ** 2 + Math.cos(lat1! * r) * Math.cos(lat2! * r) * Math.sin(((lon2! - lon1!) * r) / 2) ** 2;
  return 2 * R_EARTH_KM * Math.asin(Math.sqrt(h));
}

/** Secure key rate of a trusted-node fibre link: 0.2 dB/km, rate ∝ transmittance, 400 kbit/s extrapolated to 0 km. */
const rateBps = (km: number) => Math.round((400_000 * 10 ** ((-0.2 * km) / 10)) / 10) * 10;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

const nodes: Node[] = [];
const links: Link[] = [];
const link = (a: string, b: string, km: number, kind = 'fibre', note?: string) =>
  links.push({ id: `${a}~${b}`, a, b, kind, lengthKm: round(km, 1), ...(kind === 'fibre' ? { keyRateBps: rateBps(km) } : {}), ...(note ? { note } : {}) });

// ---- the 2,000 km backbone: 32 trusted relays, the four city hubs among them
const FIBRE_KM = 2000;
const legs = [['Beijing', 'Jinan'], ['Jinan', 'Hefei'], ['Hefei', 'Shanghai']] as const;
const legKm = legs.map(([a, b]) => gcKm(cities[a], cities[b]));
const routeFactor = FIBRE_KM / legKm.reduce((s, x) => s + x, 0);
// 31 hops over 3 legs, shared in proportion to their length (10, 13, 8 → 32 relays with shared city hubs)
const hopsPerLeg = [10, 13, 8];
let idx = 1;
const relayId = (i: number) => `BS-R${String(i).padStart(2, '0')}`;
const hubOf: Record<string, string> = {};
legs.forEach(([a, b], leg) => {
  const n = hopsPerLeg[leg]!;
  const [la, loa] = cities[a];
  const [lb, lob] = cities[b];
  for (let i = leg === 0 ? 0 : 1; i <= n; i++) {
    const f = i / n;
    const city = i === 0 ? a : i === n ? b : undefined;
    const id = relayId(idx++);
    if (city) hubOf[city] = id;
    nodes.push({ id, kind: 'trusted-relay', name: city ? `${city} backbone hub` : `Backbone relay ${idx - 1} (${a}–${b})`, latDeg: round(la + (lb - la) * f), lonDeg: round(loa + (lob - loa) * f) });
    if (i > 0) link(relayId(idx - 2), id, (legKm[leg]! * routeFactor) / n, 'fibre', 'backbone hop; rate modelled from length');
  }
});

const prefix = { Beijing: 'BJ', Jinan: 'JN', Hefei: 'HF', Shanghai: 'SH' } as const;

// ---- metropolitan networks: a ring of access nodes around each hub, users hanging off them
function metro(city: keyof typeof cities, count: number, radiusKm: number, users: [string, string][]): string[] {
  const [lat, lon] = cities[city];
  const hub = hubOf[city]!;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const th = (2 * Math.PI * i) / count;
    const id = `${prefix[city]}-M${i + 1}`;
    ids.push(id);
    nodes.push({ id, kind: 'metro', name: `${city} metro node ${i + 1}`, latDeg: round(lat + (radiusKm / 111.2) * Math.cos(th)), lonDeg: round(lon + (radiusKm / (111.2 * Math.cos((lat * Math.PI) / 180))) * Math.sin(th)), metro: city });
  }
  const ringKm = 2 * Math.PI * radiusKm / count * 1.3;
  ids.forEach((id, i) => link(id, ids[(i + 1) % count]!, ringKm, 'fibre', 'metro ring'));
  link(hub, ids[0]!, radiusKm * 1.3, 'fibre', 'hub to metro');
  link(hub, ids[Math.floor(count / 2)]!, radiusKm * 1.3, 'fibre', 'hub to metro');
  users.forEach(([id, name], i) => {
    const at = ids[(i * 2 + 1) % count]!;
    const n = nodes.find((x) => x.id === at)!;
    nodes.push({ id, kind: 'endpoint', name, latDeg: round(n.latDeg + 0.02), lonDeg: round(n.lonDeg + 0.02), metro: city });
    link(at, id, 8, 'fibre', 'user access');
  });
  return ids;
}

const bj = metro('Beijing', 6, 20, [['BJ-U-BANK', 'Beijing user: bank data centre'], ['BJ-U-GRID', 'Beijing user: power grid control']]);
metro('Jinan', 4, 15, [['JN-U-GOV', 'Jinan user: government e-office']]);
metro('Hefei', 4, 15, [['HF-U-LAB', 'Hefei user: research campus']]);
metro('Shanghai', 6, 20, [['SH-U-BANK', 'Shanghai user: bank data centre'], ['SH-U-EXCH', 'Shanghai user: exchange']]);

// ---- satellite ground stations: Xinglong (Hebei) reaches Beijing metro through an access relay; Nanshan (Ürümqi)
// serves a local user; the two are joined only through the satellite (satellite as trusted relay)
nodes.push({ id: 'GS-XINGLONG', kind: 'ground-station', name: 'Xinglong ground station (NAOC, 1 m telescope)', latDeg: 40.3958, lonDeg: 117.5775 });
nodes.push({ id: 'XL-ACCESS', kind: 'metro', name: 'Xinglong access relay (Miyun)', latDeg: 40.3769, lonDeg: 116.8431, metro: 'Beijing' });
link('GS-XINGLONG', 'XL-ACCESS', 75, 'fibre', 'ground-station access');
link('XL-ACCESS', bj[1]!, 65, 'fibre', 'ground-station access');
nodes.push({ id: 'GS-NANSHAN', kind: 'ground-station', name: 'Nanshan ground station (XAO, Ürümqi)', latDeg: 43.4753, lonDeg: 87.1778 });
nodes.push({ id: 'UR-U-GOV', kind: 'endpoint', name: 'Ürümqi user', latDeg: 43.8256, lonDeg: 87.6168, metro: 'Urumqi' });
link('GS-NANSHAN', 'UR-U-GOV', 45, 'fibre', 'ground-station access');
link('GS-XINGLONG', 'GS-NANSHAN', gcKm([40.3958, 117.5775], [43.4753, 87.1778]), 'satellite', 'Micius-class satellite as trusted relay: key only after passes');

const saes = [
  ['SAE-BJ-BANK', 'BJ-U-BANK'], ['SAE-BJ-GRID', 'BJ-U-GRID'], ['SAE-JN-GOV', 'JN-U-GOV'], ['SAE-HF-LAB', 'HF-U-LAB'],
  ['SAE-SH-BANK', 'SH-U-BANK'], ['SAE-SH-EXCH', 'SH-U-EXCH'], ['SAE-UR-GOV', 'UR-U-GOV'],
].map(([id, node]) => ({ id: id!, node: node! }));

const topology = {
  name: 'beijing-shanghai',
  description: 'Modelled on the Beijing–Shanghai trusted-relay QKD backbone (32 trusted relays, ~2,000 km) with the Beijing, Jinan, Hefei and Shanghai metropolitan networks, and the Xinglong and Nanshan satellite ground stations joined through the satellite. Node positions along the backbone are interpolated, key rates modelled; see README.md.',
  sources: [
    'Chen et al., Nature 589, 214 (2021): an integrated space-to-ground quantum communication network over 4,600 km',
    'Liao et al., PRL 120, 030501 (2018): satellite-relayed intercontinental QKD (satellite as trusted relay, XOR of two ground keys)',
    'ITU-T FG-QIT4N D2.2: QKD network use cases',
  ],
  nodes,
  links,
  saes,
};
const out = new URL('./beijing-shanghai.json', import.meta.url);
writeFileSync(out, JSON.stringify(topology, null, 1) + '\n');
console.log(`${nodes.length} nodes (${nodes.filter((n) => n.kind === 'trusted-relay').length} backbone relays), ${links.length} links, ${saes.length} SAEs, backbone fibre ${links.filter((l) => l.a.startsWith('BS-') && l.b.startsWith('BS-')).reduce((s, l) => s + l.lengthKm, 0).toFixed(0)} km`);
