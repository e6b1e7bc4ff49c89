#!/usr/bin/env node
// Regenerate the README's input table from the registry (dist/, so run `npm run build` first; `npm run docs` does).
import { readFileSync, writeFileSync } from "node:fs";

const { updateReadmeInputs } = await import("../dist/config/docs.js");
const path = new URL("../README.md", import.meta.url);
const before = readFileSync(path, "utf8");
const after = updateReadmeInputs(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? "README.md input table is up to date." : "README.md input table regenerated.");
