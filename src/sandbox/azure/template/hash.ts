/**
 * The deterministic name helpers of ARM templates.
 * - guid(...): a name-based (version 5, SHA-1) UUID over the arguments joined with '-', in the namespace
 *   ARM uses (11fb06fb-712d-4ddd-98c7-e71bbd588830, as in Bicep's reimplementation of the function), so the
 *   same inputs give the same role-assignment names on every run.
 * - uniqueString(...): 13 lower-case base32 characters, deterministic per input. Not bit-identical to
 *   Azure's MurmurHash64-based value; the sandbox only needs it to be stable and of the same shape.
 */
import { createHash } from "node:crypto";

const GUID_NAMESPACE = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

/** RFC 4122 byte order of a UUID string (Bicep's GuidUtility hashes the namespace in this order). */
function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

export function armGuid(args: string[]): string {
  const ns = uuidBytes(GUID_NAMESPACE);
  const hash = createHash("sha1")
    .update(ns)
    .update(Buffer.from(args.join("-"), "utf8"))
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

export function uniqueString(args: string[]): string {
  const hash = createHash("sha256").update(args.join("-"), "utf8").digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(hash[i]!);
  let out = "";
  for (let i = 0; i < 13; i++) {
    out += BASE32[Number((bits >> BigInt(Math.max(59 - i * 5, 0))) & 31n)];
  }
  return out;
}
