/**
 * The plumbing of the third-party emote services: one GET through the library's HTTP pipeline
 * (time limit, a retry of transient failures, metrics), a 404 read as "not known", other statuses
 * and bodies mapped to `EmoteProviderError`, and the cache of answers (Effect's `Cache`: on the
 * `Clock`, one lookup per key however many wait, failures kept shorter than answers).
 *
 * Spans: `emotes.fetch` around each GET (`emotes.provider`, `url.full`, `http.response.status_code`;
 * these services take no secrets), inside `emotes.<provider>.global` or `emotes.<provider>.channel`
 * (`twitch.channel_id`) around each read the cache makes (a cached answer starts none).
 *
 * @since 0.1.0
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cache from "effect/Cache"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { parseJson } from "../../internal/http/failure.js"
import * as HttpPipeline from "../../internal/http/pipeline.js"
import type { EmoteProvider } from "../EmoteProvider.js"
import { EmoteProviderError } from "../EmoteProviderError.js"
import { EmotesConfig } from "../EmotesConfig.js"
import type { Provider, ThirdPartyEmote } from "../ThirdPartyEmote.js"

/**
 * Reads JSON answers of one provider.
 *
 * @since 0.1.0
 * @internal
 */
export type GetJson = <A, I>(
  url: string,
  schema: Schema.Schema<A, I>
) => Effect.Effect<Option.Option<A>, EmoteProviderError>

/**
 * A {@link GetJson} for a provider on the `HttpClient` in context.
 *
 * @since 0.1.0
 * @internal
 */
export const getJson = (
  provider: Provider
): Effect.Effect<GetJson, never, HttpClient.HttpClient | EmotesConfig> =>
  Effect.gen(function*() {
    const config = yield* EmotesConfig
    const client = yield* HttpClient.HttpClient
    const pipeline = HttpPipeline.make(client, {
      area: provider === "7tv" ? "seventv" : provider,
      timeout: config.timeout,
      retry: { times: 2, base: "200 millis", cap: "2 seconds" },
      headers: { accept: "application/json" }
    })
    return <A, I>(url: string, schema: Schema.Schema<A, I>) => {
      const fail = (reason: EmoteProviderError["reason"], detail: string, status?: number) =>
        new EmoteProviderError({ provider, reason, url, detail, ...(status === undefined ? {} : { status }) })
      return pipeline.send(HttpClientRequest.get(url)).pipe(
        Effect.mapError((error) => fail("Transport", error.message)),
        Effect.tap((answer) => Effect.annotateCurrentSpan("http.response.status_code", answer.status)),
        Effect.flatMap((answer) => {
          if (answer.status === 404) return Effect.succeed(Option.none<A>())
          if (answer.status < 200 || answer.status > 299) {
            return Effect.fail(fail("Status", answer.text.slice(0, 200), answer.status))
          }
          const json = parseJson(answer)
          if (Either.isLeft(json)) return Effect.fail(fail("Decode", json.left.detail))
          return Schema.decodeUnknown(schema)(json.right).pipe(
            Effect.mapBoth({
              onFailure: (error) =>
                fail(
                  "Decode",
                  ParseResult.ArrayFormatter.formatErrorSync(error).map((i) =>
                    `${i.path.join(".")}: ${i.message}`
                  ).slice(0, 2).join("; ")
                ),
              onSuccess: Option.some
            })
          )
        }),
        Effect.withSpan("emotes.fetch", {
          kind: "client",
          attributes: { "emotes.provider": provider, "url.full": url }
        })
      )
    }
  })

const globalKey = "\u0000global"

/**
 * A provider service from its two uncached reads, with answers kept per the config.
 *
 * @since 0.1.0
 * @internal
 */
export const cached = (
  provider: Provider,
  readGlobal: Effect.Effect<ReadonlyArray<ThirdPartyEmote>, EmoteProviderError>,
  readChannel: (id: string) => Effect.Effect<ReadonlyArray<ThirdPartyEmote>, EmoteProviderError>
): Effect.Effect<EmoteProvider, never, EmotesConfig> =>
  Effect.gen(function*() {
    const config = yield* EmotesConfig
    const cache = yield* Cache.makeWith({
      capacity: 1024,
      lookup: (key: string) =>
        key === globalKey
          ? Effect.withSpan(readGlobal, `emotes.${provider}.global`)
          : Effect.withSpan(readChannel(key), `emotes.${provider}.channel`, {
            attributes: { "twitch.channel_id": key }
          }),
      timeToLive: (exit) => (Exit.isSuccess(exit) ? config.ttl : config.failureTtl)
    })
    return {
      provider,
      global: cache.get(globalKey),
      channel: (id) => cache.get(id),
      refresh: (id) => (id === undefined ? cache.invalidateAll : cache.invalidate(id))
    }
  })

/**
 * Decodes a provider's list item by item: an item not shaped as documented is skipped (and
 * counted in a debug log), the others are kept.
 *
 * @since 0.1.0
 * @internal
 */
export const decodeItems = <A, I>(
  provider: Provider,
  schema: Schema.Schema<A, I>,
  values: ReadonlyArray<unknown>
): Effect.Effect<ReadonlyArray<A>> => {
  const decode = Schema.decodeUnknownOption(schema)
  const kept: Array<A> = []
  for (const value of values) {
    const item = decode(value)
    if (Option.isSome(item)) kept.push(item.value)
  }
  const skipped = values.length - kept.length
  return skipped === 0 ? Effect.succeed(kept) : Effect.as(
    Effect.logDebug(`${provider}: skipped ${skipped} emote(s) not shaped as documented`),
    kept
  )
}
