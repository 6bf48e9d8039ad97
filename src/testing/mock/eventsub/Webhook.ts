/**
 * Webhook delivery to a loopback callback, signed as Twitch signs it (HMAC-SHA256 over message id +
 * timestamp + raw body, `sha256=` hex, Twitch's `Twitch-Eventsub-*` headers): the verification
 * challenge after create (the subscription is enabled only when the callback answers 200 with the
 * challenge as its whole body, else `webhook_callback_verification_failed`), notifications retried
 * with a doubling delay when the callback does not answer 2xx in time (same message id,
 * `Twitch-Eventsub-Message-Retry` counting up), and, after too many messages given up on in a row,
 * the subscription revoked with `notification_failures_exceeded` (one revocation request).
 *
 * @since 0.1.0
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import {
  count,
  type Env,
  type Outbound,
  type Subscription,
  subscriptions,
  updateSubscriptions
} from "./State.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Time from "./Time.js"
import * as Wire from "./Wire.js"

/**
 * The kinds of webhook request Twitch sends.
 *
 * @since 0.1.0
 * @category models
 */
export type MessageType = "notification" | "webhook_callback_verification" | "revocation"

/**
 * Where a webhook request goes: a callback and the secret it is signed with.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly callback: string
  readonly secret: Redacted.Redacted<string>
}

/**
 * One signed POST to a callback (a subscription's, or a conduit shard's); succeeds with the status
 * and body text, or `None` on a timeout or network error.
 *
 * @since 0.1.0
 * @category webhook
 */
export const post = (
  env: Env,
  target: Target,
  message: {
    readonly type: MessageType
    readonly messageId: string
    readonly timestamp: string
    readonly body: string
    readonly retry: number
    readonly subscription: Subscription | undefined
  }
): Effect.Effect<Option.Option<{ readonly status: number; readonly text: string }>> =>
  Effect.gen(function*() {
    const headers = Wire.webhookHeaders({ ...message, secret: Redacted.value(target.secret) })
    yield* count(env, "webhookAttempts")
    const request = HttpClientRequest.post(target.callback).pipe(
      HttpClientRequest.setHeaders(headers),
      HttpClientRequest.bodyText(message.body, "application/json")
    )
    return yield* env.http.execute(request).pipe(
      Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
      Effect.timeout(env.settings.webhook.timeoutMs),
      Effect.option
    )
  })

/** A POST to a webhook subscription's own callback. */
const postTo = (
  env: Env,
  sub: Subscription,
  type: MessageType,
  messageId: string,
  timestamp: string,
  body: string,
  retry: number
) =>
  sub.transport.method === "webhook"
    ? post(env, sub.transport, { type, messageId, timestamp, body, retry, subscription: sub })
    : Effect.succeed(Option.none<{ readonly status: number; readonly text: string }>())

const current = (env: Env, id: string) =>
  Effect.map(subscriptions(env), (subs) => Option.fromNullable(subs.get(id)))

const setStatus = (env: Env, id: string, status: string) =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (now) => updateSubscriptions(env, (subs) => Subscriptions.setStatus(subs, id, status, now))
  )

/**
 * Sends the verification challenge and enables the subscription when the callback answers it.
 *
 * @since 0.1.0
 * @category webhook
 */
export const challenge = (env: Env, sub: Subscription): Effect.Effect<void> =>
  Effect.gen(function*() {
    const challengeValue = yield* env.ids.token
    const body = JSON.stringify({ challenge: challengeValue, subscription: Wire.subscriptionObject(sub) })
    const answer = yield* postTo(
      env,
      sub,
      "webhook_callback_verification",
      yield* env.ids.uuid,
      yield* Time.now,
      body,
      0
    )
    const ok = Option.exists(answer, (a) => a.status === 200 && a.text === challengeValue)
    if (!ok) yield* count(env, "webhookFailures")
    const still = yield* current(env, sub.id)
    if (Option.exists(still, (s) => s.status === "webhook_callback_verification_pending")) {
      yield* setStatus(env, sub.id, ok ? "enabled" : "webhook_callback_verification_failed")
    }
  })

const setFailures = (env: Env, id: string, f: (failures: number) => number) =>
  updateSubscriptions(env, (subs) => {
    const sub = subs.get(id)
    return sub === undefined ? subs : new Map(subs).set(id, { ...sub, failures: f(sub.failures) })
  })

/** Counts a message given up on; past the limit the subscription is revoked. */
const gaveUp = (env: Env, id: string) =>
  Effect.gen(function*() {
    yield* setFailures(env, id, (n) => n + 1)
    const sub = yield* current(env, id)
    if (Option.isNone(sub) || sub.value.failures < env.settings.webhook.failuresBeforeRevocation) return
    yield* revoke(env, sub.value, "notification_failures_exceeded")
  })

/**
 * Delivers a notification, retrying as configured; a success resets the failure count.
 *
 * @since 0.1.0
 * @category webhook
 */
export const deliver = (env: Env, sub: Subscription, outbound: Outbound): Effect.Effect<void> =>
  Effect.gen(function*() {
    if (outbound._tag === "Revocation") return yield* Effect.asVoid(postRevocation(env, sub, outbound))
    const body = JSON.stringify(Wire.payload(sub, outbound))
    const policy = env.settings.webhook
    for (let attempt = 0; attempt <= policy.retries; attempt++) {
      const now = yield* current(env, sub.id)
      if (Option.isNone(now) || now.value.status !== "enabled") return
      const answer = yield* postTo(
        env,
        now.value,
        "notification",
        outbound.messageId,
        outbound.timestamp,
        body,
        attempt
      )
      if (Option.exists(answer, (a) => a.status >= 200 && a.status < 300)) {
        if (now.value.failures > 0) yield* setFailures(env, sub.id, () => 0)
        return
      }
      yield* count(env, "webhookFailures")
      if (attempt < policy.retries) yield* Effect.sleep(policy.retryDelayMs * 2 ** attempt)
    }
    yield* gaveUp(env, sub.id)
  })

const postRevocation = (env: Env, sub: Subscription, outbound: Outbound) =>
  postTo(
    env,
    sub,
    "revocation",
    outbound.messageId,
    outbound.timestamp,
    JSON.stringify(Wire.payload(sub, outbound)),
    0
  )

/**
 * Disables a webhook subscription with a revocation status and sends the one revocation request.
 *
 * @since 0.1.0
 * @category webhook
 */
export const revoke = (env: Env, sub: Subscription, status: string): Effect.Effect<void> =>
  Effect.gen(function*() {
    yield* setStatus(env, sub.id, status)
    yield* count(env, "revocations")
    const outbound: Outbound = {
      _tag: "Revocation",
      messageId: yield* env.ids.uuid,
      timestamp: yield* Time.now
    }
    yield* postRevocation(env, { ...sub, status }, outbound)
  })
