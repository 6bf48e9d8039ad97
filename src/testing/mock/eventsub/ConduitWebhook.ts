/**
 * Webhook shards of a conduit: the verification challenge when a callback is assigned (the body
 * carries `conduit_shard` with the conduit id and shard id instead of a subscription; the shard is
 * enabled when the callback answers 200 with the challenge, else
 * `webhook_callback_verification_failed`), and notifications posted to the shard with the webhook
 * retries. A notification the callback did not take is not retried on another shard (Twitch does
 * not either); after too many given up on in a row the shard is disabled with
 * `notification_failures_exceeded`.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ConduitStore from "./ConduitStore.js"
import {
  conduits,
  count,
  type Env,
  modifyConduits,
  type Outbound,
  type Shard,
  type Subscription
} from "./State.js"
import * as Time from "./Time.js"
import * as Webhook from "./Webhook.js"
import * as Wire from "./Wire.js"

/**
 * Where a shard's messages go.
 *
 * @since 0.1.0
 * @category models
 */
export interface ShardRef {
  readonly conduitId: string
  readonly shardId: string
  readonly target: Webhook.Target
}

/** The shard now, if it is still backed by the same callback. */
const current = (env: Env, ref: ShardRef) =>
  Effect.map(conduits(env), (all) =>
    Option.fromNullable(
      all.get(ref.conduitId)?.shards.find((s) =>
        s.id === ref.shardId && s.transport.method === "webhook" &&
        s.transport.callback === ref.target.callback
      )
    ))

const update = (env: Env, ref: ShardRef, f: (shard: Shard) => Shard) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    modifyConduits(env, (all) => [
      undefined,
      ConduitStore.updateShard(all, ref.conduitId, ref.shardId, (shard) =>
        shard.transport.method === "webhook" && shard.transport.callback === ref.target.callback
          ? f(shard)
          : shard, now)
    ]))

/**
 * Sends the verification challenge of a newly assigned callback and enables the shard when it is
 * answered.
 *
 * @since 0.1.0
 * @category webhook
 */
export const challenge = (env: Env, ref: ShardRef): Effect.Effect<void> =>
  Effect.gen(function*() {
    const value = yield* env.ids.token
    const answer = yield* Webhook.post(env, ref.target, {
      type: "webhook_callback_verification",
      messageId: yield* env.ids.uuid,
      timestamp: yield* Time.now,
      body: JSON.stringify({
        challenge: value,
        conduit_shard: { conduit_id: ref.conduitId, shard: ref.shardId }
      }),
      retry: 0,
      subscription: undefined
    })
    const ok = Option.exists(answer, (a) => a.status === 200 && a.text === value)
    if (!ok) yield* count(env, "webhookFailures")
    yield* update(env, ref, (shard) =>
      shard.status === "webhook_callback_verification_pending"
        ? { ...shard, status: ok ? "enabled" : "webhook_callback_verification_failed" }
        : shard)
  })

/**
 * Posts a notification or revocation to a webhook shard, retrying as configured.
 *
 * @since 0.1.0
 * @category webhook
 */
export const deliver = (
  env: Env,
  ref: ShardRef,
  sub: Subscription,
  outbound: Outbound
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const body = JSON.stringify(Wire.payload(sub, outbound))
    const type = outbound._tag === "Revocation" ? "revocation" : "notification"
    const policy = env.settings.webhook
    for (let attempt = 0; attempt <= policy.retries; attempt++) {
      const shard = yield* current(env, ref)
      if (Option.isNone(shard) || !ConduitStore.isEnabled(shard.value)) return
      const answer = yield* Webhook.post(env, ref.target, {
        type,
        messageId: outbound.messageId,
        timestamp: outbound.timestamp,
        body,
        retry: attempt,
        subscription: sub
      })
      if (Option.exists(answer, (a) => a.status >= 200 && a.status < 300)) {
        if (shard.value.failures > 0) yield* update(env, ref, (s) => ({ ...s, failures: 0 }))
        return
      }
      yield* count(env, "webhookFailures")
      if (attempt < policy.retries) yield* Effect.sleep(policy.retryDelayMs * 2 ** attempt)
    }
    yield* update(env, ref, (s) => {
      const failures = s.failures + 1
      return failures >= policy.failuresBeforeRevocation && ConduitStore.isEnabled(s)
        ? { ...s, failures, status: "notification_failures_exceeded" }
        : { ...s, failures }
    })
  })
