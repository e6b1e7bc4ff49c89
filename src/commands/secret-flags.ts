/**
 * Secrets are never taken from flags (they would be visible in `ps` and kept in shell history). A user who tries
 * `--api-key`, `--password` or `--client-secret` gets exit 3 and is told the env var or config key to use. The
 * value they typed is registered as a secret first, so no output can echo it.
 */
import { InputError } from "../errors.js";
import { inputs } from "../config/registry.js";
import { registerSecret } from "../redact.js";

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

interface SecretFlag {
  env: string;
  key?: string;
}

/** Flag spellings a user might try for each secret, e.g. `--api-key`, `--elastic-api-key`. */
export function secretFlagNames(): Map<string, SecretFlag> {
  const names = new Map<string, SecretFlag>();
  for (const def of inputs) {
    if (!def.secret) continue;
    const parts = def.key.split(".");
    const last = kebab(parts.at(-1)!);
    const target = { env: def.env, key: def.key };
    for (let i = parts.length - 1; i >= 0; i--) {
      const name = `--${parts.slice(i).map(kebab).join("-")}`;
      if (!names.has(name)) names.set(name, target);
    }
    if (!names.has(`--${last}`)) names.set(`--${last}`, target);
  }
  // Read by the Azure SDK from the environment (azure.credential=environment); no registry entry.
  for (const name of ["--client-secret", "--azure-client-secret"]) {
    if (!names.has(name)) names.set(name, { env: "AZURE_CLIENT_SECRET" });
  }
  return names;
}

const normalize = (flag: string) => flag.toLowerCase().replace(/[-_]/g, "");

/** Throws InputError (exit 3) when argv carries a secret as a flag. */
export function refuseSecretFlags(argv: readonly string[]): void {
  const names = new Map([...secretFlagNames()].map(([name, target]) => [normalize(name), target]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") break;
    const [flag, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!flag.startsWith("--")) continue;
    // `--apikey`, `--api_key` and `--API-KEY` are the same mistake as `--api-key`.
    const secret = names.get(normalize(flag));
    if (!secret) continue;
    registerSecret(inline ?? (argv[i + 1]?.startsWith("-") ? undefined : argv[i + 1]));
    let where = secret.key
      ? `${secret.env}, or ${secret.key} in the config file (which may read it from the environment as \${${secret.env}})`
      : secret.env;
    // The Azure sign-in's own secret is read by the Azure SDK from AZURE_CLIENT_SECRET.
    if (/client-?secret/i.test(flag) && secret.env !== "AZURE_CLIENT_SECRET") {
      where += " (for the Azure sign-in itself: AZURE_CLIENT_SECRET with azure.credential=environment)";
    }
    throw new InputError(
      `${flag} is not accepted: secrets are never taken as flags (they end up in shell history and ps)`,
      {
        code: "SECRET_AS_FLAG",
        suggestion: `Set ${where}; interactively you are asked with a masked prompt.`,
        problems: [{ key: secret.key ?? secret.env, message: "was given as a flag", where }],
      },
    );
  }
}
