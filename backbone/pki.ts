/**
 * Test PKI: one CA, a server+client certificate per KME (peers authenticate each other with it), a client
 * certificate per SAE. ECDSA P-256 keeps TLS handshakes cheap. The SAE's identity is its certificate's CN; KME
 * certificates carry CN "kme.<node>" so an SAE can never pass for a peer KME, nor a KME for an SAE.
 * For tests and demos only: a real deployment brings its operator's PKI.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Pem {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends Pem {
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

export const kmeCommonName = (node: string) => `kme.${node}`;
export const keystoreCommonName = (node: string) => `keystore.${node}`;

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** `nowMs` sets notBefore (an hour earlier, for clock skew); certificates last `days`. */
export async function createTestCa(opts: { nowMs: number; commonName?: string; days?: number }): Promise<TestCa> {
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${opts.commonName ?? 'satqkd test CA'}, O=satqkd`,
    notBefore: new Date(opts.nowMs - 3_600_000),
    notAfter: new Date(opts.nowMs + (opts.days ?? 365) * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return { keys, cert, certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey) };
}

let serial = 1;

/** A leaf certificate signed by the CA: `server` adds serverAuth and loopback names, every leaf has clientAuth. */
export async function issueCertificate(ca: TestCa, opts: { commonName: string; server: boolean; nowMs: number; days?: number; hosts?: string[] }): Promise<Pem> {
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const usages = opts.server ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth];
  const hosts = opts.hosts ?? ['127.0.0.1', 'localhost'];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(usages),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (opts.server) extensions.push(new x509.SubjectAlternativeNameExtension(hosts.map((h) => (/^[\d.]+$/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }))));
  serial++;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (Date.now() * 1000 + serial).toString(16),
    subject: `CN=${opts.commonName}, O=satqkd`,
    issuer: ca.cert.subject,
    notBefore: new Date(opts.nowMs - 3_600_000),
    notAfter: new Date(opts.nowMs + (opts.days ?? 365) * 86_400_000),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: alg,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey) };
}

export interface PkiFiles {
  caPath: string;
  kmes: Map<string, { certPath: string; keyPath: string; pem: Pem }>;
  saes: Map<string, { certPath: string; keyPath: string; pem: Pem }>;
  /** Client certificates of ground-station key stores ("keystore.<node>"), allowed to hand satellite keys to their KME. */
  keystores: Map<string, { certPath: string; keyPath: string; pem: Pem }>;
  caPem: string;
}

/** Writes a CA and the certificates of the given KMEs and SAEs under `dir` (private keys mode 0600). */
export async function writeTestPki(dir: string, opts: { kmes: string[]; saes: string[]; keystores?: string[]; nowMs: number }): Promise<PkiFiles> {
  mkdirSync(dir, { recursive: true });
  const ca = await createTestCa({ nowMs: opts.nowMs });
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, ca.certPem);
  const out: PkiFiles = { caPath, caPem: ca.certPem, kmes: new Map(), saes: new Map(), keystores: new Map() };
  const write = (name: string, pem: Pem) => {
    const certPath = join(dir, `${name}.crt.pem`);
    const keyPath = join(dir, `${name}.key.pem`);
    writeFileSync(certPath, pem.certPem);
    writeFileSync(keyPath, pem.keyPem, { mode: 0o600 });
    return { certPath, keyPath, pem };
  };
  for (const n of opts.kmes) out.kmes.set(n, write(kmeCommonName(n), await issueCertificate(ca, { commonName: kmeCommonName(n), server: true, nowMs: opts.nowMs })));
  for (const s of opts.saes) out.saes.set(s, write(`sae.${s}`, await issueCertificate(ca, { commonName: s, server: false, nowMs: opts.nowMs })));
  for (const n of opts.keystores ?? []) out.keystores.set(n, write(keystoreCommonName(n), await issueCertificate(ca, { commonName: keystoreCommonName(n), server: false, nowMs: opts.nowMs })));
  return out;
}
