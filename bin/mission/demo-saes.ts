/**
 * Two applications (SAEs) per pair that use the backbone's keys the way D2.2's UCC1 describes: the master asks its
 * KME for keys (ETSI GS QKD 014 enc_keys, mutual TLS), encrypts a file once with AES-256-GCM and once with a
 * one-time pad, and hands the ciphertext and the key ids to the slave; the slave fetches the same keys from its
 * own KME (dec_keys) and decrypts. Keys are used once and dropped; their bytes never reach a log.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EtsiClient } from '../../backbone/etsi/client.ts';
import type { Logger } from '../../planner/log.ts';

export interface SaeEndpoint {
  id: string;
  kme: string;
  certPath: string;
  keyPath: string;
}

export interface DemoPairStats {
  master: string;
  slave: string;
  exchanges: number;
  /** Exchanges where the slave's decryption equals the master's plaintext (AES-GCM and OTP both). */
  verified: number;
  failed: number;
  /** Requests the KME answered 503 (no key yet between the two nodes: e.g. before the first satellite pass). */
  unavailable: number;
  keysServed: number;
  keyBitsServed: number;
  lastError: string | null;
  lastExchangeMs: number | null;
}

interface Fetched {
  keyId: string;
  key: Buffer;
}

function keysFrom(body: unknown): Fetched[] {
  const keys = (body as { keys?: { key_ID: string; key: string }[] })?.keys ?? [];
  return keys.map((k) => ({ keyId: k.key_ID, key: Buffer.from(k.key, 'base64') }));
}

/** Writes a file atomically: a crash leaves the old file or the new one, never half of one. */
function writeAtomic(path: string, data: Uint8Array | string): void {
  writeFileSync(path + '.tmp', data);
  renameSync(path + '.tmp', path);
}

export class DemoPair {
  readonly stats: DemoPairStats;
  private readonly masterClient: EtsiClient;
  private readonly slaveClient: EtsiClient;
  private readonly dir: string;

  constructor(
    private readonly master: SaeEndpoint,
    private readonly slave: SaeEndpoint,
    caPem: string,
    outDir: string,
    private readonly log: Logger,
    private readonly nowMs: () => number,
  ) {
    this.masterClient = new EtsiClient({ baseUrl: master.kme, caPem, certPem: readFileSync(master.certPath, 'utf8'), keyPem: readFileSync(master.keyPath, 'utf8') });
    this.slaveClient = new EtsiClient({ baseUrl: slave.kme, caPem, certPem: readFileSync(slave.certPath, 'utf8'), keyPem: readFileSync(slave.keyPath, 'utf8') });
    this.dir = join(outDir, `${master.id}--${slave.id}`);
    mkdirSync(this.dir, { recursive: true });
    this.stats = { master: master.id, slave: slave.id, exchanges: 0, verified: 0, failed: 0, unavailable: 0, keysServed: 0, keyBitsServed: 0, lastError: null, lastExchangeMs: null };
  }

  /** One exchange: a message encrypted with AES-256-GCM under one 256-bit key and with a one-time pad of its length. */
  async exchange(message: Buffer): Promise<'verified' | 'unavailable' | 'failed'> {
    this.stats.exchanges++;
    this.stats.lastExchangeMs = this.nowMs();
    const otpBits = message.length * 8;
    const enc = await this.masterClient.encKeys(this.slave.id, { number: 1, size: 256 });
    if (enc.status === 503) return this.unavailable(enc.body);
    if (enc.status !== 200) return this.fail(`enc_keys (AES key) → ${enc.status} ${JSON.stringify(enc.body)}`);
    const encOtp = await this.masterClient.encKeys(this.slave.id, { number: 1, size: otpBits });
    if (encOtp.status === 503) return this.unavailable(encOtp.body);
    if (encOtp.status !== 200) return this.fail(`enc_keys (pad) → ${encOtp.status} ${JSON.stringify(encOtp.body)}`);
    const [aesKey] = keysFrom(enc.body);
    const [pad] = keysFrom(encOtp.body);
    if (!aesKey || !pad || aesKey.key.length !== 32 || pad.key.length !== message.length) return this.fail('enc_keys returned keys of the wrong size');
    this.served(2, 256 + otpBits);

    // Master side: encrypt and write the files the slave will read.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', aesKey.key, iv);
    const aesCt = Buffer.concat([cipher.update(message), cipher.final()]);
    const tag = cipher.getAuthTag();
    const otpCt = Buffer.alloc(message.length);
    for (let i = 0; i < message.length; i++) otpCt[i] = message[i]! ^ pad.key[i]!;
    aesKey.key.fill(0);
    pad.key.fill(0);
    writeAtomic(join(this.dir, 'message.txt'), message);
    writeAtomic(join(this.dir, 'message.aes256gcm'), Buffer.concat([iv, tag, aesCt]));
    writeAtomic(join(this.dir, 'message.otp'), otpCt);
    writeAtomic(join(this.dir, 'key-ids.json'), JSON.stringify({ aes256gcm: aesKey.keyId, otp: pad.keyId }) + '\n');

    // Slave side: only the key ids and the ciphertexts cross over.
    const ids = JSON.parse(readFileSync(join(this.dir, 'key-ids.json'), 'utf8')) as { aes256gcm: string; otp: string };
    const dec = await this.slaveClient.decKeys(this.master.id, [ids.aes256gcm, ids.otp]);
    if (dec.status !== 200) return this.fail(`dec_keys → ${dec.status} ${JSON.stringify(dec.body)}`);
    const got = new Map(keysFrom(dec.body).map((k) => [k.keyId, k.key]));
    const k1 = got.get(ids.aes256gcm);
    const k2 = got.get(ids.otp);
    if (!k1 || !k2) return this.fail('dec_keys did not return both key ids');
    this.served(2, 256 + otpBits);
    const blob = readFileSync(join(this.dir, 'message.aes256gcm'));
    let aesPlain: Buffer;
    try {
      const d = createDecipheriv('aes-256-gcm', k1, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      aesPlain = Buffer.concat([d.update(blob.subarray(28)), d.final()]);
    } catch {
      return this.fail('AES-256-GCM authentication failed at the slave: the two KMEs delivered different keys');
    } finally {
      k1.fill(0);
    }
    const otpIn = readFileSync(join(this.dir, 'message.otp'));
    const otpPlain = Buffer.alloc(otpIn.length);
    for (let i = 0; i < otpIn.length; i++) otpPlain[i] = otpIn[i]! ^ k2[i]!;
    k2.fill(0);
    const ok = aesPlain.length === message.length && timingSafeEqual(aesPlain, message) && timingSafeEqual(otpPlain, message);
    if (!ok) return this.fail('decrypted text differs from the plaintext');
    writeAtomic(join(this.dir, 'message.decrypted.txt'), aesPlain);
    this.stats.verified++;
    this.stats.lastError = null;
    this.log.info('demo.exchange_verified', { master: this.master.id, slave: this.slave.id, aesKeyId: ids.aes256gcm, otpKeyId: ids.otp, messageBytes: message.length });
    return 'verified';
  }

  private served(keys: number, bits: number): void {
    this.stats.keysServed += keys;
    this.stats.keyBitsServed += bits;
  }

  private unavailable(body: unknown): 'unavailable' {
    this.stats.unavailable++;
    this.stats.lastError = `503: ${JSON.stringify(body)}`;
    this.log.debug('demo.no_key_yet', { master: this.master.id, slave: this.slave.id });
    return 'unavailable';
  }

  private fail(reason: string): 'failed' {
    this.stats.failed++;
    this.stats.lastError = reason;
    this.log.warn('demo.exchange_failed', { master: this.master.id, slave: this.slave.id, reason });
    return 'failed';
  }

  close(): void {
    this.masterClient.close();
    this.slaveClient.close();
  }
}
