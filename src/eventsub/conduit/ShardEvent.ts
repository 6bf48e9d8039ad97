/**
 * What happens to the shards a process runs, on `ConduitShard.shardEvents`: a shard assigned to
 * its new session (and how long after the welcome), each attempt Twitch refused or that failed, a
 * shard stopped because Twitch refused it for good, a shard Twitch disabled (seen through `conduit.shard.disabled`, whichever shard of the fleet the
 * notification reached), and each shard's connection events.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { ConduitError } from "../../TwitchError.js"
import type { ConnectionEvent } from "../EventSub.js"

/**
 * A shard's change.
 *
 * @since 0.1.0
 * @category models
 */
export type ShardEvent = Data.TaggedEnum<{
  /** The shard now delivers to this session; `millis` after its welcome. */
  Assigned: { readonly shardId: string; readonly sessionId: string; readonly millis: number }
  /**
   * Attempt `attempt` (from 1) of a session's assignment was refused or failed: tried again within
   * Twitch's 10 s, else the session is closed as unused and the next one tries; `permanent` when
   * Twitch refused the shard for good (a `Stopped` follows).
   */
  AssignFailed: {
    readonly shardId: string
    readonly sessionId: string
    readonly detail: string
    readonly attempt: number
    readonly permanent: boolean
  }
  /** Twitch refused the shard for good (conduit gone, shard id past its count): it stopped. */
  Stopped: { readonly shardId: string; readonly error: ConduitError }
  /** Twitch disabled a shard of the conduit (`ours`: one this process runs; it is reassigned). */
  Disabled: { readonly shardId: string; readonly status: string; readonly ours: boolean }
  /** A connection event of one of this process's shards. */
  Connection: { readonly shardId: string; readonly event: ConnectionEvent }
}>

/**
 * Constructors and matchers of {@link ShardEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ShardEvent = Data.taggedEnum<ShardEvent>()
