/**
 * The backbone operator API as built (backbone/operator/api.ts) offers /api/backbone/pools (per link, per end:
 * produced / stored / spendable bits), /relays (a bare array with `paths`), /usage (per SAE and node). These read it
 * and turn it into the page's format (api-types.ts); the page tries the documented endpoints first.
 */
import { z } from 'zod';
import type { BackboneLinks, BackboneRelays, BackboneSaes } from '../api-types.ts';

const iso = (t: number) => new Date(Math.round(t)).toISOString();

export const BackbonePoolsSchema = z
  .array(
    z.object({
      linkId: z.string(),
      ends: z.array(z.object({ node: z.string(), storedBits: z.number().optional(), spendableBits: z.number().optional() })).min(2),
    }),
  )
  .transform(
    (pools): BackboneLinks => ({
      links: pools.map((p) => ({
        id: p.linkId,
        a: p.ends[0].node,
        b: p.ends[1].node,
        // Key usable on a link is what both ends can still spend; an end this process does not run reports 0, so
        // take the larger when one side is unknown to this KME.
        poolBits: Math.max(0, ...p.ends.map((e) => e.spendableBits ?? e.storedBits ?? 0)),
      })),
    }),
  );

export const BackboneRelaysArraySchema = z
  .array(
    z.object({
      relayId: z.string(),
      origin: z.string(),
      dest: z.string(),
      bits: z.number().optional(),
      paths: z.array(z.array(z.string())),
      state: z.string().optional(),
      reason: z.string().nullable().optional(),
      createdMs: z.number().optional(),
    }),
  )
  .transform(
    (rs): BackboneRelays => ({
      relays: rs.map((r) => ({
        id: r.relayId,
        t: r.createdMs !== undefined ? iso(r.createdMs) : undefined,
        source: r.origin,
        destination: r.dest,
        paths: r.paths,
        bits: r.bits,
        status: r.reason ? `${r.state ?? ''} (${r.reason})` : r.state,
      })),
    }),
  );

export const BackboneUsageSchema = z
  .array(z.object({ node: z.string().optional(), sae: z.string(), keys: z.number(), bits: z.number().optional() }))
  .transform((us): BackboneSaes => {
    const by = new Map<string, { saeId: string; kmeId?: string; keysServed: number; bitsServed: number }>();
    for (const u of us) {
      const s = by.get(u.sae) ?? { saeId: u.sae, kmeId: u.node, keysServed: 0, bitsServed: 0 };
      s.keysServed += u.keys;
      s.bitsServed += u.bits ?? 0;
      by.set(u.sae, s);
    }
    return { saes: [...by.values()].sort((a, b) => a.saeId.localeCompare(b.saeId)) };
  });
