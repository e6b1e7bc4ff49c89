/** Reads the files under templates/fleet (shipped in the package's `files`), relative to this module. */
import { readFileSync } from "node:fs";

// src/steps/way-back/ and dist/steps/way-back/ are both three levels below the package root.
const root = new URL("../../../templates/fleet/", import.meta.url);

export function readFleetTemplate(file: string): string {
  return readFileSync(new URL(file, root), "utf8");
}
