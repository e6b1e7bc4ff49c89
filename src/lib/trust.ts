/**
 * One TLS trust store per set of extra CAs, built once per process.
 *
 * Passing `ca: [...tls.rootCertificates, ...extra]` to an agent makes Node parse every root (about 150 PEMs) for
 * each new TLS connection (`tls.connect` calls `createSecureContext(options)` unless a `secureContext` is given),
 * and `https.Agent#getName` concatenates the whole list into each request's pool key. A prepared SecureContext
 * carries the same trust: Node's roots plus ours, since a `ca` option replaces the roots rather than adding to them.
 */
import { createHash } from "node:crypto";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";

const contexts = new Map<string, SecureContext>();

export interface TrustOptions {
  /** Client certificate and key, or a PKCS#12 bundle (the sandbox Kibana's SSL connectors). */
  cert?: string | Buffer;
  key?: string | Buffer;
  pfx?: Buffer;
  passphrase?: string;
}

/** Node's trusted roots plus `extraCas` (PEM), and an optional client identity, as one reusable context. */
export function trustContext(extraCas: readonly string[], identity: TrustOptions = {}): SecureContext {
  const hash = createHash("sha256");
  for (const part of [...extraCas, identity.cert, identity.key, identity.pfx, identity.passphrase])
    hash.update(part === undefined ? "\0-" : `\0${part.length}:`).update(part ?? "");
  const key = hash.digest("hex");
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ...extraCas], ...identity });
    contexts.set(key, context);
  }
  return context;
}
