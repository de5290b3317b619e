/**
 * The satellite as a trusted relay (Liao et al., PRL 120, 030501, 2018): after passes over two ground stations the
 * satellite holds key K_A shared with A and K_B shared with B; it publishes K_A ⊕ K_B, and B recovers K_A from its
 * own K_B. The combined key then fills the backbone's satellite link between the two stations' nodes.
 *
 * Here the satellite's copies come from post-processing (its side of each pass); each station's copy is taken from
 * that station's key store (delivered once, then consumed), so every bit is accounted: a station block is either
 * still available in its store, merged into a backbone link, or wasted (the longer block's surplus).
 */
import type { KeyBlock } from '../../planner/ports.ts';
import type { Logger } from '../../planner/log.ts';
import type { KeyStore } from '../../ground-station/keystore/key-store.ts';
import { satelliteRelayKey, type Kme } from '../../backbone/index.ts';

export interface SatelliteHeldBlock {
  block: KeyBlock;
  bytes: Uint8Array;
}

export interface RelayLink {
  linkId: string;
  /** Scenario station ids at the two ends, and their backbone nodes. */
  stationA: string;
  stationB: string;
  nodeA: string;
  nodeB: string;
}

export interface RelayLedger {
  /** Bits merged into backbone satellite links (counted once per link, not per end). */
  mergedBits: number;
  /** Bits of station key spent on relaying that did not become link key (the longer block's surplus). */
  wastedBits: number;
  relays: { linkId: string; blockId: string; bits: number; satellite: string; passA: string; passB: string }[];
}

export class SatelliteRelay {
  /** satellite → station → blocks the satellite still holds with that station, oldest first. */
  private readonly held = new Map<string, Map<string, SatelliteHeldBlock[]>>();
  readonly ledger: RelayLedger = { mergedBits: 0, wastedBits: 0, relays: [] };

  constructor(
    private readonly links: RelayLink[],
    private readonly stores: Map<string, KeyStore>,
    private readonly kmes: Map<string, Kme>,
    private readonly log: Logger,
  ) {}

  /** The satellite's side of a finished pass. */
  hold(satellite: string, station: string, blocks: SatelliteHeldBlock[]): void {
    if (!blocks.length) return;
    let bySat = this.held.get(satellite);
    if (!bySat) this.held.set(satellite, (bySat = new Map()));
    const list = bySat.get(station) ?? [];
    list.push(...blocks);
    bySat.set(station, list);
  }

  heldBits(): number {
    let bits = 0;
    for (const bySat of this.held.values()) for (const list of bySat.values()) for (const b of list) bits += b.block.bits;
    return bits;
  }

  /** Combines what every satellite holds for the two ends of each satellite link; returns the bits merged now. */
  combine(): number {
    let merged = 0;
    for (const [satellite, bySat] of this.held) {
      for (const link of this.links) {
        const qa = bySat.get(link.stationA);
        const qb = bySat.get(link.stationB);
        while (qa?.length && qb?.length) {
          const a = qa.shift()!;
          const b = qb.shift()!;
          merged += this.relayPair(satellite, link, a, b);
        }
      }
    }
    return merged;
  }

  private relayPair(satellite: string, link: RelayLink, a: SatelliteHeldBlock, b: SatelliteHeldBlock): number {
    const storeA = this.stores.get(link.stationA);
    const storeB = this.stores.get(link.stationB);
    const kmeA = this.kmes.get(link.nodeA);
    const kmeB = this.kmes.get(link.nodeB);
    if (!storeA || !storeB || !kmeA || !kmeB) throw new Error(`relay link ${link.linkId}: missing store or KME`);
    const n = Math.min(a.bytes.length, b.bytes.length);
    // What the satellite publishes: only the XOR of the two keys, which tells an eavesdropper nothing of either.
    const published = new Uint8Array(n);
    for (let i = 0; i < n; i++) published[i] = a.bytes[i]! ^ b.bytes[i]!;
    a.bytes.fill(0);
    b.bytes.fill(0);
    const holder = `relay:${link.linkId}`;
    // available → reserved → delivered → consumed: a crash in between leaves the block reserved, never reused.
    const resA = storeA.reserveById(a.block.blockId, holder);
    const resB = resA.ok ? storeB.reserveById(b.block.blockId, holder) : resA;
    if (!resA.ok || !resB.ok) {
      if (resA.ok) storeA.release(a.block.blockId);
      this.log.warn('relay.station_block_unavailable', { linkId: link.linkId, a: a.block.blockId, b: b.block.blockId, reason: resA.ok ? (resB as { reason: string }).reason : resA.reason });
      return 0;
    }
    const ownA = storeA.deliver(a.block.blockId, holder);
    const ownB = storeB.deliver(b.block.blockId, holder);
    if (!ownA.ok || !ownB.ok) {
      this.log.warn('relay.station_block_unavailable', { linkId: link.linkId, a: a.block.blockId, b: b.block.blockId, reason: (ownA.ok ? '' : ownA.reason) + (ownB.ok ? '' : ownB.reason) });
      return 0;
    }
    const keyA = satelliteRelayKey(ownA.keyBytes.subarray(0, n), published, 'A');
    const keyB = satelliteRelayKey(ownB.keyBytes.subarray(0, n), published, 'B');
    ownA.keyBytes.fill(0);
    ownB.keyBytes.fill(0);
    const blockId = `sat-relay:${a.block.blockId}+${b.block.blockId}`.replace(/[^A-Za-z0-9_.:@-]/g, '_').slice(0, 128);
    const ra = kmeA.ingestSatelliteKey({ linkId: link.linkId, blockId, keyBytes: keyA, provenance: a.block.provenance, peerProvenance: b.block.provenance });
    const rb = kmeB.ingestSatelliteKey({ linkId: link.linkId, blockId, keyBytes: keyB, provenance: b.block.provenance, peerProvenance: a.block.provenance });
    keyA.fill(0);
    keyB.fill(0);
    if (!ra.ok || !rb.ok) throw new Error(`relay ${blockId} refused: ${ra.ok ? '' : `${ra.field}: ${ra.message}`} ${rb.ok ? '' : `${rb.field}: ${rb.message}`}`);
    storeA.consume(a.block.blockId);
    storeB.consume(b.block.blockId);
    const bits = n * 8;
    this.ledger.mergedBits += bits;
    this.ledger.wastedBits += a.block.bits - bits + (b.block.bits - bits);
    this.ledger.relays.push({ linkId: link.linkId, blockId, bits, satellite, passA: a.block.provenance.passId, passB: b.block.provenance.passId });
    this.log.info('relay.satellite_key_merged', { linkId: link.linkId, blockId, bits, satellite });
    return bits;
  }
}
