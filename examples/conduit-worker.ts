/**
 * One process of an EventSub conduit fleet: it runs its share of the conduit's shards and prints
 * the events Twitch routes to them. Start N of them (SHARD_INDEX 0..N-1, SHARD_COUNT N) on N
 * machines; Twitch's conduit spreads the channels over the shards and sends a dead process's
 * events to another shard, with no coordinator of ours.
 *
 *   SHARD_INDEX=0 SHARD_COUNT=3 npx tsx examples/conduit-worker.ts   # see README, "A conduit fleet"
 *   npx tsx examples/conduit-worker.ts                               # alone, on its own mock Twitch
 *
 * Environment:
 * - TWITCH_CLIENT_ID, TWITCH_TOKEN (an app token), and for a mock TWITCH_HELIX_URL, TWITCH_ID_URL,
 *   TWITCH_EVENTSUB_WS_URL; without them the worker starts its own mock Twitch.
 * - SHARD_INDEX and SHARD_COUNT (process i of n; default 0 of 1), or SHARD_IDS=0,3,...
 * - CONDUIT_ID: the conduit (default: the client's first; the process running shard 0 creates one
 *   of CONDUIT_SHARDS shards, default SHARD_COUNT, when there is none, the others wait for it).
 * - CHANNELS: broadcaster ids to subscribe to stream.online (comma-separated), or `live` for the
 *   live channels of Get Streams; done by the process running shard 0 (409s are fine).
 *
 * Output: a line per event (`--json`: one JSON object per line, `{"worker","type","broadcaster",
 * "messageId"}`), a `ready` line once every shard of the process is assigned.
 * It runs until a shard of it is refused for good (ConduitError: its conduit deleted, or shrunk
 * below it), and then exits with that error so that a supervisor can restart it.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { TwitchConfig } from "effect-twitcher"
import { TwitchAuth } from "effect-twitcher/auth"
import { Conduit, ConduitShard, ConduitSubscriptions, ShardOwnership, Types } from "effect-twitcher/eventsub"
import { Helix, Streams } from "effect-twitcher/helix"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"

const json = process.argv.includes("--json")

const settings = Config.all({
  ownership: ShardOwnership.config.pipe(Config.withDefault(ShardOwnership.slice(0, 1))),
  conduitId: Config.option(Config.string("CONDUIT_ID")),
  conduitShards: Config.option(Config.integer("CONDUIT_SHARDS")),
  channels: Config.option(Config.string("CHANNELS"))
})

/** Whether this process runs shard 0 (it sets things up: the conduit, the subscriptions). */
const runsShardZero = (ownership: ShardOwnership.Ownership) =>
  ownership._tag === "Slice" ? ownership.index === 0 : ownership.shardIds.includes("0")

const shardsWanted = (ownership: ShardOwnership.Ownership) =>
  ownership._tag === "Slice" ? ownership.count : Math.max(...ownership.shardIds.map(Number)) + 1

/** The conduit: CONDUIT_ID, else the client's first (shard 0's process creates it; the others wait). */
const conduitOf = (s: Config.Config.Success<typeof settings>) =>
  Option.match(s.conduitId, {
    onSome: (id) => Effect.succeed(id),
    onNone: () => {
      const shardCount = Option.getOrElse(s.conduitShards, () => shardsWanted(s.ownership))
      const found = runsShardZero(s.ownership)
        ? Conduit.ensure({ shardCount })
        : Effect.map(Conduit.list, (all) => Option.fromNullable(all.find((c) => c.shardCount >= shardCount)))
      return found.pipe(
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail("no conduit yet" as const),
          onSome: (c) => Effect.succeed(c.id)
        })),
        Effect.retry({
          while: (e) => e === "no conduit yet",
          schedule: Schedule.spaced("500 millis").pipe(Schedule.upTo("30 seconds"))
        })
      )
    }
  })

/** The channels of CHANNELS: ids, or `live` (the live channels Get Streams lists first). */
const channelsOf = (value: string) =>
  value.trim() === "live"
    ? Effect.flatMap(Streams.Streams, (streams) =>
      Stream.runCollect(Stream.take(streams.list({}), 100)).pipe(
        Effect.map((live) => [...live].map((s) => s.userId))
      ))
    : Effect.succeed(value.split(",").map((id) => id.trim()).filter((id) => id !== ""))

const program = Effect.gen(function*() {
  const s = yield* settings
  const conduitId = yield* conduitOf(s)
  if (runsShardZero(s.ownership) && Option.isSome(s.channels)) {
    const channels = yield* channelsOf(s.channels.value)
    const report = yield* ConduitSubscriptions.subscribe({
      conduitId,
      definition: Types.streamOnlineV1,
      conditions: channels.map((id) => ({ broadcasterUserId: id }))
    })
    yield* Console.error(
      `subscribed ${channels.length} channels to stream.online: ${report.created} new, ${report.existing} already, ${report.refused.length} refused`
    )
  }
  const worker = s.ownership._tag === "Slice" ? s.ownership.index : 0
  yield* Effect.gen(function*() {
    const shards = yield* ConduitShard.ConduitShard
    const printed = shards.notifications().pipe(
      Stream.runForEach((d) => {
        if (d._tag !== "Notification") {
          return Console.log(json ? JSON.stringify({ worker, revoked: d.type }) : `revoked ${d.type}`)
        }
        const broadcaster = d.type === "stream.online" ? d.event.broadcasterUserId : ""
        return Console.log(
          json
            ? JSON.stringify({ worker, type: d.type, broadcaster, messageId: d.messageId })
            : `worker ${worker}: ${d.type} ${broadcaster} (${d.messageId})`
        )
      })
    )
    yield* Effect.forkScoped(printed)
    yield* shards.ready
    yield* Console.log(
      json
        ? JSON.stringify({ worker, ready: shards.shardIds, conduitId })
        : `worker ${worker} ready: shards ${shards.shardIds.join(", ")} of conduit ${conduitId}`
    )
    // Runs until a shard of this process is refused for good (its conduit deleted, or shrunk below
    // it): then the worker fails, so that whatever supervises it can restart or reconfigure it.
    return yield* shards.refused
  }).pipe(
    Effect.provide(ConduitShard.layer({ conduitId, ownership: s.ownership }))
  )
})

/** Twitch (or a mock) from the environment; without credentials, a mock Twitch of its own (loaded only then). */
const twitch = Layer.unwrapEffect(
  Effect.map(
    Config.all([
      Config.option(Config.string("TWITCH_CLIENT_ID")),
      Config.option(Config.string("TWITCH_TOKEN"))
    ]),
    ([clientId, token]) =>
      Option.isSome(clientId) && Option.isSome(token)
        ? TwitchAuth.layerEnvValidated().pipe(Layer.provideMerge(TwitchConfig.layerFromEnv))
        : Layer.unwrapEffect(
          Effect.map(
            Effect.promise(() => import("effect-twitcher/testing")),
            ({ Environment }) => Environment.layer({ mockToken: "app", mock: { irc: false } })
          )
        )
  )
)

program.pipe(
  Effect.scoped,
  Effect.provide(
    Helix.layer().pipe(Layer.provideMerge(twitch), Layer.provide(NodeHttpClient.layerUndici))
  ),
  NodeRuntime.runMain
)
