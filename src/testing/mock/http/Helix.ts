/**
 * The mock's Helix (`/helix/*`, also under twitch-cli's `/mock/*`): token and Client-Id checks,
 * scope checks, a real token bucket per (client id, user or app) with `Ratelimit-*` headers and
 * 429 past it, cursor pagination and Twitch's field names.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Control from "../Control.js"
import type * as MockWorld from "../World.js"
import {
  authorizationToken,
  checkRepeats,
  type Counted,
  failHelix,
  helixError,
  json,
  paginate,
  type Params,
  params,
  Reply,
  replying,
  type RouteContext,
  takeFromBucket
} from "./shared.js"

/**
 * Who is calling: the validated token and, for user tokens, the user.
 *
 * @since 0.1.0
 * @category models
 */
export interface Caller {
  readonly token: MockWorld.Token
  readonly user: Option.Option<MockWorld.User>
}

type Handler = (
  caller: Caller,
  p: Params,
  s: MockWorld.WorldState
) => Effect.Effect<HttpServerResponse.HttpServerResponse, Reply>

const authenticate = (ctx: RouteContext) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const clientId = req.headers["client-id"]
    const value = authorizationToken(req.headers["authorization"], ["bearer"])
    if (clientId === undefined || clientId === "" || value === undefined) {
      return yield* failHelix(401, "Missing Client ID or OAuth token")
    }
    const token = yield* ctx.world.validateToken(value).pipe(
      Effect.mapError((e) =>
        new Reply(helixError(401, e.reason === "ExpiredToken" ? "Token expired" : "Invalid OAuth token"))
      )
    )
    if (token.clientId !== clientId) return yield* failHelix(401, "Client ID and OAuth token do not match")
    const user = token.userId === undefined ? Option.none() : yield* ctx.world.userById(token.userId)
    return { token, user } satisfies Caller
  })

/** Authenticates the caller and takes a point from their bucket (per client id and user, or app). */
const authenticateAndTake = (ctx: RouteContext) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const auth = yield* Effect.either(authenticate(ctx))
    const key = Either.match(auth, {
      onLeft: () => `unauthenticated:${req.headers["client-id"] ?? ""}`,
      onRight: ({ token }) => `${token.clientId}:${token.userId ?? "app"}`
    })
    const bucket = yield* takeFromBucket(ctx, key)
    if (!bucket.allowed) {
      yield* ctx.control.increment(Control.counterNames.tooManyRequests)
    }
    return { auth, bucket }
  })

const rateLimited = (headers: Record<string, string>) =>
  helixError(429, "Rate limit exceeded; retry after the time in Ratelimit-Reset", headers)

/**
 * A fixed answer that still costs a point and carries the `Ratelimit-*` headers, as Helix counts
 * every request under `/helix` (unknown paths, removed endpoints).
 */
const counting = (ctx: RouteContext, response: HttpServerResponse.HttpServerResponse) =>
  Effect.map(
    authenticateAndTake(ctx),
    ({ bucket }) =>
      bucket.allowed ? HttpServerResponse.setHeaders(response, bucket.headers) : rateLimited(bucket.headers)
  )

/**
 * The answer to a path under `/helix` that no route matches: 404 with Twitch's error body
 * (`{"error":"Not Found","status":404,"message":""}`, the body Helix sends for a 404, e.g.
 * twitchdev/issues#643) and the `Ratelimit-*` headers, taking a point from the caller's bucket
 * like any other Helix request (429 once it is empty).
 *
 * @since 0.1.0
 * @category routers
 */
export const notFound = (
  ctx: RouteContext
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  counting(ctx, helixError(404, ""))

/** Wraps a Helix handler with authentication, the token bucket and its headers. */
const helix = (ctx: RouteContext, handler: Handler) =>
  Effect.gen(function*() {
    const { auth, bucket } = yield* authenticateAndTake(ctx)
    if (!bucket.allowed) return rateLimited(bucket.headers)
    const response = Either.isLeft(auth)
      ? auth.left.response
      : yield* replying(
        Effect.gen(function*() {
          const p = yield* params
          const s = yield* ctx.world.snapshot
          return yield* handler(auth.right, p, s)
        })
      )
    return HttpServerResponse.setHeaders(response, bucket.headers)
  })

const requireScope = (caller: Caller, scope: string): Effect.Effect<void, Reply> =>
  caller.token.scopes.includes(scope) ? Effect.void : failHelix(401, `Missing scope: ${scope}`)

const requireUser = (caller: Caller): Effect.Effect<MockWorld.User, Reply> =>
  Option.match(caller.user, {
    onNone: () => failHelix(401, "Missing User OAUTH Token"),
    onSome: Effect.succeed
  })

const page = <A>(data: ReadonlyArray<A>, cursor: string | undefined, extra: Record<string, unknown> = {}) =>
  json({ data, pagination: cursor === undefined ? {} : { cursor }, ...extra })

// ---------------------------------------------------------------------------------------------
// Wire shapes
// ---------------------------------------------------------------------------------------------

const indexes = (s: MockWorld.WorldState) => ({
  users: new Map(s.users.map((u) => [u.id, u])),
  games: new Map(s.games.map((g) => [g.id, g])),
  channels: new Map(s.channels.map((c) => [c.broadcasterId, c])),
  live: new Map(s.streams.map((x) => [x.userId, x]))
})

const visibleUser = (s: MockWorld.WorldState, u: MockWorld.User) =>
  !s.channels.some((c) => c.broadcasterId === u.id && c.suspended)

const userJson = (u: MockWorld.User, withEmail: boolean) => ({
  id: u.id,
  login: u.login,
  display_name: u.displayName,
  type: u.type,
  broadcaster_type: u.broadcasterType,
  description: u.description,
  profile_image_url: u.profileImageUrl,
  offline_image_url: u.offlineImageUrl,
  view_count: 0,
  ...(withEmail ? { email: u.email } : {}),
  created_at: u.createdAt
})

const gameJson = (g: MockWorld.Game) => ({
  id: g.id,
  name: g.name,
  box_art_url: g.boxArtUrl,
  igdb_id: g.igdbId
})

const streamJson = (ix: ReturnType<typeof indexes>, x: MockWorld.LiveStream) => {
  const user = ix.users.get(x.userId)
  const login = user?.login ?? ""
  return {
    id: x.id,
    user_id: x.userId,
    user_login: login,
    user_name: user?.displayName ?? "",
    game_id: x.gameId,
    game_name: ix.games.get(x.gameId)?.name ?? "",
    type: "live",
    title: x.title,
    tags: x.tags,
    viewer_count: x.viewerCount,
    started_at: x.startedAt,
    language: x.language,
    thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
    tag_ids: [],
    is_mature: false
  }
}

const byViewers = (a: MockWorld.LiveStream, b: MockWorld.LiveStream) =>
  b.viewerCount - a.viewerCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

const liveStreams = (s: MockWorld.WorldState) => {
  const suspended = new Set(s.channels.filter((c) => c.suspended).map((c) => c.broadcasterId))
  return s.streams.filter((x) => !suspended.has(x.userId)).sort(byViewers)
}

const emoteTemplate = (ctx: RouteContext) =>
  `${ctx.baseUrl}/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}`

const emoteBase = (ctx: RouteContext, e: MockWorld.Emote) => ({
  id: e.id,
  name: e.name,
  images: {
    url_1x: `${ctx.baseUrl}/emoticons/v2/${e.id}/static/light/1.0`,
    url_2x: `${ctx.baseUrl}/emoticons/v2/${e.id}/static/light/2.0`,
    url_4x: `${ctx.baseUrl}/emoticons/v2/${e.id}/static/light/3.0`
  },
  format: e.formats,
  scale: ["1.0", "2.0", "3.0"],
  theme_mode: ["light", "dark"]
})

// ---------------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------------

const topGames: Handler = (_caller, p, s) =>
  Effect.gen(function*() {
    const viewers = new Map<string, number>()
    for (const x of liveStreams(s)) viewers.set(x.gameId, (viewers.get(x.gameId) ?? 0) + x.viewerCount)
    const ordered = [...s.games].sort((a, b) =>
      (viewers.get(b.id) ?? 0) - (viewers.get(a.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    )
    const { cursor, data } = yield* paginate(p, ordered, { defaultFirst: 20, allowBefore: true })
    return page(data.map(gameJson), cursor)
  })

const games: Handler = (_caller, p, s) =>
  Effect.gen(function*() {
    const ids = p.getAll("id")
    const names = p.getAll("name")
    const igdb = p.getAll("igdb_id")
    if (ids.length + names.length + igdb.length === 0) {
      return yield* failHelix(400, "Missing required parameter: id, name or igdb_id")
    }
    yield* checkRepeats(p, ["id", "name", "igdb_id"], 100, true)
    const data = s.games.filter((g) =>
      ids.includes(g.id) || names.includes(g.name) || (g.igdbId !== "" && igdb.includes(g.igdbId))
    )
    return json({ data: data.map(gameJson) })
  })

const searchCategories: Handler = (_caller, p, s) =>
  Effect.gen(function*() {
    const query = p.get("query")
    if (query === undefined || query.trim() === "") {
      return yield* failHelix(400, "Missing required parameter \"query\"")
    }
    const parts = query.toLowerCase().split(/\s+/).filter((x) => x.length > 0)
    const matching = s.games.filter((g) => parts.every((part) => g.name.toLowerCase().includes(part)))
    const { cursor, data } = yield* paginate(p, matching, { defaultFirst: 20, allowBefore: false })
    return page(data.map((g) => ({ box_art_url: g.boxArtUrl, name: g.name, id: g.id })), cursor)
  })

const searchChannels: Handler = (_caller, p, s) =>
  Effect.gen(function*() {
    const query = p.get("query")
    if (query === undefined || query.trim() === "") {
      return yield* failHelix(400, "Missing required parameter \"query\"")
    }
    const liveOnlyRaw = p.get("live_only")
    if (liveOnlyRaw !== undefined && liveOnlyRaw !== "true" && liveOnlyRaw !== "false") {
      return yield* failHelix(400, "Invalid value for query parameter \"live_only\"")
    }
    const liveOnly = liveOnlyRaw === "true"
    const q = query.toLowerCase()
    const ix = indexes(s)
    // Twitch matches the query anywhere in the name (`panda` finds `calmpanda4`), case-insensitively,
    // and ranks names that are or start with it first. 0 = exact, 1 = prefix, 2 = inside, 3 = no match.
    const rank = (name: string) => {
      const at = name.toLowerCase().indexOf(q)
      return at < 0 ? 3 : at > 0 ? 2 : name.length === q.length ? 0 : 1
    }
    const ranks = new Map<string, number>()
    for (const c of s.channels) {
      const user = c.suspended ? undefined : ix.users.get(c.broadcasterId)
      if (user === undefined) continue
      if (!liveOnly) {
        ranks.set(c.broadcasterId, rank(user.login))
        continue
      }
      const stream = ix.live.get(c.broadcasterId)
      if (stream === undefined) continue
      const gameName = ix.games.get(stream.gameId)?.name ?? ""
      ranks.set(c.broadcasterId, Math.min(rank(user.login), rank(user.displayName), rank(gameName)))
    }
    const rankOf = (c: (typeof s.channels)[number]) => ranks.get(c.broadcasterId) ?? 3
    const ordered = s.channels.filter((c) => rankOf(c) < 3).sort((a, b) => {
      const la = ix.live.get(a.broadcasterId)?.viewerCount ?? -1
      const lb = ix.live.get(b.broadcasterId)?.viewerCount ?? -1
      return rankOf(a) - rankOf(b) || lb - la || (a.broadcasterId < b.broadcasterId ? -1 : 1)
    })
    const { cursor, data } = yield* paginate(p, ordered, { defaultFirst: 20, allowBefore: false })
    return page(
      data.map((c) => {
        const user = ix.users.get(c.broadcasterId)!
        const stream = ix.live.get(c.broadcasterId)
        const gameId = stream?.gameId ?? c.gameId
        return {
          broadcaster_language: c.language,
          broadcaster_login: user.login,
          display_name: user.displayName,
          game_id: gameId,
          game_name: ix.games.get(gameId)?.name ?? "",
          id: user.id,
          is_live: stream !== undefined,
          tag_ids: [],
          tags: c.tags,
          thumbnail_url: user.profileImageUrl,
          title: stream?.title ?? c.title,
          started_at: stream?.startedAt ?? ""
        }
      }),
      cursor
    )
  })

const streams: Handler = (_caller, p, s) =>
  Effect.gen(function*() {
    yield* checkRepeats(p, ["user_id", "user_login", "game_id", "language"])
    const type = p.get("type") ?? "all"
    if (type !== "all" && type !== "live") {
      return yield* failHelix(400, "Invalid value for query parameter \"type\"")
    }
    const ix = indexes(s)
    const userIds = p.getAll("user_id")
    const logins = p.getAll("user_login").map((l) => l.toLowerCase())
    const gameIds = p.getAll("game_id")
    const langs = p.getAll("language")
    const filtered = liveStreams(s).filter((x) => {
      if (userIds.length + logins.length > 0) {
        const login = ix.users.get(x.userId)?.login ?? ""
        if (!userIds.includes(x.userId) && !logins.includes(login)) return false
      }
      if (gameIds.length > 0 && !gameIds.includes(x.gameId)) return false
      if (langs.length > 0 && !langs.includes(x.language)) return false
      return true
    })
    const { cursor, data } = yield* paginate(p, filtered, { defaultFirst: 20, allowBefore: true })
    return page(data.map((x) => streamJson(ix, x)), cursor)
  })

const followedStreams: Handler = (caller, p, s) =>
  Effect.gen(function*() {
    yield* requireScope(caller, "user:read:follows")
    const user = yield* requireUser(caller)
    const userId = p.get("user_id")
    if (userId === undefined) return yield* failHelix(400, "Missing required parameter \"user_id\"")
    if (userId !== user.id) {
      return yield* failHelix(
        401,
        "The ID in user_id must match the user ID found in the request's OAuth token."
      )
    }
    const followed = new Set(s.follows.filter((f) => f.fromId === user.id).map((f) => f.toId))
    const ix = indexes(s)
    const live = liveStreams(s).filter((x) => followed.has(x.userId))
    const { cursor, data } = yield* paginate(p, live, { defaultFirst: 100, allowBefore: false })
    return page(data.map((x) => streamJson(ix, x)), cursor)
  })

const users: Handler = (caller, p, s) =>
  Effect.gen(function*() {
    const ids = p.getAll("id")
    const logins = p.getAll("login").map((l) => l.toLowerCase())
    yield* checkRepeats(p, ["id", "login"], 100, true)
    const canSeeEmail = (u: MockWorld.User) =>
      caller.token.userId === u.id && caller.token.scopes.includes("user:read:email")
    if (ids.length + logins.length === 0) {
      const user = yield* Option.match(caller.user, {
        onNone: () =>
          failHelix(400, "The id or login query parameter is required when using an app access token"),
        onSome: Effect.succeed
      })
      return json({ data: [userJson(user, canSeeEmail(user))] })
    }
    const data = s.users.filter((u) => (ids.includes(u.id) || logins.includes(u.login)) && visibleUser(s, u))
    return json({ data: data.map((u) => userJson(u, canSeeEmail(u))) })
  })

const channels: Handler = (caller, p, s) =>
  Effect.gen(function*() {
    const ids = p.getAll("broadcaster_id")
    if (ids.length === 0) return yield* failHelix(400, "Missing required parameter \"broadcaster_id\"")
    yield* checkRepeats(p, ["broadcaster_id"])
    const ix = indexes(s)
    const data = s.channels.filter((c) => ids.includes(c.broadcasterId) && !c.suspended).flatMap((c) => {
      const user = ix.users.get(c.broadcasterId)
      if (user === undefined) return []
      const ownPartner = caller.token.userId === c.broadcasterId && user.broadcasterType === "partner"
      return [{
        broadcaster_id: c.broadcasterId,
        broadcaster_login: user.login,
        broadcaster_name: user.displayName,
        broadcaster_language: c.language,
        game_name: ix.games.get(c.gameId)?.name ?? "",
        game_id: c.gameId,
        title: c.title,
        delay: ownPartner ? c.delay : 0,
        tags: c.tags,
        content_classification_labels: c.contentClassificationLabels,
        is_branded_content: c.isBrandedContent
      }]
    })
    return json({ data })
  })

const channelFollowers: Handler = (caller, p, s) =>
  Effect.gen(function*() {
    const user = yield* requireUser(caller)
    const broadcasterId = p.get("broadcaster_id")
    if (broadcasterId === undefined) {
      return yield* failHelix(400, "Missing required parameter \"broadcaster_id\"")
    }
    const filterUser = p.get("user_id")
    const channel = s.channels.find((c) => c.broadcasterId === broadcasterId)
    const all = s.follows
      .filter((f) => f.toId === broadcasterId && (filterUser === undefined || f.fromId === filterUser))
      .sort((a, b) => (a.followedAt < b.followedAt ? 1 : a.followedAt > b.followedAt ? -1 : 0))
    const privileged = caller.token.scopes.includes("moderator:read:followers") &&
      (user.id === broadcasterId || (channel?.moderators.includes(user.id) ?? false))
    const ix = indexes(s)
    const { cursor, data } = yield* paginate(p, privileged ? all : [], {
      defaultFirst: 20,
      allowBefore: false
    })
    return page(
      data.map((f) => {
        const follower = ix.users.get(f.fromId)
        return {
          followed_at: f.followedAt,
          user_id: f.fromId,
          user_login: follower?.login ?? "",
          user_name: follower?.displayName ?? ""
        }
      }),
      cursor,
      { total: all.length }
    )
  })

const globalEmotes = (ctx: RouteContext): Handler => (_caller, _p, s) =>
  Effect.succeed(json({
    data: s.emotes.filter((e) => e.ownerId === "0").map((e) => emoteBase(ctx, e)),
    template: emoteTemplate(ctx)
  }))

const channelEmotes = (ctx: RouteContext): Handler => (_caller, p, s) =>
  Effect.gen(function*() {
    const broadcasterId = p.get("broadcaster_id")
    if (broadcasterId === undefined) {
      return yield* failHelix(400, "Missing required parameter \"broadcaster_id\"")
    }
    const data = s.emotes.filter((e) => e.ownerId === broadcasterId).map((e) => ({
      ...emoteBase(ctx, e),
      tier: e.type === "subscriptions" ? (e.tier ?? "1000") : "",
      emote_type: e.type,
      emote_set_id: e.setId
    }))
    return json({ data, template: emoteTemplate(ctx) })
  })

const emoteSets = (ctx: RouteContext): Handler => (_caller, p, s) =>
  Effect.gen(function*() {
    const setIds = p.getAll("emote_set_id")
    if (setIds.length === 0) return yield* failHelix(400, "Missing required parameter \"emote_set_id\"")
    yield* checkRepeats(p, ["emote_set_id"], 25)
    const data = s.emotes.filter((e) => setIds.includes(e.setId)).map((e) => ({
      ...emoteBase(ctx, e),
      emote_type: e.type,
      emote_set_id: e.setId,
      owner_id: e.ownerId
    }))
    return json({ data, template: emoteTemplate(ctx) })
  })

const userEmotes = (ctx: RouteContext): Handler => (caller, p, s) =>
  Effect.gen(function*() {
    yield* requireScope(caller, "user:read:emotes")
    const user = yield* requireUser(caller)
    const userId = p.get("user_id")
    if (userId === undefined) return yield* failHelix(400, "Missing required parameter \"user_id\"")
    if (userId !== user.id) {
      return yield* failHelix(
        401,
        "The ID in user_id must match the user ID found in the request's OAuth token."
      )
    }
    const subscribed = new Set(
      s.channels.filter((c) => c.subscribers.some((x) => x.userId === user.id)).map((c) => c.broadcasterId)
    )
    const followed = new Set(s.follows.filter((f) => f.fromId === user.id).map((f) => f.toId))
    const broadcasterId = p.get("broadcaster_id")
    const usable = s.emotes.filter((e) =>
      e.ownerId === "0" ||
      e.ownerId === user.id ||
      (e.type === "subscriptions" && subscribed.has(e.ownerId)) ||
      (e.type === "follower" && (followed.has(e.ownerId) || e.ownerId === broadcasterId))
    )
    const { cursor, data } = yield* paginate(p, usable, { defaultFirst: 100, allowBefore: false })
    return page(
      data.map((e) => ({
        id: e.id,
        name: e.name,
        emote_type: e.type,
        emote_set_id: e.setId,
        owner_id: e.ownerId,
        format: e.formats,
        scale: ["1.0", "2.0", "3.0"],
        theme_mode: ["light", "dark"]
      })),
      cursor,
      { template: emoteTemplate(ctx) }
    )
  })

const chatters: Handler = (caller, p, s) =>
  Effect.gen(function*() {
    yield* requireScope(caller, "moderator:read:chatters")
    const user = yield* requireUser(caller)
    const broadcasterId = p.get("broadcaster_id")
    const moderatorId = p.get("moderator_id")
    if (broadcasterId === undefined || moderatorId === undefined) {
      return yield* failHelix(400, "Missing required parameter \"broadcaster_id\" or \"moderator_id\"")
    }
    if (moderatorId !== user.id) {
      return yield* failHelix(
        401,
        "The ID in moderator_id must match the user ID found in the request's OAuth token."
      )
    }
    const channel = s.channels.find((c) => c.broadcasterId === broadcasterId)
    if (channel === undefined) return yield* failHelix(400, "Invalid broadcaster_id")
    if (user.id !== broadcasterId && !channel.moderators.includes(user.id)) {
      return yield* failHelix(403, "The user in moderator_id is not one of the broadcaster's moderators.")
    }
    const ix = indexes(s)
    const present = s.chatters.filter((c) => c.channelId === broadcasterId).flatMap((c) => {
      const u = ix.users.get(c.userId)
      return u === undefined ? [] : [{ user_id: u.id, user_login: u.login, user_name: u.displayName }]
    })
    const { cursor, data } = yield* paginate(p, present, { defaultFirst: 100, allowBefore: false, max: 1000 })
    return page(data, cursor, { total: present.length })
  })

const gone = json({ error: "Gone", status: 410, message: "The API is deprecated." }, 410)

/**
 * The Helix routes, relative to their mount point (`/helix` or `/mock`).
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> => {
  const get = (path: `/${string}`, handler: Handler) =>
    HttpRouter.get(path, counted("GET", `/helix${path}`, helix(ctx, handler)))
  return HttpRouter.empty.pipe(
    get("/games/top", topGames),
    get("/games", games),
    get("/search/categories", searchCategories),
    get("/search/channels", searchChannels),
    get("/streams", streams),
    get("/streams/followed", followedStreams),
    get("/users", users),
    get("/channels", channels),
    get("/channels/followers", channelFollowers),
    get("/chat/emotes/global", globalEmotes(ctx)),
    get("/chat/emotes", channelEmotes(ctx)),
    get("/chat/emotes/set", emoteSets(ctx)),
    get("/chat/emotes/user", userEmotes(ctx)),
    get("/chat/chatters", chatters),
    HttpRouter.get("/users/follows", counted("GET", "/helix/users/follows", counting(ctx, gone))),
    HttpRouter.get("/tags/streams", counted("GET", "/helix/tags/streams", counting(ctx, gone))),
    HttpRouter.get("/streams/tags", counted("GET", "/helix/streams/tags", counting(ctx, gone)))
  )
}
