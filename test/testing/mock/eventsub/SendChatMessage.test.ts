/**
 * Send Chat Message on the mock as EventSub sees it: a message sent through Helix reaches the
 * `channel.chat.message` subscribers of its channel (once, with the sender's badges), the Chat
 * Bot path (an app token, with `user:bot` from the sender and `channel:bot` from the broadcaster
 * or moderator status) adds the Chat Bot badge, and Twitch's refusals come where Twitch refuses.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as World from "../../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { type Answer, helixHeaders, request } from "../http/client.js"
import { create, session, wsBody, type WsClient } from "./client.js"

const creds = MockTwitch.credentials
const me = World.defaultUserId
const bot = World.secondUserId

const withIrc = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 } })))

const send = (mock: MockTwitch.MockTwitch.Service, token: string, body: Record<string, unknown>) =>
  request(`${mock.http.helixUrl}/chat/messages`, {
    method: "POST",
    headers: { ...helixHeaders(token), "content-type": "application/json" },
    body: JSON.stringify(body)
  })

const item = (answer: Answer) => answer.json<{ data: ReadonlyArray<Record<string, unknown>> }>().data[0]

const chatMessage = (client: WsClient) =>
  client.next("notification").pipe(
    Effect.map((f) => f.payload.event ?? {}),
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("no channel.chat.message") }),
    Effect.orDie
  )

describe("Send Chat Message as EventSub tells it", () => {
  it.scopedLive("a message sent through Helix arrives once as channel.chat.message, with the sender's badges", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const room = { broadcaster_user_id: me, user_id: me }
        const created = yield* create(
          mock,
          creds.userToken,
          wsBody("channel.chat.message", "1", room, sessionId)
        )
        assert.strictEqual(created.status, 202, created.text)
        const answer = yield* send(mock, creds.userToken, {
          broadcaster_id: me,
          sender_id: me,
          message: "hello from helix"
        })
        assert.strictEqual(answer.status, 200, answer.text)
        const sent = item(answer)
        const event = yield* chatMessage(client)
        assert.strictEqual(event.message_id, sent.message_id)
        assert.strictEqual(event.chatter_user_id, me)
        assert.deepStrictEqual((event.message as { text: string }).text, "hello from helix")
        assert.deepStrictEqual(event.badges, [{ set_id: "broadcaster", id: "1", info: "" }])
        yield* Effect.sleep("300 millis")
        assert.deepStrictEqual(yield* client.pending, [])
      })
    ))

  it.scopedLive("the Chat Bot path: an app token needs user:bot from the sender and channel:bot (or moderation)", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const room = { broadcaster_user_id: me, user_id: me }
        yield* create(mock, creds.userToken, wsBody("channel.chat.message", "1", room, sessionId))
        const body = { broadcaster_id: me, sender_id: bot, message: "beep" }
        // The bot never granted user:bot: Twitch refuses.
        const refused = yield* send(mock, creds.appToken, body)
        assert.strictEqual(refused.status, 403, refused.text)
        yield* Effect.orDie(mock.world.issueToken({
          clientId: creds.clientId,
          userId: bot,
          scopes: ["user:bot", "user:write:chat", "user:read:chat"]
        }))
        // The default user, the broadcaster, granted channel:bot with its ready token.
        const answer = yield* send(mock, creds.appToken, { ...body, for_source_only: true })
        assert.strictEqual(answer.status, 200, answer.text)
        assert.include(item(answer), { is_sent: true })
        const event = yield* chatMessage(client)
        assert.strictEqual(event.chatter_user_id, bot)
        assert.deepInclude(event.badges as ReadonlyArray<unknown>, { set_id: "bot-badge", id: "1", info: "" })
        const kept = (yield* mock.world.snapshot).sentMessages.find((m) => m.id === event.message_id)
        assert.deepInclude(kept, { chatBot: true, forSourceOnly: true })
      })
    ))

  it.scopedLive("for_source_only with a user token is a 400; another broadcaster's chat needs channel:bot", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const userToken = yield* send(mock, creds.userToken, {
          broadcaster_id: me,
          sender_id: me,
          message: "x",
          for_source_only: false
        })
        assert.strictEqual(userToken.status, 400, userToken.text)
        yield* Effect.orDie(mock.world.issueToken({
          clientId: creds.clientId,
          userId: bot,
          scopes: ["user:bot", "user:write:chat"]
        }))
        const s = yield* mock.world.snapshot
        const grantedBot = (userId: string) =>
          s.tokens.some((t) =>
            t.clientId === creds.clientId && t.userId === userId && t.scopes.includes("channel:bot")
          )
        const other = s.channels.find((c) =>
          c.broadcasterId !== me && c.broadcasterId !== bot && !c.moderators.includes(bot) &&
          !grantedBot(c.broadcasterId)
        )
        if (other === undefined) return assert.fail("no other channel")
        const answer = yield* send(mock, creds.appToken, {
          broadcaster_id: other.broadcasterId,
          sender_id: bot,
          message: "hi"
        })
        assert.strictEqual(answer.status, 403, answer.text)
        assert.isTrue(Option.isNone(Option.fromNullable(s.sentMessages.find((m) => m.text === "hi"))))
      })
    ))
})
