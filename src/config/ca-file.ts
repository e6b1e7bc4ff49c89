/**
 * A CA file (`--elastic-ca-cert`, `--azure-ca-cert`) is checked when the config is read, before any remote is
 * called: Node's TLS takes PEM text only (node:tls `ca`: "PEM format"), and a file that is not PEM either fails
 * deep inside the first HTTPS call (exit 1) or, over plain http, is never looked at while setup changes things.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export const CA_FILE_KEYS = new Set(["elastic.caCertFile", "azure.caCertFile"]);

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const TO_PEM =
  "export the CA certificate as PEM (Base-64 X.509, -----BEGIN CERTIFICATE-----), e.g. openssl x509 -inform der -in ca.cer -out ca.pem";

/** Undefined when the file holds at least one PEM certificate and nothing that fails to parse; else what is wrong. */
export function caFileProblem(path: string, cwd: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === "ENOENT" ? "names a file that does not exist" : `cannot be read (${code ?? (e as Error).message})`;
  }
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length === 0) return `is not a PEM certificate file: ${TO_PEM}`;
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `holds a certificate block (number ${i + 1}) that does not parse: ${TO_PEM}`;
    }
  }
  return undefined;
}
