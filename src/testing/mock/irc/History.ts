/**
 * What was said in each room: the last 500 messages (for replies, CLEARMSG and unique-chat mode)
 * and who has spoken in which room before (`first-msg`).
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type { Env } from "./State.js"

/**
 * A message kept for replies and deletion. `thread` is the reply thread's root (the message itself
 * when it is not a reply).
 *
 * @since 0.1.0
 * @category models
 */
export interface HistoryEntry {
  readonly id: string
  readonly userId: string
  readonly login: string
  readonly displayName: string
  /** The text as sent on the wire (`\x01ACTION ...\x01` for `/me`). */
  readonly body: string
  readonly thread: {
    readonly id: string
    readonly userId: string
    readonly login: string
    readonly displayName: string
  }
}

/**
 * Messages per room (by the channel's login) and the `userId#login` pairs seen speaking.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatLog {
  readonly history: ReadonlyMap<string, Chunk.Chunk<HistoryEntry>>
  readonly firstSeen: ReadonlySet<string>
}

const kept = 500

/**
 * Keeps a message of a room (the oldest goes past 500).
 *
 * @since 0.1.0
 * @category history
 */
export const record = (env: Env, login: string, entry: HistoryEntry): Effect.Effect<void> =>
  Ref.update(env.state.log, (log) => {
    const list = Chunk.append(log.history.get(login) ?? Chunk.empty<HistoryEntry>(), entry)
    return {
      ...log,
      history: new Map(log.history).set(login, Chunk.size(list) > kept ? Chunk.drop(list, 1) : list)
    }
  })

/**
 * The kept messages of a room, oldest first.
 *
 * @since 0.1.0
 * @category history
 */
export const entries = (env: Env, login: string): Effect.Effect<Chunk.Chunk<HistoryEntry>> =>
  Effect.map(Ref.get(env.state.log), (log) => log.history.get(login) ?? Chunk.empty())

/**
 * A kept message by id.
 *
 * @since 0.1.0
 * @category history
 */
export const find = (env: Env, login: string, id: string): Effect.Effect<HistoryEntry | undefined> =>
  Effect.map(entries(env, login), (list) => Option.getOrUndefined(Chunk.findFirst(list, (e) => e.id === id)))

/**
 * Whether this is the user's first message in the room (and notes that they have spoken).
 *
 * @since 0.1.0
 * @category history
 */
export const firstMessage = (env: Env, userId: string, login: string): Effect.Effect<boolean> =>
  Ref.modify(env.state.log, (log) => {
    const key = `${userId}#${login}`
    return log.firstSeen.has(key)
      ? [false, log]
      : [true, { ...log, firstSeen: new Set(log.firstSeen).add(key) }]
  })
