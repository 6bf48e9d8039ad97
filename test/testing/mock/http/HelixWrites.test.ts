/**
 * Helix writes change the mock's world: the following reads return them, Twitch's refusals come
 * where Twitch refuses, and each write publishes the world event the IRC server (and later
 * EventSub) follows.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { type Answer, helixCall, helixHeaders, request, withMock } from "./client.js"

const creds = MockTwitch.credentials
const me = MockWorld.defaultUserId

type Mock = MockTwitch.MockTwitch.Service

const helix = helixCall

const items = (answer: Answer) => answer.json<{ data: ReadonlyArray<Record<string, unknown>> }>().data

/** A user token with every scope for another user of the world. */
const tokenOf = (mock: Mock, userId: string, clientId = MockWorld.defaultClientId) =>
  Effect.map(
    Effect.orDie(
      mock.world.issueToken({ clientId, userId, scopes: [...MockWorld.allScopes], lifetimeSeconds: 3600 })
    ),
    (t) => t.value
  )

/** The world events published from now on, to read after the writes. */
const events = (
  mock: Mock
): Effect.Effect<Effect.Effect<ReadonlyArray<MockWorld.WorldEvent>>, never, Scope.Scope> =>
  Effect.map(PubSub.subscribe(mock.world.events), (queue) => Effect.map(Queue.takeAll(queue), (c) => [...c]))

const scoped = <A, E>(
  f: (mock: Mock) => Effect.Effect<A, E, Scope.Scope>,
  options: MockTwitch.Options = {}
) => withMock((mock) => Effect.scoped(f(mock)), options)

describe("mock Helix writes", () => {
  it.live("bans and timeouts: listed while in force, refused twice, lifted by unban; CLEARCHAT's event", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const s = yield* mock.world.snapshot
        const target = s.users[12].id
        const seen = yield* events(mock)
        const ban = yield* helix(mock, "POST", `/moderation/bans?broadcaster_id=${me}&moderator_id=${me}`, {
          data: { user_id: target, duration: 300, reason: "test" }
        })
        expect(ban.status).toBe(200)
        expect(items(ban)[0]).toMatchObject({ broadcaster_id: me, moderator_id: me, user_id: target })
        expect(items(ban)[0]["end_time"]).toBeTypeOf("string")
        const listed = items(
          yield* helix(mock, "GET", `/moderation/banned?broadcaster_id=${me}&user_id=${target}`)
        )
        expect(listed).toEqual([expect.objectContaining({ user_id: target, reason: "test" })])
        expect((yield* seen).map((e) => e._tag)).toContain("UserBanned")
        // A permanent ban, then the same again: Twitch's 400.
        const path = `/moderation/bans?broadcaster_id=${me}&moderator_id=${me}`
        expect((yield* helix(mock, "POST", path, { data: { user_id: target } })).status).toBe(200)
        const twice = yield* helix(mock, "POST", path, { data: { user_id: target } })
        expect(twice.json()).toEqual({
          error: "Bad Request",
          status: 400,
          message: "The user specified in the user_id field is already banned."
        })
        const unban = `/moderation/bans?broadcaster_id=${me}&moderator_id=${me}&user_id=${target}`
        expect((yield* helix(mock, "DELETE", unban)).status).toBe(204)
        expect(items(yield* helix(mock, "GET", `/moderation/banned?broadcaster_id=${me}&user_id=${target}`)))
          .toEqual([])
        expect((yield* helix(mock, "DELETE", unban)).status).toBe(400)
        // Someone who moderates nothing may not ban here.
        const outsider = yield* tokenOf(mock, s.users[30].id)
        const refused = yield* helix(
          mock,
          "POST",
          `/moderation/bans?broadcaster_id=${me}&moderator_id=${s.users[30].id}`,
          { data: { user_id: target } },
          outsider
        )
        expect(refused.status).toBe(403)
      })
    ))

  it.live("moderators and VIPs: added, listed, refused across roles (422), removed; badges' events", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const s = yield* mock.world.snapshot
        const user = s.users[20].id
        const seen = yield* events(mock)
        expect(
          (yield* helix(mock, "POST", `/moderation/moderators?broadcaster_id=${me}&user_id=${user}`)).status
        ).toBe(204)
        const mods = items(yield* helix(mock, "GET", `/moderation/moderators?broadcaster_id=${me}`))
        expect(mods.map((m) => m["user_id"])).toContain(user)
        const vip = yield* helix(mock, "POST", `/channels/vips?broadcaster_id=${me}&user_id=${user}`)
        expect(vip.status).toBe(422)
        expect(
          (yield* helix(mock, "DELETE", `/moderation/moderators?broadcaster_id=${me}&user_id=${user}`)).status
        ).toBe(204)
        expect((yield* helix(mock, "POST", `/channels/vips?broadcaster_id=${me}&user_id=${user}`)).status)
          .toBe(204)
        const vips = items(yield* helix(mock, "GET", `/channels/vips?broadcaster_id=${me}`))
        expect(vips.map((v) => v["user_id"])).toContain(user)
        const tags = (yield* seen).map((e) => e._tag)
        expect(tags.filter((t) => t === "RoleChanged")).toHaveLength(3)
        expect(tags).toContain("ChannelUpdated")
      })
    ))

  it.live("chat settings, chat color, blocked terms, shield mode and warnings read back as written", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const seen = yield* events(mock)
        const settings = yield* helix(
          mock,
          "PATCH",
          `/chat/settings?broadcaster_id=${me}&moderator_id=${me}`,
          {
            slow_mode: true,
            slow_mode_wait_time: 15,
            follower_mode: true,
            follower_mode_duration: 60,
            non_moderator_chat_delay: true,
            non_moderator_chat_delay_duration: 4
          }
        )
        expect(items(settings)[0]).toMatchObject({ slow_mode_wait_time: 15, follower_mode_duration: 60 })
        const read =
          items(yield* helix(mock, "GET", `/chat/settings?broadcaster_id=${me}&moderator_id=${me}`))[0]
        expect(read).toMatchObject({
          slow_mode: true,
          slow_mode_wait_time: 15,
          follower_mode: true,
          non_moderator_chat_delay: true,
          non_moderator_chat_delay_duration: 4
        })
        // Without moderator_id the delay is not shown, as Twitch answers.
        const plain = items(
          yield* helix(mock, "GET", `/chat/settings?broadcaster_id=${me}`, undefined, creds.appToken)
        )[0]
        expect(plain).not.toHaveProperty("non_moderator_chat_delay")
        expect((yield* seen).map((e) => e._tag)).toContain("RoomStateChanged")

        expect((yield* helix(mock, "PUT", `/chat/color?user_id=${me}&color=hot_pink`)).status).toBe(204)
        const color = items(yield* helix(mock, "GET", `/chat/color?user_id=${me}`))
        expect(color[0]).toMatchObject({ user_id: me, color: "#FF69B4" })

        const term = items(
          yield* helix(mock, "POST", `/moderation/blocked_terms?broadcaster_id=${me}&moderator_id=${me}`, {
            text: "walrus"
          })
        )[0]
        const terms = () =>
          helix(mock, "GET", `/moderation/blocked_terms?broadcaster_id=${me}&moderator_id=${me}`)
        expect(items(yield* terms()).map((t) => t["text"])).toContain("walrus")
        const check = items(
          yield* helix(mock, "POST", `/moderation/enforcements/status?broadcaster_id=${me}`, {
            data: [{ msg_id: "1", msg_text: "a WALRUS here" }, { msg_id: "2", msg_text: "fine" }]
          })
        )
        expect(check).toEqual([{ msg_id: "1", is_permitted: false }, { msg_id: "2", is_permitted: true }])
        const remove = `/moderation/blocked_terms?broadcaster_id=${me}&moderator_id=${me}&id=${
          String(term["id"])
        }`
        expect((yield* helix(mock, "DELETE", remove)).status).toBe(204)
        expect(items(yield* terms()).map((t) => t["text"])).not.toContain("walrus")

        yield* helix(mock, "PUT", `/moderation/shield_mode?broadcaster_id=${me}&moderator_id=${me}`, {
          is_active: true
        })
        const shield = items(
          yield* helix(mock, "GET", `/moderation/shield_mode?broadcaster_id=${me}&moderator_id=${me}`)
        )
        expect(shield[0]).toMatchObject({
          is_active: true,
          moderator_id: me,
          moderator_login: MockWorld.defaultUserLogin
        })

        const s = yield* mock.world.snapshot
        const warned = yield* helix(
          mock,
          "POST",
          `/moderation/warnings?broadcaster_id=${me}&moderator_id=${me}`,
          {
            data: { user_id: s.users[13].id, reason: "calm down" }
          }
        )
        expect(items(warned)[0]).toEqual({
          broadcaster_id: me,
          user_id: s.users[13].id,
          moderator_id: me,
          reason: "calm down"
        })
        expect((yield* mock.world.snapshot).warnings).toHaveLength(1)
      })
    ))

  it.live("polls and predictions: one active at a time, ended as asked, read back", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const poll = {
          broadcaster_id: me,
          title: "Next?",
          choices: [{ title: "A" }, { title: "B" }],
          duration: 60
        }
        const created = items(yield* helix(mock, "POST", "/polls", poll))[0]
        expect(created).toMatchObject({ status: "ACTIVE", ended_at: null })
        expect((yield* helix(mock, "POST", "/polls", poll)).status).toBe(400)
        const listed = items(
          yield* helix(mock, "GET", `/polls?broadcaster_id=${me}&id=${String(created["id"])}`)
        )
        expect(listed[0]).toMatchObject({ title: "Next?", status: "ACTIVE" })
        const ended = items(
          yield* helix(mock, "PATCH", "/polls", {
            broadcaster_id: me,
            id: created["id"],
            status: "TERMINATED"
          })
        )
        expect(ended[0]).toMatchObject({ status: "TERMINATED" })
        expect(ended[0]["ended_at"]).toBeTypeOf("string")

        const prediction = items(
          yield* helix(mock, "POST", "/predictions", {
            broadcaster_id: me,
            title: "Win?",
            outcomes: [{ title: "Yes" }, { title: "No" }],
            prediction_window: 60
          })
        )[0]
        const id = prediction["id"]
        const locked = items(
          yield* helix(mock, "PATCH", "/predictions", { broadcaster_id: me, id, status: "LOCKED" })
        )
        expect(locked[0]).toMatchObject({ status: "LOCKED" })
        const outcomes = prediction["outcomes"] as ReadonlyArray<{ readonly id: string }>
        const resolved = items(
          yield* helix(mock, "PATCH", "/predictions", {
            broadcaster_id: me,
            id,
            status: "RESOLVED",
            winning_outcome_id: outcomes[1].id
          })
        )
        expect(resolved[0]).toMatchObject({ status: "RESOLVED", winning_outcome_id: outcomes[1].id })
        const read = items(yield* helix(mock, "GET", `/predictions?broadcaster_id=${me}&id=${String(id)}`))
        expect(read[0]).toMatchObject({ status: "RESOLVED" })
      })
    ))

  it.live("custom rewards belong to the app that made them; redemptions are fulfilled and read back", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const created = items(
          yield* helix(mock, "POST", `/channel_points/custom_rewards?broadcaster_id=${me}`, {
            title: "Stretch",
            cost: 50
          })
        )[0]
        const id = String(created["id"])
        const listed = items(
          yield* helix(mock, "GET", `/channel_points/custom_rewards?broadcaster_id=${me}&id=${id}`)
        )
        expect(listed[0]).toMatchObject({ title: "Stretch", cost: 50, image: null })
        const duplicate = yield* helix(mock, "POST", `/channel_points/custom_rewards?broadcaster_id=${me}`, {
          title: "stretch",
          cost: 5
        })
        expect(duplicate.status).toBe(400)
        // Another app's token of the same user may not change it.
        const other = yield* tokenOf(mock, me, MockWorld.publicClientId)
        const foreign = yield* request(
          `${mock.http.helixUrl}/channel_points/custom_rewards?broadcaster_id=${me}&id=${id}`,
          {
            method: "PATCH",
            headers: { ...helixHeaders(other, MockWorld.publicClientId), "content-type": "application/json" },
            body: JSON.stringify({ cost: 1 })
          }
        )
        expect(foreign.status).toBe(403)

        const s = yield* mock.world.snapshot
        const redemption = s.redemptions[0]
        const path =
          `/channel_points/custom_rewards/redemptions?broadcaster_id=${me}&reward_id=${redemption.rewardId}`
        const done = yield* helix(mock, "PATCH", `${path}&id=${redemption.id}`, { status: "FULFILLED" })
        expect(items(done)[0]).toMatchObject({ id: redemption.id, status: "FULFILLED" })
        const fulfilled = items(yield* helix(mock, "GET", `${path}&status=FULFILLED`))
        expect(fulfilled.map((r) => r["id"])).toEqual([redemption.id])
        const again = yield* helix(mock, "PATCH", `${path}&id=${redemption.id}`, { status: "CANCELED" })
        expect(again.status).toBe(404)
      })
    ))

  it.live("schedule segments: created, canceled, deleted; the iCalendar follows; vacation", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const start = new Date(Date.now() + 3 * 86_400_000).toISOString()
        const made = (yield* helix(mock, "POST", `/schedule/segment?broadcaster_id=${me}`, {
          start_time: start,
          timezone: "UTC",
          duration: "90",
          is_recurring: false,
          title: "Speedrun night"
        })).json<{ data: { segments: ReadonlyArray<{ id: string; title: string }> } }>()
        const id = made.data.segments[0].id
        const schedule = () =>
          helix(mock, "GET", `/schedule?broadcaster_id=${me}`).pipe(
            Effect.map((a) =>
              a.json<{ data: { segments: ReadonlyArray<{ id: string; canceled_until: string | null }> } }>()
                .data.segments
            )
          )
        expect((yield* schedule()).map((x) => x.id)).toContain(id)
        const ical = yield* request(`${mock.http.helixUrl}/schedule/icalendar?broadcaster_id=${me}`)
        expect(ical.headers.get("content-type")).toContain("text/calendar")
        expect(ical.text).toContain("SUMMARY:Speedrun night")
        yield* helix(mock, "PATCH", `/schedule/segment?broadcaster_id=${me}&id=${id}`, { is_canceled: true })
        expect((yield* schedule()).find((x) => x.id === id)?.canceled_until).toBeTypeOf("string")
        expect((yield* helix(mock, "DELETE", `/schedule/segment?broadcaster_id=${me}&id=${id}`)).status).toBe(
          204
        )
        expect((yield* schedule()).map((x) => x.id)).not.toContain(id)
        const from = new Date(Date.now() + 10 * 86_400_000).toISOString()
        const to = new Date(Date.now() + 12 * 86_400_000).toISOString()
        const vacation =
          `/schedule/settings?broadcaster_id=${me}&is_vacation_enabled=true&vacation_start_time=${from}&vacation_end_time=${to}&timezone=UTC`
        expect((yield* helix(mock, "PATCH", vacation)).status).toBe(204)
        const read = (yield* helix(mock, "GET", `/schedule?broadcaster_id=${me}`)).json<
          { data: { vacation: unknown } }
        >()
        expect(read.data.vacation).toEqual({
          start_time: from.replace(/\.\d+Z$/, "Z"),
          end_time: to.replace(/\.\d+Z$/, "Z")
        })
      })
    ))

  it.live("clips and markers need a live broadcaster; then they are read back", () =>
    Effect.gen(function*() {
      const offline = yield* withMock((mock) => helix(mock, "POST", `/clips?broadcaster_id=${me}`))
      expect(offline.status).toBe(404)
      yield* scoped((mock) =>
        Effect.gen(function*() {
          const clip = yield* helix(mock, "POST", `/clips?broadcaster_id=${me}&title=Nice`)
          expect(clip.status).toBe(202)
          const id = String(items(clip)[0]["id"])
          const read = items(yield* helix(mock, "GET", `/clips?id=${id}`))
          expect(read[0]).toMatchObject({ id, broadcaster_id: me, creator_id: me, title: "Nice" })
          const marker =
            items(yield* helix(mock, "POST", "/streams/markers", { user_id: me, description: "here" }))[0]
          const markers = items(yield* helix(mock, "GET", `/streams/markers?user_id=${me}`))
          const videos = markers[0]["videos"] as ReadonlyArray<{ markers: ReadonlyArray<{ id: string }> }>
          expect(videos[0].markers.map((m) => m.id)).toContain(marker["id"])
        }), { liveTokenUser: true })
    }))

  it.live("Send Chat Message: sent, or dropped as a duplicate or for a ban; whispers are kept for the recipient", () =>
    scoped((mock) =>
      Effect.gen(function*() {
        const seen = yield* events(mock)
        const message = { broadcaster_id: me, sender_id: me, message: "hello chat" }
        const first = items(yield* helix(mock, "POST", "/chat/messages", message))[0]
        expect(first).toMatchObject({ is_sent: true })
        expect(first).not.toHaveProperty("drop_reason")
        const duplicate = items(yield* helix(mock, "POST", "/chat/messages", message))[0]
        expect(duplicate).toMatchObject({ is_sent: false, drop_reason: { code: "msg_duplicate" } })
        const s = yield* mock.world.snapshot
        const banned = s.bans.find((b) => b.broadcasterId === me && b.expiresAt === "")!.userId
        const bannedToken = yield* tokenOf(mock, banned)
        const refused = items(
          yield* helix(mock, "POST", "/chat/messages", {
            broadcaster_id: me,
            sender_id: banned,
            message: "let me in"
          }, bannedToken)
        )[0]
        expect(refused).toMatchObject({ is_sent: false, drop_reason: { code: "msg_banned" } })
        const sent = (yield* seen).filter((e) => e._tag === "ChatMessageSent")
        expect(sent).toHaveLength(3)

        const whisper = yield* helix(
          mock,
          "POST",
          `/whispers?from_user_id=${me}&to_user_id=${MockWorld.secondUserId}`,
          {
            message: "psst"
          }
        )
        expect(whisper.status).toBe(204)
        const kept = (yield* mock.world.snapshot).whispers.filter((w) =>
          w.toUserId === MockWorld.secondUserId
        )
        expect(kept.map((w) => [w.fromUserId, w.message])).toEqual([[me, "psst"]])
      })
    ))
})
