/**
 * A CA and a 127.0.0.1 leaf certificate generated at sandbox start, so every emulator speaks HTTPS the
 * way Azure does and clients trust it only through the CA they are handed.
 *
 * EC P-256 keys from node:crypto and a small DER writer for the two certificates (RFC 5280). This replaced
 * @peculiar/x509: importing that library alone took ~290 ms on a cold process (bench/sandbox-azure.mjs),
 * which broke the 300 ms start-up budget (bench/sandbox-azure.mjs); key generation and signing here take a few ms.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";

export interface SandboxCerts {
  caCert: string;
  cert: string;
  key: string;
}

// ---- DER ----
const len = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const explicit = (n: number, ...c: Buffer[]) => tlv(0xa0 | n, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const integer = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
};
const oid = (dotted: string): Buffer => {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
};
const utcTime = (d: Date) => tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, "")}Z`, "ascii"));
const cn = (name: string) => seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(name, "utf8")))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

function certificate(p: {
  serial: Buffer;
  issuer: string;
  subject: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
  notBefore: Date;
  notAfter: Date;
}): Buffer {
  const spki = p.publicKey.export({ type: "spki", format: "der" });
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(p.serial),
    ECDSA_SHA256,
    cn(p.issuer),
    seq(utcTime(p.notBefore), utcTime(p.notAfter)),
    cn(p.subject),
    spki,
    explicit(3, seq(...p.extensions)),
  );
  const signature = sign("sha256", tbs, p.signingKey);
  return seq(tbs, ECDSA_SHA256, bits(signature));
}

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trim()}\n-----END ${label}-----\n`;

const keyId = (k: KeyObject) =>
  createHash("sha1")
    .update(k.export({ type: "spki", format: "der" }))
    .digest();

export async function generateCerts(): Promise<SandboxCerts> {
  // Real dates (the certificates are checked by TLS clients against the wall clock): valid from a day before start,
  // to allow for skewed clocks, for two years, so a `demo --keep` left running never outlives its CA.
  const notBefore = new Date(Date.now() - 24 * 3600_000);
  const notAfter = new Date(Date.now() + 2 * 366 * 24 * 3600_000);
  const ca = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const leaf = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const caName = "sentinel-elastic Azure sandbox CA";
  const caId = keyId(ca.publicKey);
  const caDer = certificate({
    serial: randomBytes(8),
    issuer: caName,
    subject: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension("2.5.29.19", true, seq(bool(true), integer(Buffer.from([0])))), // basicConstraints cA, pathLen 0
      extension("2.5.29.15", true, bits(Buffer.from([0x06]), 1)), // keyUsage keyCertSign | cRLSign
      extension("2.5.29.14", false, octets(caId)), // subjectKeyIdentifier
    ],
  });
  const leafDer = certificate({
    serial: randomBytes(8),
    issuer: caName,
    subject: "127.0.0.1",
    publicKey: leaf.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      extension("2.5.29.19", true, seq()), // basicConstraints: not a CA
      extension("2.5.29.15", true, bits(Buffer.from([0x80]), 7)), // keyUsage digitalSignature
      extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage serverAuth
      // subjectAltName: iPAddress 127.0.0.1, dNSName localhost
      extension(
        "2.5.29.17",
        false,
        seq(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from("localhost", "ascii"))),
      ),
      extension("2.5.29.35", false, seq(tlv(0x80, caId))), // authorityKeyIdentifier
    ],
  });
  return {
    caCert: pem("CERTIFICATE", caDer),
    cert: pem("CERTIFICATE", leafDer),
    key: leaf.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
