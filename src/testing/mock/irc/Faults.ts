/**
 * Faults the control handle injects: dropped connections, RECONNECT (optionally followed by a
 * close), a silent server, unanswered PINGs, delayed output, and the chatter's rate.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Message from "./Message.js"
import type { Control } from "./Model.js"
import { HOST } from "./Protocol.js"
import { sessions } from "./Rooms.js"
import * as Session from "./Session.js"
import type { Env, Settings } from "./State.js"

/**
 * Destroys the sockets of every session (or of one login's); returns how many.
 *
 * @since 0.1.0
 * @category control
 */
export const dropConnections = (env: Env, login: string | undefined): Effect.Effect<number> =>
  Effect.map(sessions(env), (all) => {
    let n = 0
    for (const session of all) {
      if (login !== undefined && session.nick !== login.toLowerCase()) continue
      session.raw.destroy()
      n++
    }
    return n
  })

/**
 * Destroys the socket of the session with this id (a `ConnectionInfo.id`); false when none is open.
 *
 * @since 0.1.0
 * @category control
 */
export const dropConnection = (env: Env, id: number): Effect.Effect<boolean> =>
  Effect.map(sessions(env), (all) => {
    for (const session of all) {
      if (session.id !== id) continue
      session.raw.destroy()
      return true
    }
    return false
  })

/**
 * Sends RECONNECT to every logged-in session and, after `closeAfter`, closes those still open;
 * returns how many got it.
 *
 * @since 0.1.0
 * @category control
 */
export const sendReconnect = (
  env: Env,
  opts: Parameters<Control["sendReconnect"]>[0]
): Effect.Effect<number> =>
  Effect.gen(function*() {
    const targets = [...(yield* sessions(env))].filter((c) => c.phase === "registered")
    for (const session of targets) {
      Session.send(env, session, Message.format({ prefix: HOST, command: "RECONNECT" }))
    }
    if (opts?.closeAfter !== undefined) {
      yield* Effect.forkIn(
        Effect.zipRight(
          Effect.sleep(opts.closeAfter),
          Effect.sync(() => {
            for (const session of targets) {
              if (session.phase !== "closing") {
                Session.close(env, session)
              }
            }
          })
        ),
        env.scope
      )
    }
    return targets.length
  })

/**
 * Silences (or unsilences) every open session: nothing is written to them, PINGs go unanswered.
 *
 * @since 0.1.0
 * @category control
 */
export const setSilent = (env: Env, silent: boolean): Effect.Effect<void> =>
  Effect.map(sessions(env), (all) => {
    for (const session of all) session.silent = silent
  })

/**
 * Changes a setting (chatter rate, PING answers, outgoing delay).
 *
 * @since 0.1.0
 * @category control
 */
export const set = <K extends keyof Settings>(env: Env, key: K, value: Settings[K]): Effect.Effect<void> =>
  Ref.update(env.state.settings, (s) => ({ ...s, [key]: value }))

/**
 * Delays every outgoing line by `delay` from when it was queued.
 *
 * @since 0.1.0
 * @category control
 */
export const setOutgoingDelay = (env: Env, delay: Duration.DurationInput): Effect.Effect<void> =>
  Effect.suspend(() => set(env, "delayMs", Duration.toMillis(Duration.decode(delay))))
