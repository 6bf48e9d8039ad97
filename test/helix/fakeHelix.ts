/**
 * A scripted Helix stand-in for transport tests: a real HTTP server on 127.0.0.1 whose answers a
 * test chooses per request, recording every request it saw.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { createServer } from "node:http"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as Helix from "../../src/helix/Helix.js"
import type * as HelixClient from "../../src/helix/HelixClient.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"

export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly params: URLSearchParams
  readonly headers: Readonly<Record<string, string | undefined>>
}

export interface Reply {
  readonly status?: number
  readonly body?: unknown
  /** Sent as is instead of JSON. */
  readonly text?: string
  readonly headers?: Record<string, string>
}

export class FakeHelix extends Context.Tag("test/FakeHelix")<FakeHelix, {
  readonly seen: Effect.Effect<ReadonlyArray<SeenRequest>>
}>() {}

export const TOKEN = "supersecrettokenvalue12345"
export const CLIENT_ID = "fakeclientid0123456789abcdefghij"

/** All requests the server saw so far. */
export const seen = Effect.flatMap(FakeHelix, (f) => f.seen)

const serverLayer = (handler: (request: SeenRequest, index: number) => Effect.Effect<Reply>) =>
  Layer.scopedContext(Effect.gen(function*() {
    const requests = yield* Ref.make<ReadonlyArray<SeenRequest>>([])
    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://127.0.0.1")
      const entry: SeenRequest = {
        method: request.method,
        path: url.pathname,
        params: url.searchParams,
        headers: request.headers
      }
      const index = yield* Ref.modify(requests, (all) => [all.length, [...all, entry]] as const)
      const reply = yield* handler(entry, index)
      const headers = { ...reply.headers }
      if (reply.text !== undefined) {
        return HttpServerResponse.text(reply.text, { status: reply.status ?? 200, headers })
      }
      return yield* HttpServerResponse.json(reply.body ?? {}, { status: reply.status ?? 200, headers })
    }).pipe(Effect.orDie)
    yield* HttpServer.serveEffect(app)
    const port = yield* HttpServer.addressWith((a) => Effect.succeed(a._tag === "TcpAddress" ? a.port : 0))
    return Context.make(FakeHelix, { seen: Ref.get(requests) }).pipe(
      Context.add(
        TwitchConfig.TwitchConfig,
        TwitchConfig.make({ clientId: CLIENT_ID, helixUrl: `http://127.0.0.1:${port}/helix` })
      )
    )
  })).pipe(Layer.provide(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })))

/**
 * Everything a Helix service test needs: the scripted server, a config pointing at it, a token
 * (a static one unless given; `null` for none) and the Helix layers over undici.
 */
export const layer = (
  handler: (request: SeenRequest, index: number) => Effect.Effect<Reply>,
  options: {
    readonly token?: AccessToken.AccessToken | null
    readonly helix?: HelixClient.HelixClient.Options
  } = {}
) => {
  const auth = options.token === null
    ? TwitchAuth.layerNone
    : TwitchAuth.layerStatic(options.token ?? AccessToken.make(TOKEN))
  return Helix.layer(options.helix).pipe(
    Layer.provideMerge(auth),
    Layer.provideMerge(serverLayer(handler)),
    Layer.provide(NodeHttpClient.layerUndici)
  )
}

/** A Helix `Stream` object on the wire. */
export const wireStream = (n: number, overrides: Record<string, unknown> = {}) => ({
  id: `s${n}`,
  user_id: `${1000 + n}`,
  user_login: `user${n}`,
  user_name: `User${n}`,
  game_id: "509658",
  game_name: "Just Chatting",
  type: "live",
  title: `stream ${n}`,
  tags: ["English"],
  viewer_count: 10_000 - n,
  started_at: "2026-11-27T10:00:00Z",
  language: "en",
  thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_user${n}-{width}x{height}.jpg`,
  tag_ids: [],
  is_mature: false,
  ...overrides
})

/** A Helix `User` object on the wire. */
export const wireUser = (login: string, id = `${login.length}${login}`) => ({
  id,
  login,
  display_name: login.toUpperCase(),
  type: "",
  broadcaster_type: "",
  description: "",
  profile_image_url: "https://example.invalid/p.png",
  offline_image_url: "",
  view_count: 0,
  created_at: "2020-01-01T00:00:00Z"
})

/** Helix's 429 answer with an empty bucket that is full again at `resetSeconds` (epoch seconds). */
export const tooManyRequests = (resetSeconds: number): Reply => ({
  status: 429,
  body: { error: "Too Many Requests", status: 429, message: "Too Many Requests" },
  headers: { "Ratelimit-Limit": "800", "Ratelimit-Remaining": "0", "Ratelimit-Reset": String(resetSeconds) }
})
