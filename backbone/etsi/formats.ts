/**
 * ETSI GS QKD 014 V1.1.1 data formats (clause 6): Key request, Key IDs, and the parsing of GET query parameters.
 * Unknown members are ignored (the spec lets both sides add extensions); wrong types are a 400.
 */
import { z } from 'zod';

const extensionList = z.array(z.record(z.string(), z.unknown()));

export const keyRequestSchema = z.object({
  number: z.number().int('number shall be an integer').positive('number shall be positive').optional(),
  size: z.number().int('size shall be an integer').positive('size shall be positive').optional(),
  additional_slave_SAE_IDs: z.array(z.string().min(1)).optional(),
  extension_mandatory: extensionList.optional(),
  extension_optional: extensionList.optional(),
});
export type KeyRequest = z.infer<typeof keyRequestSchema>;

export const keyIdsSchema = z.object({
  key_IDs: z.array(z.object({ key_ID: z.string().min(1), key_ID_extension: z.unknown().optional() })).min(1, 'key_IDs shall not be empty'),
  key_IDs_extension: z.unknown().optional(),
});

export interface EtsiError {
  message: string;
  details?: Record<string, unknown>[];
}

export interface EtsiStatus {
  source_KME_ID: string;
  target_KME_ID: string;
  master_SAE_ID: string;
  slave_SAE_ID: string;
  key_size: number;
  stored_key_count: number;
  max_key_count: number;
  max_key_per_request: number;
  max_key_size: number;
  min_key_size: number;
  max_SAE_ID_count: number;
}

export interface KeyContainer {
  keys: { key_ID: string; key: string }[];
}

/** A strictly decimal query parameter (GET enc_keys), or an error message. */
export function queryInt(q: unknown, name: string): number | undefined | { error: string } {
  if (q === undefined) return undefined;
  if (typeof q !== 'string' || !/^\d{1,9}$/.test(q)) return { error: `${name} shall be a positive integer` };
  return Number(q);
}

/** The spec's table says `Keys` where its example says `keys`: clients accept both. */
export function keysOf(container: unknown): { key_ID: string; key: string }[] {
  const c = container as { keys?: unknown; Keys?: unknown };
  const list = (c.keys ?? c.Keys) as { key_ID: string; key: string }[] | undefined;
  if (!Array.isArray(list)) throw new Error('not a key container');
  return list;
}
