/**
 * The Twitch API calls of the EventSub engine, on the library's Helix pipeline and its generated
 * operations: who the token's user is, a channel's id from its login, a channel's chat settings,
 * and Send Chat Message. Reads go through a transport with the usual retries; sends through one
 * that never retries on its own (Send Chat Message is not idempotent: a POST sent twice after a
 * timeout would post twice, or have the second refused as `msg_duplicate` while the first went
 * through), with the user token or, for the Chat Bot badge, an app token.
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as TwitchAuth from "../../../auth/TwitchAuth.js"
import * as Chat from "../../../helix/generated/Chat.js"
import * as EventSubApi from "../../../helix/generated/EventSubApi.js"
import type { SendChatMessageData } from "../../../helix/generated/models.js"
import * as UsersApi from "../../../helix/generated/UsersApi.js"
import * as HelixClient from "../../../helix/HelixClient.js"
import type { InvalidParams } from "../../../helix/OperationError.js"
import * as OperationRunner from "../../../helix/OperationRunner.js"
import type { TwitchConfig } from "../../../TwitchConfig.js"
import type { HelixError } from "../../../TwitchError.js"
import type * as Lines from "./lines.js"

/** A user as the engine needs one. */
export interface User {
  readonly id: string
  readonly login: string
  readonly displayName: string
}

/** What the engine asks of Twitch's API. */
export interface Api {
  /** The token's user (Get Users without parameters). */
  readonly me: Effect.Effect<Option.Option<User>, HelixError | InvalidParams>
  readonly userByLogin: (login: string) => Effect.Effect<Option.Option<User>, HelixError | InvalidParams>
  readonly chatSettings: (
    broadcasterId: string
  ) => Effect.Effect<Option.Option<Lines.Settings>, HelixError | InvalidParams>
  readonly sendMessage: (message: {
    readonly broadcasterId: string
    readonly senderId: string
    readonly message: string
    readonly replyParentMessageId: string | undefined
    readonly forSourceOnly: boolean | undefined
  }) => Effect.Effect<Option.Option<SendChatMessageData>, HelixError | InvalidParams>
  /** The EventSub subscription calls, for an EventSub client of the engine's own. */
  readonly eventSubApi: EventSubApi.EventSubApi.Service
}

type Needs = TwitchConfig | HttpClient.HttpClient

/** The operation runner over a transport of its own with `auth`. */
const runner = (
  auth: TwitchAuth.TwitchAuth.Service,
  options: HelixClient.HelixClient.Options
): Effect.Effect<OperationRunner.OperationRunner.Service, never, Needs> =>
  Effect.gen(function*() {
    const helix = yield* HelixClient.make(options)
    return yield* OperationRunner.make().pipe(Effect.provideService(HelixClient.HelixClient, helix))
  }).pipe(Effect.provideService(TwitchAuth.TwitchAuth, auth))

const userOf = (u: { readonly id: string; readonly login: string; readonly displayName: string }): User => ({
  id: u.id,
  login: u.login,
  displayName: u.displayName
})

/**
 * The API of one engine: reads with the user token, sends with `sendAuth` (the user token, or an
 * app token for the Chat Bot badge).
 */
export const make = (
  auth: TwitchAuth.TwitchAuth.Service,
  sendAuth: TwitchAuth.TwitchAuth.Service
): Effect.Effect<Api, never, Needs> =>
  Effect.gen(function*() {
    const reads = yield* runner(auth, {})
    const sends = yield* runner(sendAuth, { maxRetries: 0 })
    const users = yield* Effect.provideService(UsersApi.make, OperationRunner.OperationRunner, reads)
    const chat = yield* Effect.provideService(Chat.make, OperationRunner.OperationRunner, reads)
    const sendChat = yield* Effect.provideService(Chat.make, OperationRunner.OperationRunner, sends)
    const eventSubApi = yield* Effect.provideService(EventSubApi.make, OperationRunner.OperationRunner, reads)
    return {
      me: Effect.map(users.list(), (list) => Option.map(Option.fromNullable(list[0]), userOf)),
      userByLogin: (login) =>
        Effect.map(users.list({ login: [login] }), (list) =>
          Option.map(Option.fromNullable(list.find((u) => u.login === login)), userOf)),
      chatSettings: (broadcasterId) =>
        Effect.map(chat.settings({ broadcasterId }), (list) =>
          Option.map(Option.fromNullable(list[0]), (s) => ({
            emoteMode: s.emoteMode,
            followerMode: s.followerMode,
            followerMinutes: s.followerModeDuration,
            slowMode: s.slowMode,
            slowSeconds: s.slowModeWaitTime,
            subscriberMode: s.subscriberMode,
            uniqueChatMode: s.uniqueChatMode
          }))),
      sendMessage: (m) =>
        Effect.map(
          sendChat.sendMessage({
            broadcasterId: m.broadcasterId,
            senderId: m.senderId,
            message: m.message,
            ...(m.replyParentMessageId === undefined ? {} : { replyParentMessageId: m.replyParentMessageId }),
            ...(m.forSourceOnly === undefined ? {} : { forSourceOnly: m.forSourceOnly })
          }),
          (items) =>
            Option.fromNullable(items[0])
        ),
      eventSubApi
    }
  })
