/**
 * A CA and a 127.0.0.1 leaf certificate generated at sandbox start, so every emulator speaks HTTPS the
 * way Azure does and clients trust it only through the CA they are handed. EC P-256 via WebCrypto keeps
 * generation to a few milliseconds (RSA would take far longer than the 300 ms start-up budget).
 */
import "./reflect-shim.js";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export interface SandboxCerts {
  caCert: string;
  cert: string;
  key: string;
}

const crypto = webcrypto;
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${b64.trim()}\n-----END ${label}-----\n`;
}

export async function generateCerts(): Promise<SandboxCerts> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 7 * 24 * 3600_000);
  const caKeys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=sentinel-elastic Azure sandbox CA",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const leafKeys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: "CN=127.0.0.1",
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ]),
    ],
  });
  const key = pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", leafKeys.privateKey));
  return { caCert: ca.toString("pem"), cert: leaf.toString("pem"), key };
}
