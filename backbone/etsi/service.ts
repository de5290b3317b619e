/**
 * The ETSI GS QKD 014 operations of one KME, free of HTTP: each takes the caller's SAE id (from its certificate)
 * and the request, and returns the status code and JSON body the spec prescribes.
 */
import type { Kme } from '../kme.ts';
import type { TopologyGraph } from '../topology/graph.ts';
import { keyIdsSchema, keyRequestSchema, type EtsiError, type EtsiStatus, type KeyContainer, type KeyRequest } from './formats.ts';

export type EtsiReply = { status: 200; body: EtsiStatus | KeyContainer } | { status: 400 | 401 | 503; body: EtsiError };

const bad = (message: string, details?: Record<string, unknown>[]): EtsiReply => ({ status: 400, body: details ? { message, details } : { message } });
const CONFIG_MISMATCH = 'requested parameters do not adhere to KME configuration';
const NOT_FOUND = 'one or more keys specified are not found on KME';

export class EtsiService {
  constructor(
    private readonly kme: Kme,
    private readonly graph: TopologyGraph,
  ) {}

  /** 401 unless the caller is an SAE registered on this KME. */
  authorise(callerSae: string | undefined): EtsiReply | null {
    if (!callerSae || this.graph.saeNode.get(callerSae) !== this.kme.nodeId) return { status: 401, body: { message: 'unauthorized: the client certificate does not name an SAE of this KME' } };
    return null;
  }

  private peerNode(sae: string): string | undefined {
    return this.graph.saeNode.get(sae);
  }

  status(caller: string, slaveSae: string): EtsiReply {
    const target = this.peerNode(slaveSae);
    if (!target) return bad(`slave_SAE_ID ${slaveSae} is not registered`);
    const c = this.kme.config;
    return {
      status: 200,
      body: {
        source_KME_ID: this.kme.nodeId,
        target_KME_ID: target,
        master_SAE_ID: caller,
        slave_SAE_ID: slaveSae,
        key_size: c.defaultKeyBits,
        stored_key_count: this.kme.readyCount(target),
        max_key_count: c.maxKeyCount,
        max_key_per_request: c.maxKeysPerRequest,
        max_key_size: c.maxKeyBits,
        min_key_size: c.minKeyBits,
        max_SAE_ID_count: c.maxSaeIdCount,
      },
    };
  }

  /** Get key: `raw` is the POST body or the GET query already turned into a Key request. */
  async encKeys(caller: string, slaveSae: string, raw: unknown): Promise<EtsiReply> {
    const parsed = keyRequestSchema.safeParse(raw ?? {});
    if (!parsed.success) return bad(parsed.error.issues[0]!.message, [{ field: parsed.error.issues[0]!.path.join('.') }]);
    const req: KeyRequest = parsed.data;
    const c = this.kme.config;
    if (req.extension_mandatory?.length) {
      // this KME implements no extension: every mandatory one is unsupported
      return bad('not all extension_mandatory parameters are supported', [{ extension_mandatory_unsupported: req.extension_mandatory.flatMap((e) => Object.keys(e)) }]);
    }
    const number = req.number ?? 1;
    const size = req.size ?? c.defaultKeyBits;
    if (size % 8 !== 0) return bad('size shall be a multiple of 8');
    if (number > c.maxKeysPerRequest) return bad(CONFIG_MISMATCH, [{ number_exceeds_max_key_per_request: c.maxKeysPerRequest }]);
    if (size < c.minKeyBits || size > c.maxKeyBits) return bad(CONFIG_MISMATCH, [{ size_out_of_range: [c.minKeyBits, c.maxKeyBits] }]);
    const slaves = [slaveSae, ...(req.additional_slave_SAE_IDs ?? [])];
    if (new Set(slaves).size !== slaves.length) return bad('additional_slave_SAE_IDs repeat an SAE');
    if (slaves.length + 1 > c.maxSaeIdCount) return bad(CONFIG_MISMATCH, [{ max_SAE_ID_count: c.maxSaeIdCount }]);
    if (slaves.includes(caller)) return bad('an SAE cannot be its own slave');
    const dest = this.peerNode(slaveSae);
    if (!dest) return bad(`slave_SAE_ID ${slaveSae} is not registered`);
    for (const s of slaves.slice(1)) {
      const n = this.peerNode(s);
      if (!n) return bad(`additional slave SAE ${s} is not registered`);
      // one key relayed to one KME: every slave must be served by the same KME
      if (n !== dest) return bad(CONFIG_MISMATCH, [{ additional_slave_SAE_ID_on_other_KME: s }]);
    }
    const got = await this.kme.obtainKeys({ dest, number, bits: size, masterSae: caller, slaveSaes: slaves });
    if (!got.ok) return got.status === 400 ? bad(got.message) : { status: 503, body: { message: got.message } };
    return { status: 200, body: { keys: got.keys.map((k) => ({ key_ID: k.keyId, key: k.bytes.toString('base64') })) } };
  }

  /** Get key with key IDs: `raw` is the POST body or { key_IDs: [{ key_ID }] } from the GET query. */
  decKeys(caller: string, masterSae: string, raw: unknown): EtsiReply {
    const parsed = keyIdsSchema.safeParse(raw ?? {});
    if (!parsed.success) return bad(parsed.error.issues[0]!.message, [{ field: parsed.error.issues[0]!.path.join('.') }]);
    if (!this.peerNode(masterSae)) return bad(`master_SAE_ID ${masterSae} is not registered`);
    const ids = parsed.data.key_IDs.map((k) => k.key_ID);
    if (ids.length > this.kme.config.maxKeysPerRequest) return bad(CONFIG_MISMATCH, [{ max_key_per_request: this.kme.config.maxKeysPerRequest }]);
    const r = this.kme.decKeys({ masterSae, slaveSae: caller, keyIds: ids });
    if (!r.ok) return bad(NOT_FOUND, [{ key_IDs_not_found: r.missing }]);
    return { status: 200, body: { keys: r.keys.map((k) => ({ key_ID: k.keyId, key: k.bytes.toString('base64') })) } };
  }
}
