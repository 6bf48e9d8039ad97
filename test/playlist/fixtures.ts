import { readFileSync } from "node:fs"
import type * as MasterPlaylist from "../../src/playlist/MasterPlaylist.js"

/** Reads a recorded-style playlist from test/fixtures/playlist. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/playlist/${name}`, import.meta.url), "utf8")

/**
 * Variants without the wire id only usher v2 carries (`STABLE-VARIANT-ID`), to compare the two
 * shapes of one ladder.
 */
export const withoutWireIds = (variants: ReadonlyArray<MasterPlaylist.Variant>) =>
  variants.map(({ stableVariantId: _, ...rest }) => rest)

/** The options of the enhanced-broadcasting ladder (the fixture and the mock's), in order. */
export const enhancedOptions: ReadonlyArray<string> = [
  "1080p60",
  "1080p60-portrait",
  "720p60",
  "480p-portrait",
  "480p",
  "360p-portrait",
  "360p",
  "audio_only"
]

/** The options of the multi-codec ladder (the fixture and the mock's) with every codec served. */
export const multiCodecOptions: ReadonlyArray<string> = [
  "1440p60",
  "1080p60-av1",
  "1080p60-h265",
  "1080p60",
  "720p60-av1",
  "720p60",
  "480p",
  "360p",
  "160p",
  "audio_only"
]
