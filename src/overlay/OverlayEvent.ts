/**
 * What the overlay server sends its page (as JSON, one Server-Sent Event each): a message to show
 * (sender, colour, badge pictures, fragments), or what to take away (one message, a user's
 * messages, everything). Only plain data: the page builds its elements from it with
 * `textContent` and attributes, never as HTML.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { TwitchMessage } from "../chat/TwitchMessage.js"
import * as ChatInput from "../emotes/ChatInput.js"
import type { Fragment, Resolved } from "../emotes/Fragment.js"
import type * as MessageResolver from "../emotes/MessageResolver.js"

/**
 * One piece of a shown message.
 *
 * @since 0.1.0
 * @category models
 */
export type WireFragment =
  | { readonly kind: "text"; readonly text: string }
  | {
    readonly kind: "emote"
    /** `twitch`, `bttv`, `ffz` or `7tv`. */
    readonly source: string
    readonly name: string
    readonly url: string
    readonly overlays: ReadonlyArray<{ readonly name: string; readonly url: string }>
  }
  | {
    readonly kind: "cheer"
    readonly text: string
    readonly amount: number
    readonly url: string
    readonly color: string
  }
  | { readonly kind: "mention"; readonly text: string }
  | { readonly kind: "link"; readonly text: string; readonly url: string }

/**
 * An event of the page.
 *
 * @since 0.1.0
 * @category models
 */
export type OverlayEvent =
  | {
    readonly type: "message"
    readonly id: string
    readonly userId: string
    readonly login: string
    readonly name: string
    /** `#RRGGBB`, or null for the page's default. */
    readonly color: string | null
    readonly action: boolean
    readonly badges: ReadonlyArray<{ readonly title: string; readonly url: string }>
    readonly fragments: ReadonlyArray<WireFragment>
    /** A USERNOTICE's system message (a sub, a raid, an announcement), shown above the text. */
    readonly notice: string | null
    /** Whom the message answers (display name). */
    readonly replyTo: string | null
  }
  | { readonly type: "delete"; readonly id: string }
  | { readonly type: "clearUser"; readonly userId: string }
  | { readonly type: "clear" }

const wire = (f: Fragment): WireFragment => {
  switch (f._tag) {
    case "Text":
      return { kind: "text", text: f.text }
    case "Emote":
    case "ThirdPartyEmote":
      return {
        kind: "emote",
        source: f._tag === "Emote" ? "twitch" : f.provider,
        name: f.name,
        url: f.url,
        overlays: f.overlays.map((o) => ({ name: o.name, url: o.url }))
      }
    case "Cheermote":
      return { kind: "cheer", text: f.text, amount: f.amount, url: f.url, color: f.color }
    case "Mention":
      return { kind: "mention", text: f.text }
    case "Link":
      return { kind: "link", text: f.text, url: f.url }
  }
}

/**
 * The event of a resolved message (with a USERNOTICE's system message when there is one).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromResolved = (resolved: Resolved, notice: string | null = null): OverlayEvent => {
  const { input } = resolved
  return {
    type: "message",
    id: input.id,
    userId: input.sender.userId,
    login: input.sender.login,
    name: input.sender.displayName,
    color: Option.getOrNull(input.sender.color),
    action: input.action,
    badges: resolved.badges.flatMap((b) =>
      Option.match(b.url, { onNone: () => [], onSome: (url) => [{ title: b.title, url }] })
    ),
    fragments: resolved.fragments.map(wire),
    notice,
    replyTo: Option.getOrNull(Option.map(input.reply, (r) => r.displayName))
  }
}

/**
 * The event of a chat message, if it changes what the page shows: PRIVMSG and USERNOTICE are shown
 * (resolved), CLEARMSG and CLEARCHAT take away; other messages are none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromMessage = (
  resolver: MessageResolver.MessageResolver.Service,
  message: TwitchMessage
): Effect.Effect<Option.Option<OverlayEvent>> => {
  switch (message._tag) {
    case "Privmsg":
      return Effect.map(resolver.resolve(ChatInput.fromPrivmsg(message)), (r) => Option.some(fromResolved(r)))
    case "UserNotice": {
      const input = ChatInput.fromUserNotice(message)
      const notice = message.systemMessage.trim() === "" ? null : message.systemMessage
      if (Option.isSome(input)) {
        return Effect.map(resolver.resolve(input.value), (r) => Option.some(fromResolved(r, notice)))
      }
      if (notice === null) return Effect.succeed(Option.none())
      return Effect.succeed(Option.some({
        type: "message",
        id: message.id,
        userId: message.userId,
        login: message.login,
        name: message.displayName.trim() === "" ? message.login : message.displayName.trim(),
        color: Option.getOrNull(message.color),
        action: false,
        badges: [],
        fragments: [],
        notice,
        replyTo: null
      }))
    }
    case "ClearMsg":
      return Effect.succeed(Option.some({ type: "delete", id: message.targetMsgId }))
    case "ClearChat":
      return Effect.succeed(Option.some(Option.match(message.targetUserId, {
        onNone: (): OverlayEvent => ({ type: "clear" }),
        onSome: (userId): OverlayEvent => ({ type: "clearUser", userId })
      })))
    default:
      return Effect.succeed(Option.none())
  }
}
