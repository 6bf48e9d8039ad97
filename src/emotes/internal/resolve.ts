/**
 * The pure resolution of a message: Twitch emotes cut at their code-point positions, the text
 * between them split on white space, each word read as a cheer (only in a message with bits), a
 * third-party emote, a mention or a link, in that order, else text; a zero-width emote after an
 * emote (white space between) becomes an overlay of it.
 *
 * @since 0.1.0
 * @internal
 */
import * as Option from "effect/Option"
import type { ChatInput } from "../ChatInput.js"
import { type Badge, Fragment, type Overlay } from "../Fragment.js"
import { pick, type Scale, type Theme } from "../Picture.js"
import type { ThirdPartyEmote } from "../ThirdPartyEmote.js"
import type { BadgeTable, Cheermote, TwitchEmote } from "../TwitchAssets.js"

/**
 * What the resolution of one channel's messages needs.
 *
 * @since 0.1.0
 * @internal
 */
export interface Catalog {
  /** Twitch's emote CDN up to and including `/emoticons/v2`. */
  readonly emoteCdnUrl: string
  /** Known Twitch emotes by id (whether they move); others are asked for in the `default` format. */
  readonly twitchEmotes: ReadonlyMap<string, TwitchEmote>
  readonly thirdParty: ReadonlyMap<string, ThirdPartyEmote>
  readonly cheermotes: ReadonlyArray<Cheermote>
  readonly channelBadges: BadgeTable
  readonly globalBadges: BadgeTable
}

/**
 * The picture choices.
 *
 * @since 0.1.0
 * @internal
 */
export interface Choices {
  readonly scale: Scale
  readonly theme: Theme
  /** Animated pictures where there are (default); static ones for Twitch emotes and cheers otherwise. */
  readonly animated: boolean
}

type Mutable<A> = { -readonly [K in keyof A]: A[K] }
type EmoteLike = Mutable<Extract<Fragment, { _tag: "Emote" | "ThirdPartyEmote" }>> & {
  overlays: Array<Overlay>
}
type Piece = Fragment | EmoteLike

const twitchScale: Record<Scale, string> = { 1: "1.0", 2: "2.0", 3: "3.0", 4: "3.0" }

const twitchEmote = (id: string, name: string, catalog: Catalog, choices: Choices): EmoteLike => {
  const known = catalog.twitchEmotes.get(id)
  const animated = choices.animated && known?.animated === true
  const format = known === undefined
    ? (choices.animated ? "default" : "static")
    : animated
    ? "animated"
    : "static"
  return {
    _tag: "Emote",
    id,
    name,
    url: `${catalog.emoteCdnUrl}/${encodeURIComponent(id)}/${format}/${choices.theme}/${
      twitchScale[choices.scale]
    }`,
    animated,
    overlays: []
  }
}

const cheer = (word: string, catalog: Catalog, choices: Choices): Fragment | undefined => {
  const lower = word.toLowerCase()
  let best: Cheermote | undefined
  for (const c of catalog.cheermotes) {
    const prefix = c.prefix.toLowerCase()
    if (lower.startsWith(prefix) && /^\d+$/.test(lower.slice(prefix.length))) {
      if (best === undefined || c.prefix.length > best.prefix.length) best = c
    }
  }
  if (best === undefined) return undefined
  const amount = Number(word.slice(best.prefix.length))
  const tier = [...best.tiers].reverse().find((t) => t.minBits <= amount)
  if (!Number.isSafeInteger(amount) || amount <= 0 || tier === undefined) return undefined
  const images = tier.images[choices.theme]
  const url = (choices.animated ? pick(images.animated, choices.scale) : undefined) ??
    pick(images.static, choices.scale) ?? pick(images.animated, choices.scale)
  if (url === undefined) return undefined
  return Fragment.Cheermote({
    text: word,
    prefix: best.prefix,
    amount,
    tier: tier.minBits,
    url,
    color: tier.color
  })
}

const mention = /^@([A-Za-z0-9_]{1,25})(.*)$/s
const link = /^(?:https?:\/\/)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24}(?::\d{1,5})?(?:[/?#]\S*)?$/i
const trailing = /[.,!?:;)\]'"]+$/

/** A word as a link (and what trails it), if it is one. */
const asLink = (word: string): ReadonlyArray<Fragment> | undefined => {
  const end = trailing.exec(word)
  const body = end === null ? word : word.slice(0, end.index)
  if (!link.test(body)) return undefined
  try {
    const url = new URL(/^https?:\/\//i.test(body) ? body : `https://${body}`)
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined
    const out: Array<Fragment> = [Fragment.Link({ text: body, url: url.href })]
    if (end !== null) out.push(Fragment.Text({ text: end[0] }))
    return out
  } catch {
    return undefined
  }
}

/** The emote a zero-width emote can go over: the last piece, past white space only. */
const base = (pieces: Array<Piece>): { readonly emote: EmoteLike; readonly at: number } | undefined => {
  let i = pieces.length - 1
  while (i >= 0) {
    const p = pieces[i]
    if (p._tag === "Text" && p.text.trim() === "") {
      i--
      continue
    }
    return p._tag === "Emote" || p._tag === "ThirdPartyEmote" ? { emote: p as EmoteLike, at: i } : undefined
  }
  return undefined
}

const thirdParty = (e: ThirdPartyEmote, choices: Choices): EmoteLike => ({
  _tag: "ThirdPartyEmote",
  provider: e.provider,
  id: e.id,
  name: e.name,
  url: pick(e.urls, choices.scale) ?? "",
  animated: e.animated,
  overlays: []
})

const word = (pieces: Array<Piece>, token: string, bits: number, catalog: Catalog, choices: Choices) => {
  const cheered = bits > 0 ? cheer(token, catalog, choices) : undefined
  if (cheered !== undefined) return pieces.push(cheered)
  const emote = catalog.thirdParty.get(token)
  if (emote !== undefined && pick(emote.urls, choices.scale) !== undefined) {
    const under = emote.zeroWidth ? base(pieces) : undefined
    if (under === undefined) return pieces.push(thirdParty(emote, choices))
    const { url } = thirdParty(emote, choices)
    under.emote.overlays.push({
      provider: emote.provider,
      id: emote.id,
      name: emote.name,
      url,
      animated: emote.animated
    })
    // The white space between the emote and its overlay goes.
    pieces.length = under.at + 1
    return
  }
  const m = mention.exec(token)
  if (m !== null) {
    pieces.push(Fragment.Mention({ text: `@${m[1]}`, login: m[1].toLowerCase() }))
    return m[2] === "" ? undefined : pieces.push(Fragment.Text({ text: m[2] }))
  }
  const l = asLink(token)
  if (l !== undefined) return pieces.push(...l)
  pieces.push(Fragment.Text({ text: token }))
}

const words = (pieces: Array<Piece>, segment: string, bits: number, catalog: Catalog, choices: Choices) => {
  for (const token of segment.split(/(\s+)/)) {
    if (token === "") continue
    if (/^\s+$/.test(token)) pieces.push(Fragment.Text({ text: token }))
    else word(pieces, token, bits, catalog, choices)
  }
}

/** Adjacent text pieces joined; emote pieces frozen into fragments. */
const finish = (pieces: ReadonlyArray<Piece>): ReadonlyArray<Fragment> => {
  const out: Array<Fragment> = []
  for (const p of pieces) {
    const last = out[out.length - 1]
    if (p._tag === "Text" && last !== undefined && last._tag === "Text") {
      out[out.length - 1] = Fragment.Text({ text: last.text + p.text })
    } else if (p._tag === "Emote") {
      out.push(Fragment.Emote({ ...p, overlays: [...p.overlays] }))
    } else if (p._tag === "ThirdPartyEmote") {
      out.push(Fragment.ThirdPartyEmote({ ...p, overlays: [...p.overlays] }))
    } else {
      out.push(p)
    }
  }
  return out
}

/**
 * The fragments of a message.
 *
 * @since 0.1.0
 * @internal
 */
export const fragments = (input: ChatInput, catalog: Catalog, choices: Choices): ReadonlyArray<Fragment> => {
  const points = Array.from(input.text)
  const spans = input.emotes
    .filter((e) =>
      Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start <= e.end &&
      e.end < points.length
    )
    .slice()
    .sort((a, b) => a.start - b.start)
  const pieces: Array<Piece> = []
  let at = 0
  for (const span of spans) {
    if (span.start < at) continue // overlapping positions: the first one wins
    words(pieces, points.slice(at, span.start).join(""), input.bits, catalog, choices)
    pieces.push(twitchEmote(span.id, points.slice(span.start, span.end + 1).join(""), catalog, choices))
    at = span.end + 1
  }
  words(pieces, points.slice(at).join(""), input.bits, catalog, choices)
  return finish(pieces)
}

/**
 * The sender's badges as pictures: the channel's version first, else the global one.
 *
 * @since 0.1.0
 * @internal
 */
export const badges = (input: ChatInput, catalog: Catalog, scale: Scale): ReadonlyArray<Badge> =>
  input.badges.map((ref) => {
    const found = catalog.channelBadges.get(ref.setId)?.get(ref.version) ??
      catalog.globalBadges.get(ref.setId)?.get(ref.version)
    return {
      setId: ref.setId,
      version: ref.version,
      title: found?.title ?? ref.setId,
      url: Option.fromNullable(found === undefined ? undefined : pick(found.urls, scale)),
      info: ref.info
    }
  })
