/**
 * Helix writes seen on IRC: a whole mock (HTTP and IRC, chatter off), the library's ChatClient
 * connected to it as a user, an inbox of what each client receives, and Helix calls with a user's
 * token.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../../../src/chat/ChatClient.js"
import type { TwitchMessage } from "../../../../src/chat/TwitchMessage.js"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import * as TwitchConfig from "../../../../src/TwitchConfig.js"
import { type Answer, helixCall } from "../http/client.js"

export type Mock = MockTwitch.MockTwitch.Service

/** Runs `f` against a fresh mock with HTTP and IRC (chatter off, Helix answers checked). */
export const withMock = <A, E>(
  f: (mock: Mock) => Effect.Effect<A, E, Scope.Scope>,
  options: MockTwitch.Options = {}
) =>
  Effect.scoped(Effect.flatMap(MockTwitch.MockTwitch, f)).pipe(
    Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 }, http: { checkAnswers: true }, ...options }))
  )

/** A user with a token holding every scope. */
export interface Account {
  readonly id: string
  readonly login: string
  readonly token: string
}

/** The default user (broadcaster of the channel the tests use). */
export const owner = (mock: Mock): Account => ({
  id: mock.defaultUser.id,
  login: mock.defaultUser.login,
  token: mock.credentials.userToken
})

/** A new viewer of the world, with no role anywhere. */
export const newViewer = (mock: Mock, login: string) =>
  Effect.gen(function*() {
    const user = yield* Effect.orDie(mock.world.addUser({ login }))
    const token = yield* Effect.orDie(mock.world.issueToken({
      clientId: mock.credentials.clientId,
      userId: user.id,
      scopes: [...MockWorld.allScopes],
      lifetimeSeconds: 3600
    }))
    return { id: user.id, login: user.login, token: token.value } satisfies Account
  })

/** A Helix call with an account's token (JSON body when given). */
export const helix = (mock: Mock, account: Account, method: string, path: string, body?: unknown) =>
  helixCall(mock, method, path, body, account.token)

/** The first data item of a Helix answer. */
export const first = (answer: Answer) =>
  answer.json<{ data: ReadonlyArray<Record<string, unknown>> }>().data[0]

/** A chat client logged in as `account`, joined to `channel`, with an inbox of all it receives. */
export interface Chat {
  readonly chat: ChatClient.ChatClient.Service
  /** The next received message that `pred` accepts (those before it are dropped), within 5 s. */
  readonly next: <A extends TwitchMessage>(pred: (m: TwitchMessage) => m is A) => Effect.Effect<A, Error>
}

export const connect = (mock: Mock, account: Account, channel: string) =>
  Effect.gen(function*() {
    const chat = yield* ChatClient.make({ loginTimeout: "5 seconds", joinTimeout: "5 seconds" }).pipe(
      Effect.provide(Layer.merge(
        Layer.succeed(TwitchConfig.TwitchConfig, MockTwitch.twitchConfig(mock)),
        TwitchAuth.layerStatic(
          AccessToken.make(account.token, { kind: "user", login: account.login, scopes: MockWorld.allScopes })
        )
      ))
    )
    const inbox = yield* Queue.unbounded<TwitchMessage>()
    yield* Effect.forkScoped(Stream.runForEach(chat.messages, (m) => Queue.offer(inbox, m)))
    yield* Effect.yieldNow()
    yield* chat.join(channel)
    const next = <A extends TwitchMessage>(pred: (m: TwitchMessage) => m is A): Effect.Effect<A, Error> =>
      Effect.gen(function*() {
        while (true) {
          const m = yield* Queue.take(inbox)
          if (pred(m)) return m
        }
      }).pipe(
        Effect.timeoutFail({
          duration: "5 seconds",
          onTimeout: () => new Error("no such message within 5 s")
        })
      )
    return { chat, next } satisfies Chat
  })

/** Matches one kind of message. */
export const is = <T extends TwitchMessage["_tag"]>(
  tag: T,
  pred: (m: Extract<TwitchMessage, { _tag: T }>) => boolean = () => true
) =>
(m: TwitchMessage): m is Extract<TwitchMessage, { _tag: T }> =>
  m._tag === tag && pred(m as Extract<TwitchMessage, { _tag: T }>)
