import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { parseTwitchLine } from "../../src/chat/TwitchMessage.js"
import * as ChatInput from "../../src/emotes/ChatInput.js"
import * as EventSubInput from "../../src/emotes/EventSubInput.js"
import * as ChatEvents from "../../src/testing/mock/eventsub/ChatEvents.js"
import * as Message from "../../src/testing/mock/irc/Message.js"

const lookups: ChatEvents.Lookups = {
  userByLogin: () => undefined,
  userById: () => undefined,
  emote: (id) => ({ id, name: "x", ownerId: "0", setId: "0", type: "globals", formats: ["static"] }),
  time: (ms) => new Date(ms).toISOString(),
  sentWithHelix: () => false
}

/** The same PRIVMSG line as the library's IRC client reads it and as the mock's EventSub sends it. */
const both = (tags: string, text: string) => {
  const line = `@${tags};room-id=1;user-id=2;tmi-sent-ts=1 :bob!bob@bob.tmi.twitch.tv PRIVMSG #alice :${text}`
  const irc = Either.getOrThrow(parseTwitchLine(line))
  if (irc._tag !== "Privmsg") throw new Error(irc._tag)
  const parsed = Message.parse(line)
  if (parsed === undefined) throw new Error("unparsed")
  const [message] = ChatEvents.emissions(parsed, lookups)
  return { irc: ChatInput.fromPrivmsg(irc), event: message.event }
}

describe("EventSubInput", () => {
  it.effect("reads the same input from EventSub as from IRC: emotes by code point between emoji, badges, reply", () =>
    Effect.gen(function*() {
      // 😀 is one code point, 👋🏽 two (hand + skin tone): Kappa at 2-6 and 11-15.
      const { event, irc } = both(
        "badge-info=subscriber/14;badges=moderator/1,subscriber/12;color=#1E90FF;display-name=Bob;emotes=25:2-6,11-15/1902:17-21;" +
          "id=m1;reply-parent-msg-id=p1;reply-parent-msg-body=hello\\sthere;reply-parent-user-login=carl;" +
          "reply-parent-display-name=Carl;reply-parent-user-id=3",
        "😀 Kappa 👋🏽 Kappa x Keepo!"
      )
      const input = yield* EventSubInput.decodeChatMessage(event)
      expect(input).toEqual(irc)
      expect(input.emotes).toEqual([
        { id: "25", start: 2, end: 6 },
        { id: "25", start: 11, end: 15 },
        { id: "1902", start: 17, end: 21 }
      ])
    }))

  it.effect("reads bits and no colour; an action's wrapped text is unwrapped with its emotes in place", () =>
    Effect.gen(function*() {
      const { event, irc } = both(
        "badges=;color=;display-name=;emotes=;bits=150;id=m2",
        "Cheer100 wow cheer50"
      )
      const input = yield* EventSubInput.decodeChatMessage(event)
      expect(input).toEqual(irc)
      expect([input.bits, input.sender.displayName, input.sender.color._tag]).toEqual([150, "bob", "None"])
      const action = EventSubInput.fromChatMessage({
        broadcaster_user_id: "1",
        chatter_user_id: "2",
        chatter_user_login: "bob",
        chatter_user_name: "Bob",
        message_id: "m3",
        message: {
          text: "\u0001ACTION waves Kappa\u0001",
          fragments: [
            { type: "text", text: "\u0001ACTION waves ", emote: null },
            { type: "emote", text: "Kappa", emote: { id: "25" } },
            { type: "text", text: "\u0001", emote: null }
          ]
        },
        color: "#FF0000",
        badges: [],
        cheer: null,
        reply: null
      })
      expect([action.action, action.text, action.emotes]).toEqual([true, "waves Kappa", [{
        id: "25",
        start: 6,
        end: 10
      }]])
    }))

  it.effect("an event of another shape is a parse error", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(EventSubInput.decodeChatMessage({ message_id: "x", message: "hi" }))
      expect(Either.isLeft(result) && result.left._tag).toBe("ParseError")
    }))
})
