/**
 * The EventSub engine: the second way to Twitch behind the same `ChatClient`. It builds the same
 * state and parts as the IRC engine (hub, dedupe, send queue, the account's limiter) and plugs in
 * EventSub for reading (`reader.ts`, `channels.ts`) and Helix Send Chat Message for sending
 * (`sender.ts`), on the library's own EventSub client and Helix pipeline (`api.ts`).
 *
 * It needs a user token (Twitch's EventSub WebSocket takes no other) with `user:read:chat`; sends
 * need `user:write:chat`, or go with an app token of the same client (Chat Bot badge), for which
 * the account granted `user:bot` and each broadcaster `channel:bot` (or the account moderates
 * there). An `EventSubWebSocket` in context is used (one WebSocket for the app's subscriptions and
 * the chat's: Twitch allows 3 per user token); otherwise the engine runs its own.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as TwitchAuth from "../../../auth/TwitchAuth.js"
import * as EventSubWebSocket from "../../../eventsub/EventSubWebSocket.js"
import * as EventSubApi from "../../../helix/generated/EventSubApi.js"
import type { TwitchConfig } from "../../../TwitchConfig.js"
import { ChatError, NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import { parseTwitchLine } from "../../TwitchMessage.js"
import * as Client from "../engine/client.js"
import * as SendQueue from "../engine/sendQueue.js"
import * as State from "../engine/state.js"
import * as Api from "./api.js"
import * as Channels from "./channels.js"
import * as Reader from "./reader.js"
import * as Sender from "./sender.js"

type Failure = ChatError | NotAuthorized

/** What the EventSub engine is given beyond the common settings. */
export interface Options {
  /** The token's user reads (and sends, without `appAuth`). */
  readonly auth: TwitchAuth.TwitchAuth.Service
  /** Sends with this app token instead (Chat Bot badge). */
  readonly appAuth: TwitchAuth.TwitchAuth.Service | undefined
  /** Options of the engine's own EventSub client (when none is in context). */
  readonly webSocket: EventSubWebSocket.Options
}

/** The token's user, checked for what EventSub chat needs. */
const identify = (auth: TwitchAuth.TwitchAuth.Service, api: Api.Api) =>
  Effect.gen(function*() {
    const token = yield* TwitchAuth.tokenWithScope(auth, "user:read:chat")
    if (token.kind === "app") {
      return yield* new NotAuthorized({
        reason: "WrongTokenKind",
        scope: "user:read:chat",
        twitchMessage:
          "EventSub over WebSocket takes only user tokens; pass the app token as eventSub.appToken"
      })
    }
    const me = yield* api.me.pipe(
      Effect.mapError((e) =>
        e._tag === "NotAuthorized"
          ? e
          : new ChatError({ reason: "LoginFailed", detail: `learning the token's user failed: ${e.message}` })
      )
    )
    if (Option.isNone(me)) {
      return yield* new ChatError({ reason: "LoginFailed", detail: "Twitch named no user for the token" })
    }
    const identity: State.Identity = { login: me.value.login, anonymous: false, auth, token }
    return { me: me.value, identity }
  })

/** What the token may send: `user:write:chat` on the user path; the app path is Twitch's to check. */
const canSend = (options: Options): Effect.Effect<void, NotAuthorized> =>
  options.appAuth === undefined
    ? Effect.asVoid(TwitchAuth.tokenWithScope(options.auth, "user:write:chat"))
    : Effect.asVoid(options.appAuth.current)

const unsupported =
  (options: Options): Client.Parts["unsupported"] => ({ action, channel, forSourceOnly }) => {
    if (action) {
      return new ChatError({
        reason: "Unsupported",
        channel,
        detail: "Send Chat Message has no /me action; send it over IRC"
      })
    }
    if (forSourceOnly !== undefined && options.appAuth === undefined) {
      return new ChatError({
        reason: "Unsupported",
        channel,
        detail: "Twitch takes for_source_only only with an app token (eventSub.appToken)"
      })
    }
    return undefined
  }

/** The engine's EventSub client: the one in context, or its own over the engine's API. */
const eventSubOf = (options: Options, api: Api.Api) =>
  Effect.flatMap(
    Effect.serviceOption(EventSubWebSocket.EventSubWebSocket),
    (given) =>
      Option.isSome(given)
        ? Effect.succeed(given.value)
        : EventSubWebSocket.make(options.webSocket).pipe(
          Effect.provideService(EventSubApi.EventSubApi, api.eventSubApi)
        )
  )

/** Closing the client: every stream ends, every waiting send fails `Closed`. */
const goodbye = (state: State.State, sender: SendQueue.Sender) =>
  Effect.gen(function*() {
    const closed = new ChatError({ reason: "Closed", detail: "the chat client was closed" })
    yield* State.update(state, (s) => ({ ...s, phase: "Closed" as const, failure: s.failure ?? closed }))
    sender.failAll(closed)
    state.hub.end(Exit.void)
    State.emit(state, { _tag: "Closed" })
  })

/**
 * Learns the token's user, then hands out the client; it reads once a channel is joined, and
 * everything lives until the scope closes.
 */
export const make = (
  settings: State.Settings,
  options: Options
): Effect.Effect<
  ChatClient.ChatClient.Service,
  Failure,
  TwitchConfig | HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const api = yield* Api.make(options.auth, options.appAuth ?? options.auth)
    const { identity, me } = yield* identify(options.auth, api)
    const state = yield* Client.makeState(settings, identity)
    state.rooms.userId = me.id
    // Added after the scopes of the fibers: it runs before they close.
    let shutdown: Effect.Effect<void> = Effect.void
    yield* Effect.addFinalizer(() => Effect.suspend(() => shutdown))
    const eventSub = yield* eventSubOf(options, api)
    const own: Reader.OwnBadges = new Map()
    const from = yield* Reader.source
    const channels = Channels.make({
      state,
      api,
      eventSub,
      userId: me.id,
      publish: (line) => {
        const parsed = parseTwitchLine(line)
        if (parsed._tag === "Right") state.hub.publish([parsed.right], from)
      }
    })
    const sender = SendQueue.make(state, Sender.attempt({ state, api, channels, me, own }))
    const session: Reader.Session = { number: 0, live: false }
    yield* Effect.forkIn(Reader.read(state, eventSub, me.id, own, from), state.fibers)
    yield* Effect.forkIn(Reader.follow(state, eventSub, session, channels), state.fibers)
    // Sends need no connection (they go through the API); reading starts with the first join.
    yield* State.update(state, (s) => ({ ...s, phase: "Connected" }))
    shutdown = goodbye(state, sender)
    const status = SubscriptionRef.get(state.status)
    return Client.service(state, {
      join: channels.join,
      part: channels.part,
      sender,
      writeRaw: (line) =>
        Effect.fail(
          new ChatError({
            reason: "Unsupported",
            detail: `EventSub has no raw IRC lines (${
              line.split(" ", 1)[0]
            }): only PRIVMSG, JOIN and PART map to it`
          })
        ),
      canSend: canSend(options),
      unsupported: unsupported(options),
      capabilities: Effect.succeed([]),
      connectionId: Effect.map(status, (s) =>
        s.phase === "Connected" && session.live ? Option.some(session.number) : Option.none())
    })
  }).pipe(Effect.withSpan("chat.start", { attributes: { "chat.transport": "eventsub" } }))
