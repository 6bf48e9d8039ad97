import { readFileSync } from "node:fs"

/** Reads a recorded-style playlist from test/fixtures/playlist. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/playlist/${name}`, import.meta.url), "utf8")
