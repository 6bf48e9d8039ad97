/**
 * EventSub over webhooks: an `HttpApp` you mount in your own server at the path of `callback`,
 * and the same typed streams as the WebSocket client. Subscriptions are created (with an app
 * token) for `callback` with `secret`; Twitch then posts a challenge, notifications and
 * revocations there.
 *
 * ```ts
 * const webhook = yield* EventSubWebhook.EventSubWebhook
 * // mount webhook.httpApp at /eventsub in your HttpRouter / HttpServer
 * yield* webhook.subscribe(Types.streamOnlineV1, { broadcasterUserId: "1" }).pipe(Stream.runForEach(...))
 * ```
 *
 * Each request: the `Twitch-Eventsub-Message-Signature` must be `sha256=` + the HMAC-SHA256 of
 * message id + timestamp + raw body with the secret (compared in constant time), else 403 and the
 * message is dropped. Then a message older than 10 minutes is answered 204 but not delivered
 * (counted `stale`: answering 4xx would make Twitch retry it and, after many failures, revoke the
 * subscription), a copy of one already delivered (Twitch retries) is answered 204 and dropped
 * (`duplicates`), a `webhook_callback_verification` is answered 200 with the challenge as
 * `text/plain`, a revocation ends the subscription's streams (`Revoked`) and is delivered on
 * `notifications`. A notification is answered once its streams took it; under `backpressure` that
 * is when they have room (Twitch retries a request that waits too long; the copy is dropped).
 *
 * @since 0.1.0
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as EventSubApi from "../helix/generated/EventSubApi.js"
import { EventSubError } from "../TwitchError.js"
import type * as Definition from "./Definition.js"
import type * as EventSub from "./EventSub.js"
import * as Core from "./internal/core.js"
import * as Creator from "./internal/creator.js"
import * as Frames from "./internal/frames.js"
import * as Registry from "./internal/registry.js"
import * as Signature from "./internal/signature.js"

/**
 * What the webhook receiver offers: the streams, and the app to mount.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends EventSub.Service<Definition.Any> {
  /** Mount this at the path of `callback`; it answers Twitch's POSTs. */
  readonly httpApp: HttpApp.Default
}

/**
 * The webhook receiver's service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class EventSubWebhook extends Context.Tag("effect-twitcher/eventsub/EventSubWebhook")<
  EventSubWebhook,
  Service
>() {}

/**
 * Options of the receiver.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Core.CoreOptions {
  /** The public URL Twitch posts to (https on port 443 for Twitch; any URL for a mock). */
  readonly callback: string
  /** The secret Twitch signs with: 10 to 100 ASCII characters. */
  readonly secret: Redacted.Redacted<string>
}

const header = (request: HttpServerRequest.HttpServerRequest, name: string): string | undefined =>
  request.headers[name.toLowerCase()]

const noContent = HttpServerResponse.empty({ status: 204 })

/**
 * Builds the receiver. Fails with `EventSubError` (`Unsupported`) when the secret is not one
 * Twitch takes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, EventSubError, EventSubApi.EventSubApi | Scope.Scope> =>
  Effect.gen(function*() {
    if (!Signature.validSecret(options.secret)) {
      return yield* Effect.fail(
        new EventSubError({ reason: "Unsupported", detail: "the secret must be 10 to 100 ASCII characters" })
      )
    }
    const api = yield* EventSubApi.EventSubApi
    const core = yield* Core.make(options)
    const transport = { method: "webhook", callback: options.callback, secret: options.secret } as const
    const creator = yield* Creator.make({
      api,
      transport: () => Option.some(transport),
      webSocket: false,
      freeSlots: Effect.void,
      needTransport: Effect.void,
      concurrency: 10
    })
    const registry = Registry.make({ ...core, creator })

    const handle = (request: HttpServerRequest.HttpServerRequest, body: Uint8Array) =>
      Effect.gen(function*() {
        const messageId = header(request, "Twitch-Eventsub-Message-Id")
        const timestamp = header(request, "Twitch-Eventsub-Message-Timestamp")
        const signature = header(request, "Twitch-Eventsub-Message-Signature")
        const messageType = header(request, "Twitch-Eventsub-Message-Type")
        if (
          messageId === undefined || timestamp === undefined || signature === undefined ||
          messageType === undefined
        ) {
          return HttpServerResponse.text("missing Twitch-Eventsub-Message-* headers", { status: 400 })
        }
        if (!Signature.verify(options.secret, messageId, timestamp, body, signature)) {
          core.log("EventSub webhook: a request with a wrong signature was refused")
          return HttpServerResponse.text("invalid signature", { status: 403 })
        }
        let json: unknown
        try {
          json = JSON.parse(new TextDecoder().decode(body))
        } catch {
          return HttpServerResponse.text("body is not JSON", { status: 400 })
        }
        if (messageType === "webhook_callback_verification") {
          const challenge = typeof json === "object" && json !== null && "challenge" in json
            ? json.challenge
            : undefined
          if (typeof challenge !== "string") return HttpServerResponse.text("no challenge", { status: 400 })
          return HttpServerResponse.text(challenge, { status: 200, contentType: "text/plain" })
        }
        const inbound = Frames.fromParts(
          messageType,
          messageId,
          timestamp,
          header(request, "Twitch-Eventsub-Subscription-Type"),
          header(request, "Twitch-Eventsub-Subscription-Version"),
          json
        )
        if (inbound._tag !== "Notification" && inbound._tag !== "Revocation") {
          core.counters.add("unreadable")
          core.log(
            `EventSub webhook message skipped: ${
              inbound._tag === "Unreadable" ? inbound.detail : messageType
            }`
          )
          return noContent
        }
        registry.handle(inbound, yield* Clock.currentTimeMillis)
        // Answered when the streams took it (under backpressure, once they have room).
        yield* core.hub.flowing
        return noContent
      })

    const httpApp: HttpApp.Default = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      if (request.method !== "POST") return HttpServerResponse.text("POST only", { status: 405 })
      const body = yield* Effect.orElseSucceed(request.arrayBuffer, () => new ArrayBuffer(0))
      return yield* handle(request, new Uint8Array(body))
    }).pipe(Effect.withSpan("EventSub webhook", { kind: "server" }))

    return { ...Core.service<Definition.Any>(core, registry, () => Option.none()), httpApp }
  })

/**
 * The receiver as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<EventSubWebhook, EventSubError, EventSubApi.EventSubApi> =>
  Layer.scoped(EventSubWebhook, make(options))
