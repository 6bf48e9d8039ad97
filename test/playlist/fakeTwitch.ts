/**
 * A scripted stand-in for Twitch's GQL, usher and emote CDN, for the wire details the mock Twitch
 * does not expose or produce: it records every request (headers, body) and answers a failed
 * integrity check, a media playlist where a master is expected, and HTML where an image is.
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
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { fixture } from "./fixtures.js"

export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly params: URLSearchParams
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: string
}

export class FakeTwitch extends Context.Tag("test/playlist/FakeTwitch")<FakeTwitch, {
  readonly seen: Effect.Effect<ReadonlyArray<SeenRequest>>
}>() {}

export const seen = Effect.flatMap(FakeTwitch, (f) => f.seen)

/** A 1x1 transparent PNG. */
export const png = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0)
)

/** A minimal GIF89a header and trailer. */
export const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b])

const live: Record<string, { readonly playlist: string }> = {
  livev2: { playlist: "live-usher-v2.m3u8" },
  // Answers 401 "failed integrity check" unless a Client-Integrity header is sent.
  integrity: { playlist: "live-usher-v2.m3u8" },
  // Usher answers a media playlist where a master is expected.
  garbage: { playlist: "media-playlist.m3u8" }
}

const tokenValue = (fields: Record<string, unknown>) =>
  JSON.stringify({
    authorization: { forbidden: false, reason: "" },
    expires: 1790001200,
    geoblock_reason: "",
    user_id: null,
    version: 2,
    ...fields
  })

const handle = (request: SeenRequest): HttpServerResponse.HttpServerResponse => {
  if (request.method === "POST" && request.path === "/gql") {
    const body = JSON.parse(request.body) as {
      variables: { isLive: boolean; login: string; isVod: boolean; vodID: string }
    }
    const v = body.variables
    if (v.isLive) {
      if (v.login === "integrity" && request.headers["client-integrity"] === undefined) {
        return HttpServerResponse.unsafeJson({ errors: [{ message: "failed integrity check" }] }, {
          status: 401
        })
      }
      const entry = Object.hasOwn(live, v.login) ? live[v.login] : undefined
      const token = entry && {
        value: tokenValue({
          channel: v.login,
          channel_id: 1234,
          chansub: { restricted_bitrates: [], view_until: 1924905600 }
        }),
        signature: "5ig" + v.login
      }
      return HttpServerResponse.unsafeJson({ data: { streamPlaybackAccessToken: token ?? null } })
    }
    return HttpServerResponse.unsafeJson({ data: { videoPlaybackAccessToken: null } })
  }
  const liveMatch = /^\/api\/v2\/channel\/hls\/([^/]+)\.m3u8$/.exec(request.path)
  if (request.method === "GET" && liveMatch) {
    const login = liveMatch[1]!
    if (request.params.get("sig") !== `5ig${login}` || request.params.get("token") === null) {
      return HttpServerResponse.unsafeJson({ error: "Forbidden", status: 403 }, { status: 403 })
    }
    const entry = Object.hasOwn(live, login) ? live[login] : undefined
    if (!entry) return HttpServerResponse.text("Not found", { status: 404 })
    return HttpServerResponse.text(fixture(entry.playlist), { contentType: "application/vnd.apple.mpegurl" })
  }
  const cdnMatch = /^\/emoticons\/v2\/([^/]+)\/(static|animated|default)\/(light|dark)\/(1\.0|2\.0|3\.0)$/
    .exec(
      request.path
    )
  if (request.method === "GET" && cdnMatch) {
    const [, id, format] = cdnMatch
    if (id === "25" && format === "static") {
      return HttpServerResponse.uint8Array(png, { contentType: "image/png" })
    }
    if (id === "html") return HttpServerResponse.html("<html>oops</html>")
  }
  return HttpServerResponse.text("Not Found", { status: 404 })
}

/** The fake server, a config pointing at it, and undici as the HttpClient. */
export const layer = Layer.scopedContext(Effect.gen(function*() {
  const requests = yield* Ref.make<ReadonlyArray<SeenRequest>>([])
  const app = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://127.0.0.1")
    const body = request.method === "POST" ? yield* request.text : ""
    const entry: SeenRequest = {
      method: request.method,
      path: url.pathname,
      params: url.searchParams,
      headers: request.headers,
      body
    }
    yield* Ref.update(requests, (all) => [...all, entry])
    return handle(entry)
  }).pipe(Effect.orDie)
  yield* HttpServer.serveEffect(app)
  const base = yield* HttpServer.addressWith((a) =>
    Effect.succeed(a._tag === "TcpAddress" ? `http://127.0.0.1:${a.port}` : "")
  )
  return Context.make(FakeTwitch, { seen: Ref.get(requests) }).pipe(
    Context.add(
      TwitchConfig.TwitchConfig,
      TwitchConfig.make({
        clientId: "appclientid",
        gqlUrl: `${base}/gql`,
        usherUrl: base,
        emoteCdnUrl: `${base}/emoticons/v2`
      })
    )
  )
})).pipe(
  Layer.provide(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)
