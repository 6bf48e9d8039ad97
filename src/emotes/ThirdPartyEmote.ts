/**
 * A third-party emote (BTTV, FFZ or 7TV) as the resolver uses it, whatever service it came from:
 * its name as typed in chat, its picture URLs by scale, whether it moves, and whether it is a
 * zero-width emote (7TV, and BTTV's few overlay emotes) drawn over the emote before it.
 *
 * @since 0.1.0
 */
import type { Scale } from "./Picture.js"

/**
 * The services with emotes of their own.
 *
 * @since 0.1.0
 * @category models
 */
export type Provider = "bttv" | "ffz" | "7tv"

/**
 * Every provider, in the order a name is looked up when two share it (see `ThirdPartyEmotes`).
 *
 * @since 0.1.0
 * @category constants
 */
export const providers: ReadonlyArray<Provider> = ["7tv", "bttv", "ffz"]

/**
 * One third-party emote.
 *
 * @since 0.1.0
 * @category models
 */
export interface ThirdPartyEmote {
  readonly provider: Provider
  readonly id: string
  /** What a chatter types, case-sensitive (`KEKW`, `:tf:`). */
  readonly name: string
  /** Picture URLs by scale (each provider has its own set; see `Picture.pick`). */
  readonly urls: Readonly<Partial<Record<Scale, string>>>
  readonly animated: boolean
  /** Drawn over the previous emote instead of after it. */
  readonly zeroWidth: boolean
  /** A global emote, or one of the channel's own (channel ones win over global ones). */
  readonly scope: "global" | "channel"
}

/**
 * A protocol-relative URL (`//cdn...`, as 7TV and older FFZ answers give) made `https:`.
 *
 * @since 0.1.0
 * @category utils
 */
export const absolute = (url: string): string => (url.startsWith("//") ? `https:${url}` : url)
