/**
 * The resolver's input from EventSub: a `channel.chat.message` event (the `event` object of its
 * notification) decoded with {@link ChatMessageEvent} and turned into a {@link ChatInput} by
 * {@link fromChatMessage}, so chat read over EventSub resolves to the same fragments as the same
 * message read over IRC. Emote positions are counted in code points from the event's fragments
 * (each `emote` fragment starts where the text of the fragments before it ends); a `/me` message,
 * whose text Twitch sends wrapped in `\u0001ACTION ... \u0001`, is unwrapped and marked as an action.
 *
 * ```ts
 * const input = yield* EventSubInput.decodeChatMessage(notification.payload.event)
 * const shown = yield* resolver.resolve(input)
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type { ChatInput, EmotePosition } from "./ChatInput.js"

/**
 * One fragment of the event's message (only the fields the input needs; others are ignored).
 *
 * @since 0.1.0
 * @category models
 */
export const MessageFragment = Schema.Struct({
  type: Schema.String,
  text: Schema.String,
  emote: Schema.optionalWith(Schema.NullOr(Schema.Struct({ id: Schema.String })), { default: () => null })
})

const Badge = Schema.Struct({
  set_id: Schema.String,
  id: Schema.String,
  info: Schema.optionalWith(Schema.String, { default: () => "" })
})

const Reply = Schema.Struct({
  parent_message_id: Schema.String,
  parent_message_body: Schema.String,
  parent_user_login: Schema.String,
  parent_user_name: Schema.String
})

/**
 * A `channel.chat.message` event, as Twitch documents it (fields the input reads).
 *
 * @since 0.1.0
 * @category models
 */
export const ChatMessageEvent = Schema.Struct({
  broadcaster_user_id: Schema.String,
  chatter_user_id: Schema.String,
  chatter_user_login: Schema.String,
  chatter_user_name: Schema.String,
  message_id: Schema.String,
  message: Schema.Struct({ text: Schema.String, fragments: Schema.Array(MessageFragment) }),
  /** `#RRGGBB`, or empty when the user never chose one. */
  color: Schema.optionalWith(Schema.String, { default: () => "" }),
  badges: Schema.optionalWith(Schema.Array(Badge), { default: () => [] }),
  cheer: Schema.optionalWith(Schema.NullOr(Schema.Struct({ bits: Schema.Number })), { default: () => null }),
  reply: Schema.optionalWith(Schema.NullOr(Reply), { default: () => null })
})

/**
 * @since 0.1.0
 * @category models
 */
export type ChatMessageEvent = typeof ChatMessageEvent.Type

const actionStart = "\u0001ACTION "

const codePoints = (text: string): number => {
  let n = 0
  for (const _ of text) n++
  return n
}

/**
 * The input of a `channel.chat.message` event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromChatMessage = (event: ChatMessageEvent): ChatInput => {
  const raw = event.message.text
  const action = raw.startsWith(actionStart) && raw.endsWith("\u0001")
  const shift = action ? codePoints(actionStart) : 0
  const emotes: Array<EmotePosition> = []
  let at = 0
  for (const fragment of event.message.fragments) {
    const length = codePoints(fragment.text)
    if (fragment.type === "emote" && fragment.emote !== null && length > 0) {
      emotes.push({ id: fragment.emote.id, start: at - shift, end: at - shift + length - 1 })
    }
    at += length
  }
  const login = event.chatter_user_login
  return {
    id: event.message_id,
    channelId: event.broadcaster_user_id,
    sender: {
      userId: event.chatter_user_id,
      login,
      displayName: event.chatter_user_name.trim() === "" ? login : event.chatter_user_name.trim(),
      color: /^#[0-9a-fA-F]{6}$/.test(event.color) ? Option.some(event.color) : Option.none()
    },
    text: action ? raw.slice(actionStart.length, -1) : raw,
    emotes: emotes.filter((e) => e.start >= 0),
    bits: event.cheer?.bits ?? 0,
    badges: event.badges.map((b) => ({
      setId: b.set_id,
      version: b.id,
      info: b.info === "" ? Option.none() : Option.some(b.info)
    })),
    action,
    reply: Option.map(Option.fromNullable(event.reply), (r) => ({
      messageId: r.parent_message_id,
      login: r.parent_user_login,
      displayName: r.parent_user_name,
      text: r.parent_message_body
    }))
  }
}

/**
 * Decodes an event object (JSON as received) and turns it into the input; a typed parse error
 * when it is not a `channel.chat.message` event.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeChatMessage = (event: unknown): Effect.Effect<ChatInput, ParseResult.ParseError> =>
  Effect.map(Schema.decodeUnknown(ChatMessageEvent)(event), fromChatMessage)
