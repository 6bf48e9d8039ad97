import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as World from "../../src/testing/mock/World.js"
import { joined, setup, user } from "./irc/fixture.js"
import * as Raw from "./irc/RawClient.js"

const open = { channelIntervalMs: 0, duplicateWindowMs: 0, userMessages: 100 }

describe("IrcServer room modes", () => {
  it.scopedLive("emote-only, subscribers-only, followers-only and unique chat refuse with Twitch's msg-ids", () =>
    Effect.gen(function*() {
      const { offline, server, world } = yield* setup({ enforceRoomModes: true, limits: open })
      const snapshot = yield* world.snapshot
      const ownerId = (login: string) => snapshot.users.find((u) => u.login === login)?.id ?? ""
      // A channel the default user neither follows nor subscribes to, with no mode on.
      const ch = offline.find((l) =>
        !snapshot.follows.some((f) =>
          f.fromId === World.defaultUserId && f.toId === ownerId(l)
        )
      ) ?? ""
      assert.notStrictEqual(ch, "")
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      let tag = 0
      /** Sends a line; returns the NOTICE msg-id it got, or "accepted". */
      const say = (text: string) =>
        Effect.gen(function*() {
          const before = (yield* server.control.received(ch)).length
          yield* c.send(`PRIVMSG #${ch} :${text}`, `PING :t${++tag}`)
          const pong = `:tmi.twitch.tv PONG tmi.twitch.tv :t${tag}`
          const answer = yield* c.next((l) => (Raw.is("NOTICE")(l) && l.includes(`#${ch}`)) || l === pong)
          if (Raw.is("NOTICE")(answer)) {
            yield* c.next((l) => l === pong)
            return Raw.tagsOf(answer)["msg-id"]
          }
          assert.strictEqual((yield* server.control.received(ch)).length, before + 1, text)
          return "accepted"
        })
      const setModes = (patch: Partial<World.RoomState>) => server.control.setRoomState(ch, patch)

      yield* setModes({ emoteOnly: true })
      assert.strictEqual(yield* say("hello Kappa"), "msg_emoteonly")
      assert.strictEqual(yield* say("Kappa LUL Kappa"), "accepted")
      assert.strictEqual(yield* say("\x01ACTION Kappa\x01"), "accepted")
      yield* setModes({ emoteOnly: false, subsOnly: true })
      assert.strictEqual(yield* say("not a sub yet"), "msg_subsonly")
      yield* server.control.setRole({
        channel: ch,
        login: World.defaultUserLogin,
        role: "subscriber",
        enabled: true
      })
      assert.strictEqual(yield* say("now a sub"), "accepted")
      yield* setModes({ subsOnly: false, followersOnly: 0 })
      assert.strictEqual(yield* say("not following"), "msg_followersonly_zero")
      yield* setModes({ followersOnly: 10 })
      assert.strictEqual(yield* say("still not following"), "msg_followersonly")
      yield* world.addFollow(World.defaultUserId, ownerId(ch))
      assert.strictEqual(yield* say("followed just now"), "msg_followersonly_followed")
      assert.match(
        c.matching((l) => Raw.tagsOf(l)["msg-id"] === "msg_followersonly_followed")[0],
        /:This room is in 10 minutes followers-only mode\. You have been following for 0 minutes\./
      )
      yield* setModes({ followersOnly: 0 })
      assert.strictEqual(yield* say("any follower may talk"), "accepted")
      yield* setModes({ followersOnly: -1, r9k: true })
      yield* server.control.postMessage({
        channel: ch,
        login: World.secondUserLogin,
        text: "a rather long message"
      })
      assert.strictEqual(yield* say("a rather long message"), "msg_r9k")
      assert.strictEqual(yield* say("short one"), "accepted") // 9 characters: not checked
      assert.strictEqual(yield* say("short one"), "accepted")
      assert.strictEqual(yield* say("a rather long message, but new"), "accepted")
      assert.strictEqual(yield* say("a rather long message, but new"), "msg_r9k")

      // A moderator is exempt from every mode.
      yield* setModes({ emoteOnly: true, subsOnly: true, followersOnly: 60, r9k: true })
      yield* server.control.setRole({
        channel: ch,
        login: World.defaultUserLogin,
        role: "subscriber",
        enabled: false
      })
      yield* server.control.setRole({
        channel: ch,
        login: World.defaultUserLogin,
        role: "moderator",
        enabled: true
      })
      assert.strictEqual(yield* say("a rather long message"), "accepted")

      const v = (yield* server.control.counters).violations
      assert.deepStrictEqual([v.emoteOnly, v.subsOnly, v.followersOnly, v.r9k], [1, 1, 3, 2])
      assert.strictEqual(
        c.matching((l) => Raw.tagsOf(l)["msg-id"] === "msg_emoteonly")[0],
        `@msg-id=msg_emoteonly :tmi.twitch.tv NOTICE #${ch} :This room is in emote-only mode.`
      )
    }))

  it.scopedLive("VIPs skip subscribers-only and followers-only but not emote-only; off by default", () =>
    Effect.gen(function*() {
      const { offline, server } = yield* setup({ enforceRoomModes: true, limits: open })
      const ch = offline[1]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      yield* server.control.setRole({
        channel: ch,
        login: World.defaultUserLogin,
        role: "vip",
        enabled: true
      })
      yield* server.control.setRoomState(ch, { subsOnly: true, followersOnly: 30 })
      yield* c.send(`PRIVMSG #${ch} :vip talking`)
      yield* server.control.awaitPrivmsgs(ch, 1)
      yield* server.control.setRoomState(ch, { emoteOnly: true })
      yield* c.send(`PRIVMSG #${ch} :vip talking again`)
      assert.strictEqual(Raw.tagsOf(yield* c.next(Raw.is("NOTICE")))["msg-id"], "msg_emoteonly")

      // Without the option the modes are reported (ROOMSTATE) but not enforced.
      const lax = yield* setup({ limits: open })
      const d = yield* user(lax.server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(d, lax.offline[1])
      yield* lax.server.control.setRoomState(lax.offline[1], { emoteOnly: true, subsOnly: true })
      yield* d.send(`PRIVMSG #${lax.offline[1]} :plain text`)
      yield* lax.server.control.awaitPrivmsgs(lax.offline[1], 1)
      assert.strictEqual(d.matching(Raw.is("NOTICE")).length, 0)
    }))
})
