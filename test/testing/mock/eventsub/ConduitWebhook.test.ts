import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { hash } from "../../../../src/testing/mock/eventsub/ConduitStore.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import {
  assignShards,
  callback,
  conduitCall,
  createConduit,
  mockLayer,
  type Respond,
  session,
  subscribeConduit
} from "./client.js"

/**
 * Each message given up on after one attempt; two in a row disable a webhook shard. The callback's
 * time limit is generous: a loaded machine must not turn a slow answer into a failed challenge.
 */
const policy = {
  retries: 0,
  retryDelay: "10 millis",
  failuresBeforeRevocation: 2,
  timeout: "10 seconds"
} as const

/** Fails with `what` instead of waiting past 10 s. */
const within = (what: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.timeoutFail(effect, { duration: "10 seconds", onTimeout: () => new Error(`no ${what} within 10 s`) })

const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(
    Effect.provide(mockLayer({ http: { eventSub: { webhook: policy } } }))
  )

interface HookBody {
  readonly challenge?: string
}

interface Shard {
  readonly id: string
  readonly status: string
  readonly transport: Record<string, string>
}

/** Answers the challenge, then fails every notification with a 500. */
const failing: Respond<HookBody> = (r) =>
  r.json.challenge === undefined ? { status: 500, body: "" } : { status: 200, body: r.json.challenge }

const shardsOf = (mock: MockTwitch.MockTwitch.Service, conduitId: string, status?: string) =>
  Effect.map(
    conduitCall(
      mock,
      "GET",
      `/shards?conduit_id=${conduitId}${status === undefined ? "" : `&status=${status}`}`
    ),
    (a) => a.json<{ data: ReadonlyArray<Shard> }>().data
  )

const assignHook = (mock: MockTwitch.MockTwitch.Service, conduitId: string, id: string, url: string) =>
  conduitCall(mock, "PATCH", "/shards", {
    conduit_id: conduitId,
    shards: [{ id, transport: { method: "webhook", callback: url, secret: "a secret of the shard" } }]
  })

describe("conduit webhook shards that fail", () => {
  it.scopedLive("a callback that fails the challenge leaves its shard webhook_callback_verification_failed", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const hook = yield* callback<HookBody>(() => ({ status: 200, body: "not the challenge" }))
        const conduitId = yield* createConduit(mock, 1)
        assert.strictEqual((yield* assignHook(mock, conduitId, "0", hook.url)).status, 202)
        yield* hook.next
        const failed = yield* Effect.repeat(shardsOf(mock, conduitId), {
          until: (shards) => shards[0]?.status !== "webhook_callback_verification_pending"
        })
        assert.deepStrictEqual(failed, [{
          id: "0",
          status: "webhook_callback_verification_failed",
          transport: { method: "webhook", callback: hook.url }
        }])
      })
    ))

  it.scopedLive(
    "a callback that keeps failing notifications: its shard is disabled (notification_failures_exceeded), conduit.shard.disabled fires, its channels go to the retry shard",
    () =>
      withMock((mock) =>
        Effect.gen(function*() {
          const hook = yield* callback(failing)
          const conduitId = yield* createConduit(mock, 2)
          yield* assignHook(mock, conduitId, "0", hook.url)
          yield* within("challenge")(hook.next)
          const ws = yield* session(mock.eventSub.wsUrl)
          yield* assignShards(mock, conduitId, [["1", ws.sessionId]])
          yield* mock.eventSub.control.awaitShards(conduitId, 2).pipe(within("two enabled shards"))
          // A channel the conduit hashes to the webhook shard.
          const channel = (yield* mock.world.snapshot).users.map((u) => u.id).find((id) => hash(id) % 2 === 0)
          assert.isDefined(channel)
          const broadcaster = channel ?? ""
          const online = yield* subscribeConduit(mock, conduitId, "stream.online", "1", {
            broadcaster_user_id: broadcaster
          })
          assert.strictEqual(online.status, 202, online.text)
          const watch = yield* subscribeConduit(mock, conduitId, "conduit.shard.disabled", "1", {
            client_id: mock.credentials.clientId,
            conduit_id: conduitId
          })
          assert.strictEqual(watch.status, 202, watch.text)
          const fire = mock.eventSub.control.fire({
            type: "stream.online",
            condition: { broadcaster_user_id: broadcaster }
          })
          // Two notifications the callback fails: Twitch does not retry them on another shard.
          const failedIds = [...(yield* fire).messageIds, ...(yield* fire).messageIds]
          for (const _ of failedIds) {
            assert.strictEqual(
              (yield* within("failed notification")(hook.next)).headers["twitch-eventsub-message-type"],
              "notification"
            )
          }
          yield* mock.eventSub.control.awaitShards(conduitId, 1, { exactly: true }).pipe(
            within("disabled shard")
          )
          const [disabled] = yield* shardsOf(mock, conduitId, "notification_failures_exceeded")
          assert.deepStrictEqual(disabled, {
            id: "0",
            status: "notification_failures_exceeded",
            transport: { method: "webhook", callback: hook.url }
          })
          assert.deepStrictEqual(
            (yield* shardsOf(mock, conduitId, "enabled")).map((s) => s.id),
            ["1"]
          )
          const notice = yield* ws.client.next("notification").pipe(within("conduit.shard.disabled"))
          assert.strictEqual(notice.metadata.subscription_type, "conduit.shard.disabled")
          assert.deepStrictEqual(notice.payload.event, {
            conduit_id: conduitId,
            shard_id: "0",
            status: "notification_failures_exceeded",
            // The event's transport has every field, null where the method has none.
            transport: {
              method: "webhook",
              callback: hook.url,
              session_id: null,
              connected_at: null,
              disconnected_at: null
            }
          })
          // From now on the channel's events go to the retry shard, the WebSocket one.
          const later = yield* fire
          const moved = yield* ws.client.next("notification").pipe(within("notification on the retry shard"))
          assert.deepStrictEqual(
            [moved.metadata.message_id, moved.payload.event?.["broadcaster_user_id"]],
            [later.messageIds[0], broadcaster]
          )
          assert.notInclude(failedIds, moved.metadata.message_id)
          const counters = yield* mock.eventSub.control.counters
          assert.isAtLeast(counters.conduitRetries, 1)
          assert.strictEqual(counters.conduitDropped, 0)
          yield* Effect.sleep("100 millis")
          const pending = (yield* ws.client.pending).map((f) => f.metadata.message_id)
          for (const id of failedIds) assert.notInclude(pending, id)
        })
      )
  )
})
