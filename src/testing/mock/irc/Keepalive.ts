/**
 * Keepalive: every `pingInterval` each logged-in, non-silent session gets a `PING`; one that has
 * not answered the previous one is dropped.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Message from "./Message.js"
import { HOST } from "./Protocol.js"
import { sessions } from "./Rooms.js"
import * as Session from "./Session.js"
import { count, type Env } from "./State.js"

/**
 * One keepalive round.
 *
 * @since 0.1.0
 * @category keepalive
 */
export const round = (env: Env): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (const session of yield* sessions(env)) {
      if (session.phase !== "registered" || session.silent) continue
      if (session.awaitingPong) {
        session.raw.destroy()
        continue
      }
      session.awaitingPong = true
      yield* count(env, "pingsSent")
      Session.send(env, session, Message.format({ command: "PING", trailing: HOST }))
    }
  })

/**
 * Runs keepalive rounds (default every 60 s) for the life of the scope.
 *
 * @since 0.1.0
 * @category keepalive
 */
export const run = (env: Env): Effect.Effect<void, never, Scope.Scope> =>
  Effect.asVoid(Effect.forkScoped(
    Effect.forever(
      Effect.zipRight(
        Effect.sleep(Duration.decode(env.options.pingInterval ?? Duration.seconds(60))),
        round(env)
      )
    )
  ))
