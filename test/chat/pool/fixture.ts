/**
 * Shared setup of the pool tests: a mock world with enough channels, the IRC server with Twitch's
 * limits shrunk 150x (matched by the pool's), in-memory connections so the tests run on
 * `TestClock` (see ../client/virtual.ts), and a pool pointed at the server.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as ChatPool from "../../../src/chat/pool/ChatPool.js"
import type * as IrcServer from "../../../src/testing/mock/IrcServer.js"
import type * as TwitchConfig from "../../../src/TwitchConfig.js"
import type { ChatError, NotAuthorized } from "../../../src/TwitchError.js"
import { patient, setup as clientSetup, userToken } from "../client/fixture.js"

/** Twitch's limits shrunk 150x: 30 s -> 200 ms, 10 s -> ~67 ms, 1 s -> ~6.7 ms. */
export const factor = 1 / 150
export const messageWindowMs = 30_000 * factor
export const joinWindowMs = 10_000 * factor

/** The mock's limits, shrunk like the pool's (duplicates off: tests repeat texts). */
export const serverLimits: Partial<IrcServer.Limits> = {
  messageWindowMs,
  channelIntervalMs: 1000 * factor,
  joinWindowMs,
  authWindowMs: 10_000 * factor,
  duplicateWindowMs: 0
}

export const clientLimits = ChatRateLimits.scaled(ChatRateLimits.twitchLimits, factor)

/** Sum of the violations the mock counted. */
export const violations = (counters: IrcServer.Counters): number =>
  Object.values(counters.violations).reduce((a, b) => a + b, 0)

/** A world of `users` users (one channel each) and its server; `plain`: channels with no role. */
export const setup = (users = 80, limits: Partial<IrcServer.Limits> = {}) =>
  clientSetup({ limits: { ...serverLimits, ...limits } }, { users })

/**
 * A pool over `memory` with the shrunk limits and long timeouts (tests on TestClock), as the
 * default user (or anonymous when `anonymous`), with a limiter registry of its own.
 */
export const pool = (
  config: Layer.Layer<TwitchConfig.TwitchConfig>,
  options: ChatPool.Options,
  anonymous = false
): Effect.Effect<ChatPool.ChatPool.Service, ChatError | NotAuthorized, Scope.Scope> =>
  ChatPool.make({ ...patient, limits: clientLimits, ...options }).pipe(
    Effect.provide(Layer.mergeAll(
      config,
      ChatRateLimits.layerLimiters(),
      anonymous ? Layer.empty : TwitchAuth.layerStatic(userToken)
    ))
  )
