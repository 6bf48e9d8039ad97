/**
 * What a chat message looks like once resolved: its text cut into fragments (plain text, Twitch
 * emotes, cheermotes, mentions, links, third-party emotes; zero-width emotes as overlays of the
 * emote before them) and the sender's badges as pictures with titles.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Option from "effect/Option"
import type { ChatInput } from "./ChatInput.js"
import type { Provider } from "./ThirdPartyEmote.js"

/**
 * A zero-width emote drawn over an emote.
 *
 * @since 0.1.0
 * @category models
 */
export interface Overlay {
  readonly provider: Provider
  readonly id: string
  readonly name: string
  readonly url: string
  readonly animated: boolean
}

/**
 * One piece of a message.
 *
 * @since 0.1.0
 * @category models
 */
export type Fragment = Data.TaggedEnum<{
  Text: { readonly text: string }
  /** A Twitch emote (from the message's emote positions). */
  Emote: {
    readonly id: string
    readonly name: string
    readonly url: string
    readonly animated: boolean
    readonly overlays: ReadonlyArray<Overlay>
  }
  /** A BTTV, FFZ or 7TV emote, found by name. */
  ThirdPartyEmote: {
    readonly provider: Provider
    readonly id: string
    readonly name: string
    readonly url: string
    readonly animated: boolean
    readonly overlays: ReadonlyArray<Overlay>
  }
  /** A cheer: `Cheer100` is prefix `Cheer`, amount 100, drawn with its tier's picture and colour. */
  Cheermote: {
    readonly text: string
    readonly prefix: string
    readonly amount: number
    /** The tier's lowest amount. */
    readonly tier: number
    readonly url: string
    readonly color: string
  }
  /** `@login`. */
  Mention: { readonly text: string; readonly login: string }
  /** A web address (`url` is `http:` or `https:`, a scheme added when the text had none). */
  Link: { readonly text: string; readonly url: string }
}>

/**
 * Constructors and matchers of {@link Fragment}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Fragment = Data.taggedEnum<Fragment>()

/**
 * A badge the sender wears, as a picture with its title; no picture when neither the channel's
 * nor the global badges know it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Badge {
  readonly setId: string
  readonly version: string
  /** Twitch's title (`Moderator`, `6-Month Subscriber`), or the set id when unknown. */
  readonly title: string
  readonly url: Option.Option<string>
  /** The badge's extra info (subscriber months). */
  readonly info: Option.Option<string>
}

/**
 * A resolved message.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly input: ChatInput
  readonly fragments: ReadonlyArray<Fragment>
  readonly badges: ReadonlyArray<Badge>
  /** The sources that could not be read for it (their emotes stay text): `bttv`, `helix badges`... */
  readonly unavailable: ReadonlyArray<string>
}

/**
 * The text a fragment stands for (an emote's name, a cheer as typed).
 *
 * @since 0.1.0
 * @category utils
 */
export const text = (fragment: Fragment): string =>
  fragment._tag === "Emote" || fragment._tag === "ThirdPartyEmote" ?
    [fragment.name, ...fragment.overlays.map((o) => o.name)].join(" ") :
    fragment.text
