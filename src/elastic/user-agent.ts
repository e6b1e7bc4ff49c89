/** `sentinel-elastic/<version> (node <version>)`, read once from package.json (src/ and dist/ sit at the same depth). */
import { createRequire } from "node:module";

let cached: string | undefined;

export function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require("../../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
}

export function userAgent(): string {
  cached ??= `sentinel-elastic/${packageVersion()} (node ${process.versions.node})`;
  return cached;
}
