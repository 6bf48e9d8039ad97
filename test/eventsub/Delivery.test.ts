/**
 * The stream of everything decodes a subscription object once per subscription: later messages
 * with the same subscription text get the same decoding, a changed text is decoded anew, and what
 * each message carries is what decoding its own subscription gives.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Types from "../../src/eventsub/generated/Types.js"
import * as Delivery from "../../src/eventsub/internal/delivery.js"
import * as Frames from "../../src/eventsub/internal/frames.js"
import * as Signals from "../../src/eventsub/internal/signals.js"
import * as Samples from "./support/samples.js"

const subscriptionOf = (id: string, status: string) => ({ ...Samples.subscription, id, status })

const event = {
  user_id: "9",
  user_login: "viewer",
  user_name: "Viewer",
  broadcaster_user_id: "1",
  broadcaster_user_login: "me",
  broadcaster_user_name: "Me",
  followed_at: "2026-12-03T10:00:00Z"
}

/** A notification frame of `channel.follow` with its own message id, read as the WebSocket reads it. */
const pendingOf = (messageId: string, subscription: ReturnType<typeof subscriptionOf>): Delivery.Pending => {
  const frame = JSON.stringify({
    metadata: {
      message_id: messageId,
      message_type: "notification",
      message_timestamp: "2026-12-03T10:00:01.123456789Z",
      subscription_type: "channel.follow",
      subscription_version: "2"
    },
    payload: { subscription, event }
  })
  const inbound = Frames.fromFrame(frame)
  if (inbound._tag !== "Notification") throw new Error(`not read as a notification: ${inbound._tag}`)
  return {
    _tag: "Pending",
    inbound,
    definition: Types.channelFollowV2,
    decoded: undefined,
    subscription: undefined
  }
}

describe("Delivery.everything", () => {
  it.effect("decodes a subscription once while its text stays the same, anew when it changes", () =>
    Effect.gen(function*() {
      const items = [
        pendingOf("m1", subscriptionOf("a", "enabled")),
        pendingOf("m2", subscriptionOf("b", "enabled")),
        pendingOf("m3", subscriptionOf("a", "enabled")),
        pendingOf("m4", subscriptionOf("a", "authorization_revoked")),
        pendingOf("m5", subscriptionOf("a", "authorization_revoked"))
      ]
      const reporting = { counters: Signals.counters(), log: () => {} }
      const out = Chunk.toReadonlyArray(
        yield* Stream.runCollect(Delivery.everything(reporting, Stream.fromIterable(items)))
      )
      const subs = out.map((d) => (d._tag === "Notification" ? d.subscription : Option.none()))
      expect(out.map((d) => d.messageId)).toEqual(["m1", "m2", "m3", "m4", "m5"])
      // each is what decoding its own text gives
      subs.forEach((sub, i) => expect(sub).toEqual(Frames.subscriptionOf(items[i]!.inbound.subscription)))
      expect(subs.map((s) => Option.map(s, (x) => `${x.id} ${x.status}`))).toEqual(
        ["a enabled", "b enabled", "a enabled", "a authorization_revoked", "a authorization_revoked"].map(
          Option.some
        )
      )
      // the same text reuses the decoding; another id or a changed text does not
      expect(subs[2]).toBe(subs[0])
      expect(subs[4]).toBe(subs[3])
      expect(subs[3]).not.toBe(subs[0])
      expect(subs[1]).not.toBe(subs[0])
    }))
})
