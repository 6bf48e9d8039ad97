/**
 * A chat overlay for OBS (a browser source) or any browser: an HTTP server on 127.0.0.1 serving a
 * page that shows a channel's live chat, with badges, name colours, Twitch emotes, cheermotes and
 * BTTV/FFZ/7TV emotes (zero-width ones stacked), the last `lines` messages, deleted messages
 * removed (CLEARMSG, and a user's on a ban or timeout, all on a chat clear), on a transparent
 * background. Messages come from the `ChatClient`'s `Stream`, are resolved by the
 * `MessageResolver` and reach the page as Server-Sent Events (`/events`); a page opened late gets
 * the messages it missed that are still shown. The server is `@effect/platform`'s: `layer`
 * serves on the `HttpServer` in context, `layerNode` starts one on 127.0.0.1.
 *
 * Routes: `/` (the page; `?lines=` and `?fade=` seconds override the options), `/overlay.css`,
 * `/overlay.js`, `/events` (`text/event-stream`, one JSON `OverlayEvent` per event, a comment
 * every 15 s to keep proxies from closing it). Pages are sent with a content security policy that
 * runs only the page's own script.
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createServer } from "node:http"
import { ChatClient } from "../chat/ChatClient.js"
import type { TwitchMessage } from "../chat/TwitchMessage.js"
import type * as EmotesConfig from "../emotes/EmotesConfig.js"
import * as MessageResolverModule from "../emotes/MessageResolver.js"
import { MessageResolver } from "../emotes/MessageResolver.js"
import * as ThirdPartyEmotes from "../emotes/ThirdPartyEmotes.js"
import * as TwitchAssets from "../emotes/TwitchAssets.js"
import type * as Bits from "../helix/generated/Bits.js"
import type * as Chat from "../helix/generated/Chat.js"
import type * as TwitchConfig from "../TwitchConfig.js"
import { ChatError, type NotAuthorized } from "../TwitchError.js"
import * as Page from "./internal/page.js"
import * as OverlayEvent from "./OverlayEvent.js"

/**
 * Options of the overlay.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The channel login (with or without `#`). */
  readonly channel: string
  /** How many messages the page shows (default 15; 1 to 200). */
  readonly lines?: number | undefined
  /** Seconds after which a message fades away (default 0: never). */
  readonly fadeAfter?: number | undefined
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class OverlayServer extends Context.Tag("effect-twitcher/overlay/OverlayServer")<
  OverlayServer,
  OverlayServer.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace OverlayServer {
  /**
   * The running overlay.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The page's URL, `http://127.0.0.1:<port>/`. */
    readonly url: string
    readonly channel: string
    /** The messages a page opened now would show first. */
    readonly shown: Effect.Effect<ReadonlyArray<OverlayEvent.OverlayEvent>>
    /** How many pages are connected. */
    readonly pages: Effect.Effect<number>
    /** Sends an event to every page (as a chat message would). */
    readonly publish: (event: OverlayEvent.OverlayEvent) => Effect.Effect<void>
  }
}

const security = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src http: https: data:; connect-src 'self'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store"
}

/** The shown messages after an event: the last `lines`, without what was taken away. */
const keep =
  (lines: number) => (shown: ReadonlyArray<OverlayEvent.OverlayEvent>, event: OverlayEvent.OverlayEvent) => {
    switch (event.type) {
      case "message":
        return shown.some((e) => e.type === "message" && e.id === event.id)
          ? shown
          : [...shown, event].slice(-lines)
      case "delete":
        return shown.filter((e) => !(e.type === "message" && e.id === event.id))
      case "clearUser":
        return shown.filter((e) => !(e.type === "message" && e.userId === event.userId))
      case "clear":
        return []
    }
  }

const channelLogin = /^[a-z0-9_]{1,25}$/

/**
 * Starts the overlay on the `HttpServer` in context: joins the channel, follows its chat for the
 * life of the scope. Fails when the channel is not a login or cannot be joined.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<
  OverlayServer.Service,
  ChatError | NotAuthorized,
  Scope.Scope | HttpServer.HttpServer | ChatClient | MessageResolver
> =>
  Effect.gen(function*() {
    const channel = options.channel.replace(/^#/, "").toLowerCase()
    if (!channelLogin.test(channel)) {
      return yield* new ChatError({
        reason: "JoinFailed",
        channel: options.channel,
        detail: "not a channel login"
      })
    }
    const lines = Math.min(200, Math.max(1, Math.floor(options.lines ?? 15)))
    const fadeAfter = Math.max(0, options.fadeAfter ?? 0)
    const chat = yield* ChatClient
    const resolver = yield* MessageResolver
    const shown = yield* Ref.make<ReadonlyArray<OverlayEvent.OverlayEvent>>([])
    const pages = yield* Ref.make(0)
    const events = yield* PubSub.sliding<OverlayEvent.OverlayEvent>(1024)
    yield* Effect.addFinalizer(() => PubSub.shutdown(events))
    const publish = (event: OverlayEvent.OverlayEvent) =>
      Effect.zipRight(Ref.update(shown, (s) => keep(lines)(s, event)), PubSub.publish(events, event))
    const preloaded = yield* Ref.make(false)
    const handle = (message: TwitchMessage) =>
      Effect.gen(function*() {
        if (message._tag === "RoomState" && !(yield* Ref.getAndSet(preloaded, true))) {
          // The channel's pictures are read as soon as its id is known, before its first message.
          yield* Effect.forkScoped(resolver.preload(message.roomId))
        }
        const event = yield* OverlayEvent.fromMessage(resolver, message)
        if (Option.isSome(event)) yield* publish(event.value)
      })
    yield* chat.channel(channel).pipe(
      Stream.runForEach(handle),
      Effect.catchAllCause((cause) => Effect.logError(`overlay: the chat of #${channel} ended`, cause)),
      Effect.forkScoped
    )
    yield* chat.join(channel)

    const stream = Stream.unwrapScoped(Effect.gen(function*() {
      const subscription = yield* PubSub.subscribe(events)
      yield* Effect.acquireRelease(Ref.update(pages, (n) => n + 1), () => Ref.update(pages, (n) => n - 1))
      const past = yield* Ref.get(shown)
      const data = Stream.concat(Stream.fromIterable(past), Stream.fromQueue(subscription)).pipe(
        Stream.map((event) => `data: ${JSON.stringify(event)}\n\n`)
      )
      return Stream.merge(data, Stream.as(Stream.tick("15 seconds"), ": keep-alive\n\n")).pipe(
        Stream.encodeText
      )
    }))
    const text = (body: string, contentType: string) =>
      Effect.succeed(HttpServerResponse.text(body, { contentType, headers: security }))
    const app = HttpRouter.empty.pipe(
      HttpRouter.get("/", text(Page.html(channel, lines, fadeAfter), "text/html; charset=utf-8")),
      HttpRouter.get("/overlay.css", text(Page.css, "text/css; charset=utf-8")),
      HttpRouter.get("/overlay.js", text(Page.js, "text/javascript; charset=utf-8")),
      HttpRouter.get(
        "/events",
        Effect.succeed(HttpServerResponse.stream(stream, {
          contentType: "text/event-stream",
          headers: { ...security, "x-accel-buffering": "no" }
        }))
      )
    )
    yield* HttpServer.serveEffect(app)
    const url = yield* HttpServer.addressWith((address) =>
      Effect.succeed(address._tag === "TcpAddress" ? `http://127.0.0.1:${address.port}/` : "")
    )
    return OverlayServer.of({ url, channel, shown: Ref.get(shown), pages: Ref.get(pages), publish })
  })

/**
 * The overlay as a layer on the `HttpServer` in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<
  OverlayServer,
  ChatError | NotAuthorized,
  HttpServer.HttpServer | ChatClient | MessageResolver
> => Layer.scoped(OverlayServer, make(options))

/**
 * The overlay on a Node HTTP server of its own on 127.0.0.1 (`port` 0, the default, lets the
 * system choose).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode = (
  options: Options & { readonly port?: number | undefined }
): Layer.Layer<
  OverlayServer,
  ChatError | NotAuthorized | HttpServerError.ServeError,
  ChatClient | MessageResolver
> =>
  layer(options).pipe(
    Layer.provide(NodeHttpServer.layer(() => createServer(), { port: options.port ?? 0, host: "127.0.0.1" }))
  )

/**
 * Everything an overlay needs besides the chat client and the HTTP server, in one layer: the
 * resolver over Twitch's pictures (Helix, through `Helix.layer()`'s `Chat` and `Bits`) and the
 * third-party providers of the `EmotesConfig` in context, with `resolver` options (scale, theme).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerResolver = (
  resolver: MessageResolverModule.Options = {}
): Layer.Layer<
  MessageResolver,
  never,
  TwitchConfig.TwitchConfig | EmotesConfig.EmotesConfig | HttpClient.HttpClient | Chat.Chat | Bits.Bits
> =>
  MessageResolverModule.layer(resolver).pipe(
    Layer.provide(TwitchAssets.layer()),
    Layer.provide(ThirdPartyEmotes.layer)
  )
