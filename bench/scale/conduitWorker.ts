/**
 * Child process of the conduit scale benchmark: process `index` of `count` of a fleet on one
 * conduit (`ConduitShard` with `ShardOwnership.slice(index, count)`, an app token, the mock's
 * URLs). It reads every notification as a user's code would (the typed stream of everything, each
 * `stream.online` event's broadcaster and start time), says `ready` once its shards are assigned,
 * then reports how many it read every 50 ms and when asked.
 *
 * Usage (forked by `conduit.ts`): conduitWorker <conduitId> <index> <count> <helixUrl> <idUrl>
 * <wsUrl> <clientId> <appToken>
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as ConduitShard from "../../src/eventsub/conduit/ConduitShard.js"
import * as ShardOwnership from "../../src/eventsub/conduit/ShardOwnership.js"
import * as Helix from "../../src/helix/Helix.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"

/** What a worker tells the benchmark. */
export type WorkerMessage = { readonly ready: true } | { readonly read: number; readonly touched: number }

const [conduitId, index, count, helixUrl, idUrl, wsUrl, clientId, token] = process.argv.slice(2)
let read = 0
let touched = 0
const report = () => process.send?.({ read, touched } satisfies WorkerMessage)

const program = Effect.gen(function*() {
  const shards = yield* ConduitShard.ConduitShard
  yield* Effect.forkScoped(Stream.runForEach(shards.notifications(), (delivered) =>
    Effect.sync(() => {
      if (delivered._tag !== "Notification" || delivered.type !== "stream.online") return
      read++
      touched += delivered.event.broadcasterUserId.length + delivered.event.startedAt.getTime() % 7
    })))
  yield* shards.ready
  process.send?.({ ready: true } satisfies WorkerMessage)
  yield* Effect.forever(Effect.zipRight(Effect.sleep("50 millis"), Effect.sync(report)))
})

process.on("message", report)
process.on("disconnect", () => process.exit(0))

Effect.runFork(
  program.pipe(
    Effect.scoped,
    Effect.provide(
      ConduitShard.layer({ conduitId, ownership: ShardOwnership.slice(Number(index), Number(count)) }).pipe(
        Layer.provideMerge(Helix.layer()),
        Layer.provideMerge(TwitchAuth.layerStatic(AccessToken.make(token, { kind: "app" }))),
        Layer.provideMerge(
          Layer.succeed(
            TwitchConfig.TwitchConfig,
            TwitchConfig.make({ clientId, helixUrl, idUrl, eventSubWebSocketUrl: wsUrl })
          )
        ),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    ),
    Effect.catchAllCause((cause) => Effect.sync(() => console.error("conduit worker failed", cause)))
  )
)
