/**
 * Notifications from the world as it happens: chat relayed by the IRC server (control posts,
 * generated chatter, moderation) through the chat tap, and world events (streams, follows, roles,
 * channel updates, room modes).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as World from "../../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { create, type Frame, session, userToken, wsBody, type WsClient } from "./client.js"

const me = World.defaultUserId

const withIrc = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 } })))

const subscribeAll = (
  mock: MockTwitch.MockTwitch.Service,
  sessionId: string,
  specs: ReadonlyArray<readonly [string, string, Record<string, string>]>
) =>
  Effect.forEach(
    specs,
    ([type, version, condition]) =>
      Effect.map(create(mock, userToken, wsBody(type, version, condition, sessionId)), (a) => {
        assert.strictEqual(a.status, 202, `${type}: ${a.text}`)
      })
  )

const notification = (client: WsClient, type: string): Effect.Effect<Frame> =>
  Effect.flatMap(
    client.next("notification"),
    (f) => f.metadata.subscription_type === type ? Effect.succeed(f) : notification(client, type)
  ).pipe(
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`no ${type}`) }),
    Effect.orDie
  )

describe("EventSub notifications from the world", () => {
  it.scopedLive("chat through IRC: messages, mentions, replies, bans, clears and deletes", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const irc = Option.getOrThrow(mock.irc)
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const room = { broadcaster_user_id: me, user_id: me }
        yield* subscribeAll(mock, sessionId, [
          ["channel.chat.message", "1", room],
          ["channel.chat.clear_user_messages", "1", room],
          ["channel.chat.clear", "1", room],
          ["channel.chat.message_delete", "1", room],
          ["channel.ban", "1", { broadcaster_user_id: me }]
        ])
        const posted = yield* irc.control.postMessage({
          channel: World.defaultUserLogin,
          login: World.secondUserLogin,
          text: `hi @${World.defaultUserLogin} there`
        })
        const message = (yield* notification(client, "channel.chat.message")).payload.event ?? {}
        assert.strictEqual(message.message_id, posted.id)
        assert.strictEqual(message.chatter_user_id, World.secondUserId)
        assert.strictEqual(message.chatter_user_login, World.secondUserLogin)
        assert.strictEqual(message.broadcaster_user_login, World.defaultUserLogin)
        assert.deepStrictEqual(message.message, {
          text: `hi @${World.defaultUserLogin} there`,
          fragments: [
            { type: "text", text: "hi ", cheermote: null, emote: null, mention: null },
            {
              type: "mention",
              text: `@${World.defaultUserLogin}`,
              cheermote: null,
              emote: null,
              mention: { user_id: me, user_login: World.defaultUserLogin, user_name: "Twitcher" }
            },
            { type: "text", text: " there", cheermote: null, emote: null, mention: null }
          ]
        })
        assert.isNull(message.reply)
        const reply = yield* irc.control.postMessage({
          channel: World.defaultUserLogin,
          login: World.defaultUserLogin,
          text: "answer",
          replyParentMsgId: posted.id
        })
        const replied = (yield* notification(client, "channel.chat.message")).payload.event ?? {}
        assert.strictEqual(replied.message_id, reply.id)
        assert.include(replied.reply, {
          parent_message_id: posted.id,
          parent_user_login: World.secondUserLogin
        })
        yield* irc.control.ban({ channel: World.defaultUserLogin, login: World.secondUserLogin, seconds: 60 })
        const cleared = (yield* notification(client, "channel.chat.clear_user_messages")).payload.event ?? {}
        assert.strictEqual(cleared.target_user_login, World.secondUserLogin)
        const ban = (yield* notification(client, "channel.ban")).payload.event ?? {}
        assert.strictEqual(ban.user_id, World.secondUserId)
        assert.strictEqual(ban.is_permanent, false)
        assert.isString(ban.ends_at)
        yield* irc.control.deleteMessage(World.defaultUserLogin, reply.id)
        const deleted = (yield* notification(client, "channel.chat.message_delete")).payload.event ?? {}
        assert.deepStrictEqual([deleted.message_id, deleted.target_user_login], [
          reply.id,
          World.defaultUserLogin
        ])
        yield* irc.control.clearChat(World.defaultUserLogin)
        const clear = yield* notification(client, "channel.chat.clear")
        assert.strictEqual(clear.payload.event?.broadcaster_user_id, me)
      })
    ))

  it.scopedLive("the tap reconnects and rejoins after the IRC server dropped it", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const irc = Option.getOrThrow(mock.irc)
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* subscribeAll(mock, sessionId, [["channel.chat.message", "1", {
          broadcaster_user_id: me,
          user_id: me
        }]])
        const tapIn = Effect.map(
          irc.control.connections,
          (c) => c.find((x) => x.anonymous && x.channels.includes(World.defaultUserLogin))?.id
        )
        const before = yield* tapIn
        assert.isDefined(before)
        assert.strictEqual(yield* irc.control.dropConnections(), 1)
        const tapBack = Effect.map(tapIn, (id) => id !== undefined && id !== before)
        yield* tapBack.pipe(
          Effect.filterOrFail((back) => back),
          Effect.retry(Schedule.spaced("50 millis")),
          Effect.timeout("5 seconds")
        )
        yield* irc.control.postMessage({
          channel: World.defaultUserLogin,
          login: World.secondUserLogin,
          text: "back"
        })
        const event = (yield* notification(client, "channel.chat.message")).payload.event ?? {}
        assert.strictEqual((event.message as { text: string }).text, "back")
      })
    ))

  it.scopedLive("the chatter generator's lines become channel.chat.message and notifications", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const irc = Option.getOrThrow(mock.irc)
        const s = yield* mock.world.snapshot
        const live = s.streams[0].userId
        const login = s.users.find((u) => u.id === live)?.login ?? ""
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* subscribeAll(mock, sessionId, [["channel.chat.message", "1", {
          broadcaster_user_id: live,
          user_id: me
        }]])
        const lines = yield* irc.control.generate(login, 20)
        const privmsgs = lines.filter((l) => l.includes(" PRIVMSG #"))
        assert.isAbove(privmsgs.length, 0)
        for (const line of privmsgs) {
          const event = (yield* notification(client, "channel.chat.message")).payload.event ?? {}
          assert.include(line, `;id=${String(event.message_id)};`)
          assert.strictEqual(event.broadcaster_user_id, live)
        }
      })
    ))

  it.scopedLive("world events: stream online/offline, follows, roles, channel updates, room modes", () =>
    withIrc((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const mine = { broadcaster_user_id: me }
        yield* subscribeAll(mock, sessionId, [
          ["stream.online", "1", mine],
          ["stream.offline", "1", mine],
          ["channel.follow", "2", { broadcaster_user_id: me, moderator_user_id: me }],
          ["channel.vip.add", "1", mine],
          ["channel.update", "2", mine],
          ["channel.chat_settings.update", "1", { broadcaster_user_id: me, user_id: me }]
        ])
        const stream = yield* mock.world.startStream({ userId: me, title: "live now" })
        const online = (yield* notification(client, "stream.online")).payload.event ?? {}
        assert.deepStrictEqual([online.id, online.type, online.broadcaster_user_login], [
          stream.id,
          "live",
          World.defaultUserLogin
        ])
        yield* mock.world.endStream(me)
        yield* notification(client, "stream.offline")
        yield* mock.world.addFollow("100000005", me)
        const follow = (yield* notification(client, "channel.follow")).payload.event ?? {}
        assert.strictEqual(follow.user_id, "100000005")
        yield* Option.getOrThrow(mock.irc).control.setRole({
          channel: World.defaultUserLogin,
          login: "calmpanda4",
          role: "vip",
          enabled: true
        })
        const vip = (yield* notification(client, "channel.vip.add")).payload.event ?? {}
        assert.strictEqual(vip.user_login, "calmpanda4")
        // Going live with a title changed the channel's title.
        assert.strictEqual((yield* notification(client, "channel.update")).payload.event?.title, "live now")
        yield* mock.world.updateChannel(me, { title: "a new title" })
        const update = (yield* notification(client, "channel.update")).payload.event ?? {}
        assert.strictEqual(update.title, "a new title")
        yield* mock.world.setRoomState(me, { slow: 30, emoteOnly: true })
        const settings = (yield* notification(client, "channel.chat_settings.update")).payload.event ?? {}
        assert.include(settings, { slow_mode: true, slow_mode_wait_time_seconds: 30, emote_mode: true })
      })
    ))

  it.scopedLive("a user's last token of a client revoked: their subscriptions are revoked with authorization_revoked", () =>
    Effect.flatMap(MockTwitch.MockTwitch, (mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const body = wsBody("channel.chat.message", "1", {
          broadcaster_user_id: me,
          user_id: World.secondUserId
        }, sessionId)
        assert.strictEqual((yield* create(mock, World.secondUserToken, body)).status, 202)
        yield* mock.world.revokeToken(World.defaultClientId, World.secondUserToken)
        const revocation = yield* client.next("revocation").pipe(Effect.timeout("5 seconds"))
        assert.strictEqual(revocation.payload.subscription?.status, "authorization_revoked")
        const subs = yield* mock.eventSub.control.subscriptions
        assert.deepStrictEqual(subs.map((s) => s.status), ["authorization_revoked"])
      })).pipe(Effect.provide(MockTwitch.layer({ irc: false }))))

  it.scopedLive("a moderator removed in the world: their moderator subscriptions are revoked with moderator_removed", () =>
    Effect.flatMap(MockTwitch.MockTwitch, (mock) =>
      Effect.gen(function*() {
        const bot = yield* mock.world.issueToken({
          clientId: World.defaultClientId,
          userId: World.secondUserId,
          scopes: ["moderator:read:followers"]
        })
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const condition = { broadcaster_user_id: me, moderator_user_id: World.secondUserId }
        assert.strictEqual(
          (yield* create(mock, bot.value, wsBody("channel.follow", "2", condition, sessionId))).status,
          202
        )
        const channel = Option.getOrThrow(yield* mock.world.channel(me))
        yield* mock.world.updateChannel(me, {
          moderators: channel.moderators.filter((m) => m !== World.secondUserId)
        })
        const revocation = yield* client.next("revocation").pipe(Effect.timeout("5 seconds"))
        assert.strictEqual(revocation.payload.subscription?.status, "moderator_removed")
      })).pipe(Effect.provide(MockTwitch.layer({ irc: false }))))
})
