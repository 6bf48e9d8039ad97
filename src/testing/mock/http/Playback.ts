/**
 * The mock's GQL `PlaybackAccessToken` (persisted-query and `PlaybackAccessToken_Template` forms,
 * live and VOD) and usher: master playlists in both shapes Twitch serves (v1 with `EXT-X-MEDIA`,
 * v2 with `IVS-NAME`/`STABLE-VARIANT-ID`; see `PlaybackMasters`), checked against the signed token
 * GQL issued; 404 for offline channels, 403 `content_geoblocked`, subscriber-only qualities left
 * out, HEVC and AV1 renditions only for a request whose `supported_codecs` asks for them. Media playlists
 * and MPEG-TS segments (null packets) are served too, so variant URLs resolve.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { createHmac, timingSafeEqual } from "node:crypto"
import * as Control from "../Control.js"
import * as MockWorld from "../World.js"
import * as PlaybackMasters from "./PlaybackMasters.js"
import { authorizationToken, type Counted, json, type Params, params, type RouteContext } from "./shared.js"

/**
 * Persisted-query hashes of `PlaybackAccessToken` the mock accepts (current and previous).
 *
 * @since 0.1.0
 * @category constants
 */
export const persistedQueryHashes: ReadonlyArray<string> = [
  "ed230aa1e33e07eebb8928504583da78a5173989fadfb1ac94be06a04f3cdbe9",
  "0828119ded1c13477966434e15800ff57ddacf13ba1911c129dc2200705b0712"
]

/**
 * How long a playback access token is valid (seconds).
 *
 * @since 0.1.0
 * @category constants
 */
export const playbackTokenLifetime = 1200

const Operation = Schema.Struct({
  operationName: Schema.optional(Schema.String),
  query: Schema.optional(Schema.String),
  variables: Schema.optional(Schema.Struct({
    login: Schema.optional(Schema.NullOr(Schema.String)),
    isLive: Schema.optional(Schema.Boolean),
    isVod: Schema.optional(Schema.Boolean),
    vodID: Schema.optional(Schema.NullOr(Schema.String)),
    playerType: Schema.optional(Schema.String),
    platform: Schema.optional(Schema.String)
  })),
  extensions: Schema.optional(Schema.Struct({
    persistedQuery: Schema.optional(Schema.Struct({ version: Schema.Number, sha256Hash: Schema.String }))
  }))
})
type Operation = typeof Operation.Type

const Body = Schema.Union(Operation, Schema.Array(Operation))
const decodeBody = Schema.decodeUnknownEither(Body)

/** The fields of a token value the mock reads back. */
const TokenValue = Schema.Struct({
  channel: Schema.optional(Schema.String),
  vod_id: Schema.optional(Schema.Number),
  expires: Schema.Number,
  subscriber: Schema.optional(Schema.Boolean)
})
const decodeTokenValue = Schema.decodeUnknownOption(Schema.parseJson(TokenValue))

const sign = (key: string, value: string) => createHmac("sha1", key).update(value).digest("hex")

const verify = (key: string, value: string, signature: string): boolean => {
  const expected = Buffer.from(sign(key, value), "utf8")
  const given = Buffer.from(signature, "utf8")
  return expected.length === given.length && timingSafeEqual(expected, given)
}

const gqlError = (status: number, message: string) =>
  json({ error: status === 401 ? "Unauthorized" : "Bad Request", status, message }, status)

const isPlaybackOperation = (op: Operation) => {
  if (op.operationName === "PlaybackAccessToken") {
    return op.extensions?.persistedQuery === undefined ||
      persistedQueryHashes.includes(op.extensions.persistedQuery.sha256Hash)
  }
  return op.operationName === "PlaybackAccessToken_Template" ||
    (op.query !== undefined && /(stream|video)PlaybackAccessToken/.test(op.query))
}

const gql = (ctx: RouteContext) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const clientId = req.headers["client-id"]
    if (clientId === undefined || clientId === "") {
      return gqlError(400, "The \"Client-ID\" header is missing from the request.")
    }
    const known = clientId === MockWorld.webClientId || Option.isSome(yield* ctx.world.client(clientId))
    if (!known) return gqlError(400, "The \"Client-ID\" header is invalid.")
    const authHeader = req.headers["authorization"]
    let viewer: Option.Option<MockWorld.Token> = Option.none()
    if (authHeader !== undefined) {
      const value = authorizationToken(authHeader)
      const token = value === undefined ? undefined : yield* Effect.option(ctx.world.validateToken(value))
      if (token === undefined || Option.isNone(token)) {
        return gqlError(401, "The \"Authorization\" token is invalid.")
      }
      viewer = token
    }
    const raw = yield* Effect.orElseSucceed(req.json, () => undefined)
    const body = decodeBody(raw)
    if (body._tag === "Left") {
      return json({ errors: [{ message: "The request body is not a GQL operation." }] }, 400)
    }
    const ops: ReadonlyArray<Operation> = Array.isArray(body.right) ? body.right : [body.right as Operation]
    const results: Array<unknown> = []
    for (const op of ops) results.push(yield* answer(ctx, op, viewer))
    return json(Array.isArray(body.right) ? results : results[0])
  })

const answer = (ctx: RouteContext, op: Operation, viewer: Option.Option<MockWorld.Token>) =>
  Effect.gen(function*() {
    if (!isPlaybackOperation(op)) {
      return op.extensions?.persistedQuery !== undefined
        ? { errors: [{ message: "PersistedQueryNotFound" }] }
        : { errors: [{ message: `unsupported operation ${op.operationName ?? ""}`.trim() }] }
    }
    const vars = op.variables ?? {}
    const operationName = op.operationName ?? "PlaybackAccessToken"
    const data: Record<string, unknown> = {}
    if (vars.isLive === true) {
      data.streamPlaybackAccessToken = yield* liveToken(ctx, vars.login ?? "", viewer, vars)
    }
    if (vars.isVod === true) data.videoPlaybackAccessToken = yield* vodToken(ctx, vars.vodID ?? "", viewer)
    return { data, extensions: { operationName, requestID: "mock" } }
  })

const liveToken = (
  ctx: RouteContext,
  login: string,
  viewer: Option.Option<MockWorld.Token>,
  vars: { readonly playerType?: string | undefined; readonly platform?: string | undefined }
) =>
  Effect.gen(function*() {
    const user = yield* ctx.world.userByLogin(login)
    if (Option.isNone(user)) return null
    const channel = yield* ctx.world.channel(user.value.id)
    const stream = yield* ctx.world.stream(user.value.id)
    if (Option.isNone(stream) || Option.isNone(channel) || channel.value.suspended) return null
    const now = yield* Clock.currentTimeMillis
    const viewerId = Option.flatMap(viewer, (t) => Option.fromNullable(t.userId))
    const subscriber = Option.match(viewerId, {
      onNone: () => false,
      onSome: (id) => id === user.value.id || channel.value.subscribers.some((s) => s.userId === id)
    })
    const game = yield* ctx.world.game(stream.value.gameId)
    const value = JSON.stringify({
      adblock: false,
      authorization: { forbidden: false, reason: "" },
      blackout_enabled: false,
      channel: user.value.login,
      channel_id: Number(user.value.id),
      chansub: { restricted_bitrates: stream.value.restrictedQualities, view_until: 1924905600 },
      ci_gb: false,
      geoblock_reason: stream.value.geoBlocked ? "content_geoblocked" : "",
      device_id: null,
      expires: Math.floor(now / 1000) + playbackTokenLifetime,
      extended_history_allowed: false,
      game: Option.match(game, { onNone: () => "", onSome: (g) => g.name }),
      hide_ads: false,
      https_required: true,
      mature: false,
      partner: user.value.broadcasterType === "partner",
      platform: vars.platform ?? "web",
      player_type: vars.playerType ?? "embed",
      private: { allowed_to_view: true },
      privileged: false,
      role: "",
      server_ads: true,
      show_ads: true,
      subscriber,
      turbo: false,
      user_id: Option.match(viewerId, { onNone: () => null, onSome: Number }),
      user_ip: "127.0.0.1",
      version: 2
    })
    yield* ctx.control.increment(Control.counterNames.playbackTokens)
    return { value, signature: sign(ctx.signingKey, value), __typename: "PlaybackAccessToken" }
  })

const vodToken = (ctx: RouteContext, vodId: string, viewer: Option.Option<MockWorld.Token>) =>
  Effect.gen(function*() {
    const vod = yield* ctx.world.vod(vodId)
    if (Option.isNone(vod)) return null
    const now = yield* Clock.currentTimeMillis
    const viewerId = Option.getOrNull(Option.flatMap(viewer, (t) => Option.fromNullable(t.userId)))
    const channel = yield* ctx.world.channel(vod.value.userId)
    const subscriber = viewerId !== null && (viewerId === vod.value.userId || Option.match(channel, {
      onNone: () => false,
      onSome: (c) => c.subscribers.some((s) => s.userId === viewerId)
    }))
    const value = JSON.stringify({
      authorization: { forbidden: false, reason: "" },
      chansub: { restricted_bitrates: vod.value.restrictedQualities },
      device_id: null,
      expires: Math.floor(now / 1000) + playbackTokenLifetime,
      https_required: true,
      privileged: false,
      subscriber,
      user_id: viewerId === null ? null : Number(viewerId),
      version: 2,
      vod_id: Number(vod.value.id)
    })
    yield* ctx.control.increment(Control.counterNames.playbackTokens)
    return { value, signature: sign(ctx.signingKey, value), __typename: "PlaybackAccessToken" }
  })

// ---------------------------------------------------------------------------------------------
// Usher
// ---------------------------------------------------------------------------------------------

const usherError = (url: string, status: number, error: string, code: string) =>
  json([{ url, error, error_code: code, type: "error" }], status)

const offline = (url: string) =>
  usherError(url, 404, "twirp error not_found: transcode does not exist", "transcode_does_not_exist")

const playlistResponse = (body: string) =>
  HttpServerResponse.text(body, { contentType: "application/vnd.apple.mpegurl" })

const credentials = (p: { readonly get: (key: string) => string | undefined }) => ({
  value: p.get("token") ?? p.get("nauth"),
  signature: p.get("sig") ?? p.get("nauthsig")
})

/**
 * Picks the renditions a token may see, honouring `allow_source`, `allow_audio_only` and
 * `supported_codecs`.
 */
const visible = (
  qualities: ReadonlyArray<MockWorld.Quality>,
  restricted: ReadonlyArray<string>,
  subscriber: boolean,
  p: { readonly get: (key: string) => string | undefined }
) =>
  qualities.filter((q) =>
    (subscriber || !restricted.includes(q.name)) &&
    !(q.source && p.get("allow_source") === "false") &&
    !(q.audioOnly && p.get("allow_audio_only") !== "true") &&
    PlaybackMasters.served(q, p.get("supported_codecs"))
  )

const shapeFor = (ctx: RouteContext, pathIsV2: boolean) =>
  Effect.map(ctx.control.usherShape, (shape) => shape === "auto" ? (pathIsV2 ? "v2" : "v1") : shape)

const file = (name: string | undefined): string | undefined =>
  name !== undefined && name.endsWith(".m3u8") ? name.slice(0, -5) : undefined

/**
 * What a live stream and a VOD share when usher serves their master playlist: the signed token
 * must be ours, unexpired and for this target; geo-blocked content is refused; the renditions the
 * token may see are listed in the shape in force.
 */
const serveMaster = (
  ctx: RouteContext,
  p: Params,
  url: string,
  target: {
    readonly id: string
    readonly kind: "live" | "vod"
    readonly geoBlocked: boolean
    readonly qualities: ReadonlyArray<MockWorld.Quality>
    readonly restrictedQualities: ReadonlyArray<string>
    readonly tokenIsFor: (token: typeof TokenValue.Type) => boolean
  },
  v2: boolean
) =>
  Effect.gen(function*() {
    const { signature, value } = credentials(p)
    const now = yield* Clock.currentTimeMillis
    const decoded = value !== undefined && signature !== undefined && verify(ctx.signingKey, value, signature)
      ? decodeTokenValue(value)
      : Option.none()
    if (Option.isNone(decoded) || !target.tokenIsFor(decoded.value) || decoded.value.expires * 1000 <= now) {
      return usherError(url, 403, "Unauthorized", "unauthorized")
    }
    if (target.geoBlocked) {
      return usherError(url, 403, "Content Restricted In Region", "content_geoblocked")
    }
    const renditions = visible(
      target.qualities,
      target.restrictedQualities,
      decoded.value.subscriber === true,
      p
    )
      .map((quality) => ({
        quality,
        url: `${ctx.baseUrl}/hls/${target.kind}/${target.id}/${quality.groupId}/index.m3u8`
      }))
    const info = { broadcastId: target.id, serverTime: now / 1000, vod: target.kind === "vod" }
    const shape = yield* shapeFor(ctx, v2)
    return playlistResponse(
      shape === "v2" ? PlaybackMasters.masterV2(renditions, info) : PlaybackMasters.masterV1(renditions, info)
    )
  })

const liveMaster = (ctx: RouteContext, v2: boolean) =>
  Effect.gen(function*() {
    const p = yield* params
    const url = `${ctx.baseUrl}${p.url.pathname}`
    const login = file((yield* HttpRouter.params).file)?.toLowerCase()
    if (login === undefined) return offline(url)
    const user = yield* ctx.world.userByLogin(login)
    if (Option.isNone(user)) return offline(url)
    const channel = yield* ctx.world.channel(user.value.id)
    const stream = yield* ctx.world.stream(user.value.id)
    if (Option.isNone(stream) || Option.isNone(channel) || channel.value.suspended) return offline(url)
    return yield* serveMaster(ctx, p, url, {
      ...stream.value,
      kind: "live",
      tokenIsFor: (token) => token.channel?.toLowerCase() === login
    }, v2)
  })

const vodMaster = (ctx: RouteContext, v2: boolean) =>
  Effect.gen(function*() {
    const p = yield* params
    const url = `${ctx.baseUrl}${p.url.pathname}`
    const id = file((yield* HttpRouter.params).file)
    const vod = id === undefined ? Option.none() : yield* ctx.world.vod(id)
    if (Option.isNone(vod)) {
      return usherError(url, 404, "twirp error not_found: vod does not exist", "vod_manifest_restricted")
    }
    return yield* serveMaster(ctx, p, url, {
      ...vod.value,
      kind: "vod",
      tokenIsFor: (token) => String(token.vod_id) === vod.value.id
    }, v2)
  })

const SEGMENT_SECONDS = 2

const liveMedia = (ctx: RouteContext) =>
  Effect.gen(function*() {
    const { group, id } = yield* HttpRouter.params
    const streams = yield* ctx.world.streams
    const stream = streams.find((x) => x.id === id)
    if (stream === undefined || group === undefined || !stream.qualities.some((q) => q.groupId === group)) {
      return HttpServerResponse.text("Not found", { status: 404 })
    }
    const now = yield* Clock.currentTimeMillis
    const started = Date.parse(stream.startedAt)
    const head = Math.max(0, Math.floor((now - started) / 1000 / SEGMENT_SECONDS))
    const first = Math.max(0, head - 5)
    const segment = (n: number) => `${ctx.baseUrl}/hls/segment/${stream.id}-${group}-${n}.ts`
    const lines = [
      "#EXTM3U",
      "#EXT-X-VERSION:3",
      `#EXT-X-TARGETDURATION:${SEGMENT_SECONDS}`,
      `#EXT-X-MEDIA-SEQUENCE:${first}`,
      `#EXT-X-TWITCH-LIVE-SEQUENCE:${head}`
    ]
    for (let n = first; n <= head; n++) {
      lines.push(
        `#EXT-X-PROGRAM-DATE-TIME:${new Date(started + n * SEGMENT_SECONDS * 1000).toISOString()}`,
        `#EXTINF:${SEGMENT_SECONDS.toFixed(3)},live`,
        segment(n)
      )
    }
    lines.push(`#EXT-X-TWITCH-PREFETCH:${segment(head + 1)}`)
    return playlistResponse(lines.join("\n") + "\n")
  })

const vodMedia = (ctx: RouteContext) =>
  Effect.gen(function*() {
    const { group, id } = yield* HttpRouter.params
    const vod = yield* ctx.world.vod(id ?? "")
    if (Option.isNone(vod) || group === undefined || !vod.value.qualities.some((q) => q.groupId === group)) {
      return HttpServerResponse.text("Not found", { status: 404 })
    }
    const target = 10
    const count = Math.ceil(vod.value.durationSeconds / target)
    const lines = [
      "#EXTM3U",
      "#EXT-X-VERSION:3",
      `#EXT-X-TARGETDURATION:${target}`,
      "#EXT-X-PLAYLIST-TYPE:VOD"
    ]
    for (let n = 0; n < count; n++) {
      const length = Math.min(target, vod.value.durationSeconds - n * target)
      lines.push(
        `#EXTINF:${length.toFixed(3)},`,
        `${ctx.baseUrl}/hls/segment/${vod.value.id}-${group}-${n}.ts`
      )
    }
    lines.push("#EXT-X-ENDLIST")
    return playlistResponse(lines.join("\n") + "\n")
  })

/** Seven MPEG-TS null packets: a valid, empty transport-stream segment. */
const nullSegment = (() => {
  const packet = Buffer.alloc(188, 0xFF)
  packet[0] = 0x47
  packet[1] = 0x1F
  packet[2] = 0xFF
  packet[3] = 0x10
  return Buffer.concat(Array.from({ length: 7 }, () => packet))
})()

const segment = HttpServerResponse.uint8Array(nullSegment, { contentType: "video/mp2t" })

/**
 * GQL and usher routes (at the server root).
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> =>
  HttpRouter.empty.pipe(
    HttpRouter.post("/gql", counted("POST", "/gql", gql(ctx))),
    HttpRouter.get(
      "/api/v2/channel/hls/:file",
      counted("GET", "/api/v2/channel/hls/:login.m3u8", liveMaster(ctx, true))
    ),
    HttpRouter.get(
      "/api/channel/hls/:file",
      counted("GET", "/api/channel/hls/:login.m3u8", liveMaster(ctx, false))
    ),
    HttpRouter.get("/vod/v2/:file", counted("GET", "/vod/v2/:id.m3u8", vodMaster(ctx, true))),
    HttpRouter.get("/vod/:file", counted("GET", "/vod/:id.m3u8", vodMaster(ctx, false))),
    HttpRouter.get("/hls/live/:id/:group/index.m3u8", counted("GET", "/hls/live/media", liveMedia(ctx))),
    HttpRouter.get("/hls/vod/:id/:group/index.m3u8", counted("GET", "/hls/vod/media", vodMedia(ctx))),
    HttpRouter.get("/hls/segment/:name", counted("GET", "/hls/segment", Effect.succeed(segment)))
  )
