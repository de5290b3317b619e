/**
 * KeySink adapters (planner/ports.ts) through which a ground station's key store hands finished satellite blocks
 * to the backbone: in the same process straight to the station node's KME, across processes over HTTPS with the
 * key store's client certificate ("keystore.<node>"). Both are idempotent by blockId, like ingestSatelliteKey.
 */
import { Agent, request } from 'node:https';
import type { KeyBlock, KeySink } from '../planner/ports.ts';
import type { Kme } from './kme.ts';

export interface SatelliteLinkTarget {
  /** The satellite link the blocks belong to (or the pair of ground-station nodes it joins). */
  linkId?: string;
  stationNodes?: [string, string];
}

/** A key store in this process: blocks go straight into the KME's satellite link pool. */
export function kmeKeySink(kme: Kme, target: SatelliteLinkTarget): KeySink {
  return {
    async put(block: KeyBlock, keyBytes: Uint8Array): Promise<void> {
      if (keyBytes.length * 8 !== block.bits) throw new Error(`block ${block.blockId}: ${block.bits} bits announced, ${keyBytes.length * 8} handed over`);
      const r = kme.ingestSatelliteKey({ ...target, blockId: block.blockId, keyBytes, provenance: block.provenance });
      if (!r.ok) throw new Error(`block ${block.blockId} refused by KME ${kme.nodeId}: ${r.field}: ${r.message}`);
    },
  };
}

/** A key store in another process: POST /kme/v1/satellite-keys on the station node's KME, mutual TLS. */
export function httpsKeySink(opts: SatelliteLinkTarget & { kmeUrl: string; caPem: string; certPem: string; keyPem: string; timeoutMs?: number }): KeySink & { close(): void } {
  const agent = new Agent({ keepAlive: true, ca: opts.caPem, cert: opts.certPem, key: opts.keyPem });
  return {
    put(block: KeyBlock, keyBytes: Uint8Array): Promise<void> {
      const body = JSON.stringify({ linkId: opts.linkId, stationNodes: opts.stationNodes, blockId: block.blockId, keyB64: Buffer.from(keyBytes).toString('base64'), provenance: block.provenance });
      return new Promise((resolve, reject) => {
        const req = request(new URL('/kme/v1/satellite-keys', opts.kmeUrl), { method: 'POST', agent, timeout: opts.timeoutMs ?? 10_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`KME refused block ${block.blockId}: ${res.statusCode} ${text}`))));
        });
        req.on('timeout', () => req.destroy(new Error('KME timed out')));
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
