#!/usr/bin/env node
/**
 * The manifest a user installs. `prepare` builds dist/ for a git checkout or `npm install <folder>`; the published
 * tarball already holds dist/, and npm 11 flags any install-time script of a dependency that the installing
 * project has not allowed. So `npm pack` / `npm publish` ship a package.json without `prepare`:
 *   prepack:  node scripts/pack-manifest.mjs strip    (keeps the original in .package.json.orig)
 *   postpack: node scripts/pack-manifest.mjs restore
 * A pack that fails between the two leaves the backup; the next `strip` restores it first.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const manifest = `${root}package.json`;
const backup = `${root}.package.json.orig`;
/** Scripts that only make sense in this repository (they run on install or build from sources). */
const REPO_ONLY = ["prepare", "prepack", "postpack"];

const command = process.argv[2];
if (command === "strip") {
  if (existsSync(backup)) renameSync(backup, manifest);
  const text = readFileSync(manifest, "utf8");
  const pkg = JSON.parse(text);
  writeFileSync(backup, text);
  for (const name of REPO_ONLY) delete pkg.scripts?.[name];
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (command === "restore") {
  if (existsSync(backup)) renameSync(backup, manifest);
} else {
  console.error("usage: node scripts/pack-manifest.mjs strip|restore");
  process.exit(2);
}
