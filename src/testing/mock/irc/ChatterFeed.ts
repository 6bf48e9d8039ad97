/**
 * The background chatter: every live channel someone joined gets generated lines (PRIVMSGs,
 * USERNOTICEs, moderation, room-mode changes) at the configured rate. Generated room-mode changes
 * go through the world, whose event sends the ROOMSTATE; generated PRIVMSGs are kept in the
 * room's history so replies and CLEARMSG find them.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as World from "../World.js"
import type * as Chatter from "./Chatter.js"
import * as History from "./History.js"
import { broadcast, type ChannelRef, emoteMap, members } from "./Rooms.js"
import { type Env, settings } from "./State.js"

/**
 * What the generator needs to know about a channel.
 *
 * @since 0.1.0
 * @category chatter
 */
export const chatterChannel = (env: Env, ref: ChannelRef): Effect.Effect<Chatter.ChatterChannel> =>
  Effect.zipWith(emoteMap(env, ref.user.id), env.world.snapshot, (emotes, world) => ({
    login: ref.user.login,
    id: ref.user.id,
    displayName: ref.user.displayName,
    emotes: Array.from(emotes, ([name, id]) => ({ id, name })),
    thirdPartyEmotes: world.thirdPartyEmotes.filter((e) => e.ownerId === "0" || e.ownerId === ref.user.id)
  }))

/** A generated ROOMSTATE's tags as a world room-state patch. */
const roomStatePatch = (tags: Readonly<Record<string, string>>): Partial<World.RoomState> => {
  const patch: { -readonly [K in keyof World.RoomState]?: World.RoomState[K] } = {}
  for (const [k, v] of Object.entries(tags)) {
    if (k === "emote-only") {
      patch.emoteOnly = v === "1"
    } else if (k === "followers-only") {
      patch.followersOnly = Number(v)
    } else if (k === "r9k") {
      patch.r9k = v === "1"
    } else if (k === "subs-only") {
      patch.subsOnly = v === "1"
    }
  }
  return patch
}

/**
 * Generates one line for a channel and sends it to the room; returns the line.
 *
 * @since 0.1.0
 * @category chatter
 */
export const emit = (env: Env, ref: ChannelRef, channel: Chatter.ChatterChannel): Effect.Effect<string> =>
  Effect.gen(function*() {
    const g = env.generator.next(channel, env.now())
    if (g.kind === "ROOMSTATE" && g.roomState !== undefined) {
      // Room modes live in the world: change them there, the event sends the ROOMSTATE.
      yield* Effect.ignore(env.world.setRoomState(ref.user.id, roomStatePatch(g.roomState)))
      return g.line
    }
    if (g.kind === "PRIVMSG" && g.id !== undefined && g.login !== undefined && g.text !== undefined) {
      const entry = {
        id: g.id,
        userId: g.userId ?? "",
        login: g.login,
        displayName: g.displayName ?? g.login
      }
      yield* History.record(env, ref.user.login, { ...entry, body: g.text, thread: entry })
    }
    yield* broadcast(env, ref.user.login, g.line)
    return g.line
  })

/** One line in each live channel that has someone in its room. */
const tick = (env: Env) =>
  Effect.gen(function*() {
    for (const stream of yield* env.world.streams) {
      const owner = yield* env.world.userById(stream.userId)
      if (Option.isNone(owner) || (yield* members(env, owner.value.login)).size === 0) continue
      const channel = yield* env.world.channel(stream.userId)
      if (Option.isNone(channel)) continue
      const ref = { user: owner.value, channel: channel.value }
      yield* emit(env, ref, yield* chatterChannel(env, ref))
    }
  }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("mock IRC: chatter failed", cause)))

/**
 * Runs the chatter for the life of the scope, at the rate the settings say (checked every 200 ms
 * while it is 0).
 *
 * @since 0.1.0
 * @category chatter
 */
export const run = (env: Env): Effect.Effect<void, never, Scope.Scope> =>
  Effect.asVoid(Effect.forkScoped(
    Effect.forever(
      Effect.flatMap(settings(env), ({ chatterRate }) =>
        chatterRate <= 0
          ? Effect.sleep(Duration.millis(200))
          : Effect.zipRight(
            Effect.sleep(Duration.millis(Math.max(1, Math.round(1000 / chatterRate)))),
            tick(env)
          ))
    )
  ))
