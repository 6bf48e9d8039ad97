/**
 * A small scripted Twitch for the CLI's daily commands (clips, videos, schedule, chatters, bans,
 * announcements, shoutouts, polls): a real HTTP server on 127.0.0.1 answering those Helix
 * operations and `/oauth2/validate` with bodies shaped as the spec says, keeping the state the
 * following reads return (bans, polls), checking the token, its scopes and the moderator, and
 * refusing as Twitch does (with its error bodies). Every request is recorded. The CLI reaches it as
 * "real Twitch" through the environment in {@link Scripted}'s `env`.
 *
 * Used until the mock Twitch answers every operation; then these tests can point at it instead.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Ref from "effect/Ref"
import { createServer } from "node:http"

export interface Seen {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly body: unknown
}

interface Reply {
  readonly status?: number
  readonly body?: unknown
  readonly text?: string
}

export interface User {
  readonly id: string
  readonly login: string
  readonly name: string
}

/** The people of the script: the token's user streams; it moderates bob's channel, not carol's. */
export const streamer: User = { id: "1001", login: "streamer", name: "Streamer" }
export const alice: User = { id: "1002", login: "alice", name: "Alice" }
export const bob: User = { id: "1003", login: "bob", name: "Bob" }
export const carol: User = { id: "1004", login: "carol", name: "Carol" }
const users = [streamer, alice, bob, carol]

/** Tokens: every scope; none at all. */
export const fullToken = "scriptedfulltoken0000000000001"
export const bareToken = "scriptedbaretoken0000000000002"
export const clientId = "scriptedclientid000000000000001"

const moderates: Readonly<Record<string, ReadonlyArray<string>>> = { [bob.id]: [streamer.id] }

export interface Ban {
  readonly broadcasterId: string
  readonly userId: string
  readonly reason: string
  readonly createdAt: string
  readonly endTime: string | null
}

export interface Poll {
  readonly id: string
  readonly title: string
  readonly choices: ReadonlyArray<{ readonly title: string; readonly votes: number }>
  readonly duration: number
  readonly status: string
  readonly startedAt: string
  readonly endedAt: string | null
}

export interface State {
  readonly bans: ReadonlyArray<Ban>
  readonly polls: ReadonlyArray<Poll>
  readonly clipCount: number
}

export class Scripted extends Context.Tag("test/cli/Scripted")<Scripted, {
  /** The environment that points the CLI at this server with {@link fullToken}. */
  readonly env: Record<string, string>
  readonly seen: Effect.Effect<ReadonlyArray<Seen>>
  readonly state: Ref.Ref<State>
}>() {}

const fail = (status: number, message: string): Reply => {
  const error = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" }[status] ??
    "Error"
  return { status, body: { error, status, message } }
}

const scopesOf = (token: string): ReadonlyArray<string> =>
  token === fullToken ?
    [
      "clips:edit",
      "moderator:read:chatters",
      "moderator:manage:banned_users",
      "moderator:manage:announcements",
      "moderator:manage:shoutouts",
      "channel:manage:polls",
      "channel:read:polls"
    ] :
    []

const wireUser = (u: User) => ({
  id: u.id,
  login: u.login,
  display_name: u.name,
  type: "",
  broadcaster_type: "partner",
  description: "",
  profile_image_url: "https://example.invalid/p.png",
  offline_image_url: "",
  view_count: 0,
  created_at: "2020-01-01T00:00:00Z"
})

const clip = (n: number) => ({
  id: `Clip${n}`,
  url: `https://clips.twitch.tv/Clip${n}`,
  embed_url: `https://clips.twitch.tv/embed?clip=Clip${n}`,
  broadcaster_id: streamer.id,
  broadcaster_name: streamer.name,
  creator_id: alice.id,
  creator_name: alice.name,
  video_id: "",
  game_id: "509658",
  language: "en",
  title: `clip number ${n}`,
  view_count: 1000 - n,
  created_at: `2026-04-${String(10 + (n % 18)).padStart(2, "0")}T12:00:00Z`,
  thumbnail_url: `https://clips-media.example.invalid/${n}.jpg`,
  duration: 28.5,
  vod_offset: null,
  is_featured: n % 2 === 0
})

const video = (n: number) => ({
  id: `${5000 + n}`,
  stream_id: null,
  user_id: streamer.id,
  user_login: streamer.login,
  user_name: streamer.name,
  title: `broadcast ${n}`,
  description: "",
  created_at: `2026-04-0${n}T18:00:00Z`,
  published_at: `2026-04-0${n}T18:00:00Z`,
  url: `https://www.twitch.tv/videos/${5000 + n}`,
  thumbnail_url: "",
  viewable: "public",
  view_count: 40 + n,
  language: "en",
  type: "archive",
  duration: `${n}h2m3s`,
  muted_segments: null
})

const segment = (n: number) => ({
  id: `seg${n}`,
  start_time: `2026-05-0${n}T18:00:00Z`,
  end_time: `2026-05-0${n}T20:00:00Z`,
  title: `Week ${n}`,
  canceled_until: null,
  category: n === 1 ? { id: "509658", name: "Just Chatting" } : null,
  is_recurring: n === 1
})

const wirePoll = (p: Poll) => ({
  id: p.id,
  broadcaster_id: streamer.id,
  broadcaster_name: streamer.name,
  broadcaster_login: streamer.login,
  title: p.title,
  choices: p.choices.map((c, i) => ({
    id: `${p.id}-${i}`,
    title: c.title,
    votes: c.votes,
    channel_points_votes: 0,
    bits_votes: 0
  })),
  bits_voting_enabled: false,
  bits_per_vote: 0,
  channel_points_voting_enabled: false,
  channel_points_per_vote: 0,
  status: p.status,
  duration: p.duration,
  started_at: p.startedAt,
  ended_at: p.endedAt
})

/** The items of a page of `all` at the request's `after`/`first`, with the next cursor. */
const page = (all: ReadonlyArray<unknown>, query: URLSearchParams, defaultFirst: number) => {
  const start = Number(query.get("after") ?? "0")
  const first = Number(query.get("first") ?? defaultFirst)
  const data = all.slice(start, start + first)
  const next = start + first < all.length ? String(start + first) : undefined
  return { data, pagination: next === undefined ? {} : { cursor: next } }
}

interface Call {
  readonly seen: Seen
  readonly token: string
  readonly state: Ref.Ref<State>
  readonly now: number
}

type Handler = (call: Call) => Effect.Effect<Reply>

/** Checks the scope and the moderator (the token's user, broadcaster or one of its moderators). */
const guard = (call: Call, scope: string, moderatorParam?: string): Reply | undefined => {
  if (!scopesOf(call.token).includes(scope)) return fail(401, `Missing scope: ${scope}`)
  if (moderatorParam === undefined) return undefined
  const broadcaster = call.seen.query.get("broadcaster_id") ?? ""
  const moderator = call.seen.query.get(moderatorParam) ?? ""
  if (moderator !== streamer.id) {
    return fail(403, `The ID in ${moderatorParam} must match the user ID in the token.`)
  }
  if (broadcaster !== moderator && !(moderates[broadcaster] ?? []).includes(moderator)) {
    return fail(403, "The user in moderator_id is not one of the broadcaster's moderators.")
  }
  return undefined
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

const bans: Handler = (call) =>
  Effect.gen(function*() {
    const refused = guard(call, "moderator:manage:banned_users", "moderator_id")
    if (refused !== undefined) return refused
    const broadcasterId = call.seen.query.get("broadcaster_id") ?? ""
    const data = Predicate.isRecord(call.seen.body) ? call.seen.body["data"] : undefined
    const userId = Predicate.isRecord(data) && typeof data["user_id"] === "string" ? data["user_id"] : ""
    if (!users.some((u) => u.id === userId)) return fail(400, "The user_id field is required.")
    const duration = Predicate.isRecord(data) && typeof data["duration"] === "number"
      ? data["duration"]
      : undefined
    const reason = Predicate.isRecord(data) && typeof data["reason"] === "string" ? data["reason"] : ""
    const state = yield* Ref.get(call.state)
    if (
      state.bans.some((b) => b.broadcasterId === broadcasterId && b.userId === userId && b.endTime === null)
    ) {
      return fail(400, "The user specified in the user_id field is already banned.")
    }
    const ban: Ban = {
      broadcasterId,
      userId,
      reason,
      createdAt: iso(call.now),
      endTime: duration === undefined ? null : iso(call.now + duration * 1000)
    }
    yield* Ref.update(call.state, (s) => ({ ...s, bans: [...s.bans, ban] }))
    return {
      body: {
        data: [{
          broadcaster_id: broadcasterId,
          moderator_id: streamer.id,
          user_id: userId,
          created_at: ban.createdAt,
          end_time: ban.endTime
        }]
      }
    }
  })

const unban: Handler = (call) =>
  Effect.gen(function*() {
    const refused = guard(call, "moderator:manage:banned_users", "moderator_id")
    if (refused !== undefined) return refused
    const broadcasterId = call.seen.query.get("broadcaster_id") ?? ""
    const userId = call.seen.query.get("user_id") ?? ""
    const removed = yield* Ref.modify(call.state, (s) => {
      const kept = s.bans.filter((b) => !(b.broadcasterId === broadcasterId && b.userId === userId))
      return [kept.length < s.bans.length, { ...s, bans: kept }] as const
    })
    return removed ? { status: 204 } : fail(400, "The user specified in the user_id field is not banned.")
  })

const polls: Handler = (call) =>
  Effect.gen(function*() {
    const refused = guard(call, "channel:read:polls")
    if (refused !== undefined && guard(call, "channel:manage:polls") !== undefined) return refused
    if (call.seen.query.get("broadcaster_id") !== streamer.id) {
      return fail(403, "The broadcaster_id must match the user ID in the token.")
    }
    const ids = call.seen.query.getAll("id")
    const all = (yield* Ref.get(call.state)).polls.filter((p) => ids.length === 0 || ids.includes(p.id))
    return { body: page([...all].reverse().map(wirePoll), call.seen.query, 20) }
  })

const createPoll: Handler = (call) =>
  Effect.gen(function*() {
    const refused = guard(call, "channel:manage:polls")
    if (refused !== undefined) return refused
    const body = Predicate.isRecord(call.seen.body) ? call.seen.body : {}
    if (body["broadcaster_id"] !== streamer.id) {
      return fail(403, "The broadcaster_id must match the token's user.")
    }
    const state = yield* Ref.get(call.state)
    if (
      state.polls.some((p) => p.status === "ACTIVE")
    ) return fail(400, "A poll is already active.")
    const choices = Array.isArray(body["choices"]) ? body["choices"] : []
    const poll: Poll = {
      id: `poll${state.polls.length + 1}`,
      title: String(body["title"]),
      choices: choices.map((c, i) => ({
        title: Predicate.isRecord(c) ? String(c["title"]) : "",
        votes: 3 - i
      })),
      duration: Number(body["duration"]),
      status: "ACTIVE",
      startedAt: iso(call.now),
      endedAt: null
    }
    yield* Ref.update(call.state, (s) => ({ ...s, polls: [...s.polls, poll] }))
    return { body: { data: [wirePoll(poll)] } }
  })

const endPoll: Handler = (call) =>
  Effect.gen(function*() {
    const refused = guard(call, "channel:manage:polls")
    if (refused !== undefined) return refused
    const body = Predicate.isRecord(call.seen.body) ? call.seen.body : {}
    const ended = yield* Ref.modify(call.state, (s) => {
      const poll = s.polls.find((p) => p.id === body["id"] && p.status === "ACTIVE")
      if (poll === undefined) return [undefined, s] as const
      const next = { ...poll, status: String(body["status"]), endedAt: iso(call.now) }
      return [next, { ...s, polls: s.polls.map((p) => (p.id === poll.id ? next : p)) }] as const
    })
    return ended === undefined ? fail(400, "The poll is not active.") : { body: { data: [wirePoll(ended)] } }
  })

/** The lines of the streamer's iCalendar text. */
export const icalendarLines = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  "SUMMARY:Week 1",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "SUMMARY:Week 2",
  "END:VEVENT",
  "END:VCALENDAR"
]

const icalendar = Effect.succeed<Reply>({ text: `${icalendarLines.join("\r\n")}\r\n` })

const routes: Readonly<Record<string, Handler>> = {
  "GET /helix/users": (call) => {
    const ids = call.seen.query.getAll("id")
    const logins = call.seen.query.getAll("login")
    const found = ids.length + logins.length === 0
      ? [streamer]
      : users.filter((u) => ids.includes(u.id) || logins.includes(u.login))
    return Effect.succeed({ body: { data: found.map(wireUser) } })
  },
  "GET /helix/clips": (call) =>
    Effect.map(Ref.get(call.state), (s) => {
      const featured = call.seen.query.get("is_featured") === "true"
      const all = Array.from({ length: s.clipCount }, (_, i) => clip(i + 1)).filter((c) =>
        !featured || c.is_featured
      )
      return call.seen.query.get("broadcaster_id") === streamer.id
        ? { body: page(all, call.seen.query, 20) }
        : { body: { data: [], pagination: {} } }
    }),
  "POST /helix/clips": (call) =>
    Effect.succeed(
      guard(call, "clips:edit") ??
        (call.seen.query.get("broadcaster_id") === carol.id ?
          fail(404, "Clipping is not possible for an offline channel.") :
          {
            status: 202,
            body: { data: [{ id: "NewClip", edit_url: "https://clips.twitch.tv/NewClip/edit" }] }
          })
    ),
  "GET /helix/videos": (call) =>
    Effect.succeed({
      body: page(
        call.seen.query.get("user_id") === streamer.id ? [video(1), video(2)] : [],
        call.seen.query,
        20
      )
    }),
  "GET /helix/schedule": (call) =>
    Effect.succeed(
      call.seen.query.get("broadcaster_id") === streamer.id ?
        {
          body: {
            data: {
              segments: [segment(1), segment(2)],
              broadcaster_id: streamer.id,
              broadcaster_name: streamer.name,
              broadcaster_login: streamer.login,
              vacation: null
            },
            pagination: {}
          }
        } :
        fail(404, "Not Found")
    ),
  "GET /helix/chat/chatters": (call) =>
    Effect.succeed(
      guard(call, "moderator:read:chatters", "moderator_id") ?? {
        body: {
          ...page(
            [streamer, alice, bob].map((u) => ({ user_id: u.id, user_login: u.login, user_name: u.name })),
            call.seen.query,
            100
          ),
          total: 3
        }
      }
    ),
  "POST /helix/moderation/bans": bans,
  "DELETE /helix/moderation/bans": unban,
  "POST /helix/chat/announcements": (call) =>
    Effect.succeed(guard(call, "moderator:manage:announcements", "moderator_id") ?? { status: 204 }),
  "POST /helix/chat/shoutouts": (call) => {
    const refused = guard(call, "moderator:manage:shoutouts")
    if (refused !== undefined) return Effect.succeed(refused)
    const to = call.seen.query.get("to_broadcaster_id")
    return Effect.succeed(
      to === call.seen.query.get("from_broadcaster_id")
        ? fail(400, "The broadcaster may not give themselves a Shoutout.")
        : { status: 204 }
    )
  },
  "GET /helix/polls": polls,
  "POST /helix/polls": createPoll,
  "PATCH /helix/polls": endPoll
}

const validate = (authorization: string): Reply => {
  const token = authorization.replace(/^OAuth /, "")
  if (token !== fullToken && token !== bareToken) return fail(401, "invalid access token")
  return {
    body: {
      client_id: clientId,
      login: streamer.login,
      user_id: streamer.id,
      scopes: scopesOf(token),
      expires_in: 3600
    }
  }
}

const answer = (seen: Seen, headers: Readonly<Record<string, string | undefined>>, state: Ref.Ref<State>) =>
  Effect.gen(function*() {
    if (seen.path === "/oauth2/validate") return validate(headers["authorization"] ?? "")
    // Public, as on Twitch: no token.
    if (seen.path === "/helix/schedule/icalendar") return yield* icalendar
    const token = (headers["authorization"] ?? "").replace(/^Bearer /, "")
    if (headers["client-id"] !== clientId || (token !== fullToken && token !== bareToken)) {
      return fail(401, "Invalid OAuth token")
    }
    const handler = routes[`${seen.method} ${seen.path}`]
    if (handler === undefined) return fail(404, "Not Found")
    return yield* handler({ seen, token, state, now: yield* Clock.currentTimeMillis })
  })

/** The scripted server on a free port of 127.0.0.1, with `clips` clips of the streamer. */
export const layer = (options: { readonly clips?: number } = {}): Layer.Layer<Scripted, ServeError> =>
  Layer.scoped(
    Scripted,
    Effect.gen(function*() {
      const requests = yield* Ref.make<ReadonlyArray<Seen>>([])
      const state = yield* Ref.make<State>({ bans: [], polls: [], clipCount: options.clips ?? 45 })
      const app = Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const url = new URL(request.url, "http://127.0.0.1")
        const text = yield* request.text
        const seen: Seen = {
          method: request.method,
          path: url.pathname,
          query: url.searchParams,
          body: text === "" ? undefined : JSON.parse(text)
        }
        yield* Ref.update(requests, (all) => [...all, seen])
        const reply = yield* answer(seen, request.headers, state)
        if (reply.text !== undefined) {
          return HttpServerResponse.text(reply.text, { contentType: "text/calendar" })
        }
        if (reply.status === 204) return HttpServerResponse.empty({ status: 204 })
        return yield* HttpServerResponse.json(reply.body ?? {}, { status: reply.status ?? 200 })
      }).pipe(Effect.orDie)
      yield* HttpServer.serveEffect(app)
      const port = yield* HttpServer.addressWith((a) => Effect.succeed(a._tag === "TcpAddress" ? a.port : 0))
      const base = `http://127.0.0.1:${port}`
      return {
        env: {
          TWITCH_CLIENT_ID: clientId,
          TWITCH_HELIX_URL: `${base}/helix`,
          TWITCH_ID_URL: base,
          TWITCH_TOKEN: fullToken
        },
        seen: Ref.get(requests),
        state
      }
    })
  ).pipe(Layer.provide(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })))

/** The requests seen since `from`, without token validations. */
export const helixSeen = (from = 0) =>
  Effect.map(
    Effect.flatMap(Scripted, (s) => s.seen),
    (all) => all.slice(from).filter((r) => r.path.startsWith("/helix"))
  )
