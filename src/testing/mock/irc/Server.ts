/**
 * The mock IRC server's engine: builds the server's state and {@link Env}, starts the world-event
 * follower, keepalive and chatter, opens the TCP, TLS and WebSocket listeners and returns the
 * control handle. The parts: `Connection.ts` (a connection's life and command dispatch),
 * `Registration.ts` (CAP, PASS, NICK), `Membership.ts` (JOIN, PART), `Privmsg.ts`, `Limits.ts` and
 * `RoomModes.ts` (what a PRIVMSG must pass), `Moderation.ts`, `Rooms.ts` (registry, lookups,
 * broadcast), `Session.ts` (output), `WorldEvents.ts`, `Keepalive.ts`, `ChatterFeed.ts`,
 * `Blast.ts`, `Traffic.ts`, `Faults.ts`, `Inbox.ts` and `Control.ts`. Public surface:
 * `src/testing/mock/IrcServer.ts`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import type * as World from "../World.js"
import * as Certificate from "./Certificate.js"
import * as Chatter from "./Chatter.js"
import * as ChatterFeed from "./ChatterFeed.js"
import * as Connection from "./Connection.js"
import * as Control from "./Control.js"
import * as Keepalive from "./Keepalive.js"
import type { IrcServer, Options } from "./Model.js"
import { defaultLimits } from "./Model.js"
import * as State from "./State.js"
import * as Transport from "./Transport.js"
import * as WorldEvents from "./WorldEvents.js"

/**
 * Opens the server: listeners, keepalive, world events, chatter; everything closes with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  world: World.World.Service,
  options: Options = {}
): Effect.Effect<IrcServer, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const clock = yield* Effect.clock
    // Connection fibers: created first, so they are interrupted last when the scope closes.
    const run = yield* FiberSet.makeRuntime<never>()
    const seed = options.seed ?? world.seed
    const env: State.Env = {
      world,
      options,
      limits: { ...defaultLimits, ...options.limits },
      seed,
      now: () => clock.unsafeCurrentTimeMillis(),
      messageIds: Chatter.messageIds(seed),
      generator: Chatter.make(seed),
      scope: yield* Effect.scope,
      state: yield* State.make({ chatterRate: options.chatterRate ?? 1, answerPings: true, delayMs: 0 })
    }
    yield* WorldEvents.follow(env)
    yield* Keepalive.run(env)
    yield* ChatterFeed.run(env)

    const onConnection = (raw: Transport.RawConnection) => {
      run(Connection.handle(env, raw))
    }
    const tcpPort = yield* Transport.listenTcp({ port: options.tcpPort ?? 0, onConnection })
    const certificatePem = options.certificatePem ?? Certificate.certificatePem
    const tlsPort = yield* Transport.listenTls({
      port: options.tlsPort ?? 0,
      onConnection,
      certificatePem,
      privateKeyPem: options.privateKeyPem ?? Certificate.privateKeyPem
    })
    const wsPort = yield* Transport.listenWebSocket({ port: options.wsPort ?? 0, onConnection })
    return {
      host: "127.0.0.1" as const,
      tcpPort,
      tlsPort,
      wsPort,
      wsUrl: `ws://127.0.0.1:${wsPort}`,
      tlsCertificatePem: certificatePem,
      control: Control.make(env),
      accept: onConnection
    }
  })
