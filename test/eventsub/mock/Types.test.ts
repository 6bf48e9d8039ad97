/**
 * Every subscription type and version of the facts file, subscribed through our clients on the
 * mock Twitch (the WebSocket client for what a WebSocket may carry, the webhook receiver for the
 * app-token and webhook-only types) and fired once by the mock: each must have a generated model,
 * and the event the mock builds from the facts must decode into it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import { conditionKeys } from "../../../src/cli/internal/events.js"
import * as Definition from "../../../src/eventsub/Definition.js"
import type { SubscribeError } from "../../../src/eventsub/EventSub.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import * as World from "../../../src/testing/mock/World.js"
import { type TypeFacts, types } from "../support/samples.js"
import { clientOn, me, startMock, take, webhookOn } from "./support.js"

/**
 * A condition in the model's wire names (where they differ from the reference table's, the model
 * follows Twitch's examples) naming the default user (or client) wherever one is asked for.
 */
const wireCondition = (t: TypeFacts, definition: Definition.Any): Record<string, string> => {
  const condition: Record<string, string> = {}
  for (const name of conditionKeys(definition)) {
    if (name === "reward_id" || name === "conduit_id") continue
    if (name.endsWith("user_id") || name === "broadcaster_id") condition[name] = me
    else if (name.endsWith("client_id")) condition[name] = World.defaultClientId
    else if (t.conditionRequired.includes(name)) condition[name] = `mock-${name}`
  }
  return condition
}

type Subscribe = (
  definition: Definition.Any,
  condition: unknown
) => Effect.Effect<Stream.Stream<unknown, SubscribeError>, SubscribeError, Scope.Scope>

describe("EventSub on the mock: every type", () => {
  it.scopedLive(
    "every type and version has a model, and the mock's payload for it decodes into it",
    () =>
      Effect.gen(function*() {
        expect(types.length).toBe(82)
        const missing = types.filter((t) =>
          !Types.all.some((d) => d.type === t.type && d.version === t.version)
        )
        expect(missing.map((t) => `${t.type}@${t.version}`)).toEqual([])
        expect(Types.all.length).toBe(types.length)

        const mock = yield* startMock()
        const client = yield* clientOn(mock)
        const webhook = yield* webhookOn(mock)
        const streams = yield* Effect.forEach(types, (t) =>
          Effect.gen(function*() {
            const definition: Definition.Any = Types.all.find((d) =>
              d.type === t.type && d.version === t.version
            )!
            const wire = wireCondition(t, definition)
            const condition = Definition.decodeCondition(definition, wire)
            expect(Option.isSome(condition), `${t.type}@${t.version} condition ${JSON.stringify(wire)}`).toBe(
              true
            )
            // The definitions are those of `Types`; each client takes the ones its transport carries.
            const subscribe: Subscribe = Definition.isWebSocketCapable(definition)
              ? client.subscribeScoped as Subscribe
              : webhook.subscribeScoped as Subscribe
            const stream = yield* subscribe(definition, Option.getOrThrow(condition)).pipe(
              Effect.timeoutFail({
                duration: "10 seconds",
                onTimeout: () => `${t.type}@${t.version}: not created`
              })
            )
            return { t, definition, wire, stream }
          }), { concurrency: 8 })
        expect(
          streams.filter((s) => !Definition.isWebSocketCapable(s.definition)).map((s) => s.t.type).sort()
        )
          .toEqual([
            "conduit.shard.disabled",
            "drop.entitlement.grant",
            "extension.bits_transaction.create",
            "user.authorization.grant",
            "user.authorization.revoke"
          ])

        for (const { definition, stream, t, wire } of streams) {
          const fired = yield* mock.eventSub.control.fire({ type: t.type, version: t.version })
          expect(fired.messageIds.length, `${t.type}@${t.version}`).toBe(1)
          const [event] = yield* take(stream, 1).pipe(
            Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => `${t.type}@${t.version}: no event` })
          )
          // Decoded into the model, and the condition's values are where the mock put them.
          expect(Schema.is(definition.event)(event), `${t.type}@${t.version}`).toBe(true)
          const encoded = Schema.encodeUnknownSync(definition.event)(event) as Record<string, unknown>
          for (const [name, value] of Object.entries(wire)) {
            if (name in encoded && !name.endsWith("client_id")) {
              expect(encoded[name], `${t.type} ${name}`).toBe(value)
            }
          }
        }
        expect(yield* client.stats).toMatchObject({ unreadable: 0, notifications: 77 })
        expect(yield* webhook.stats).toMatchObject({ unreadable: 0, notifications: 5 })
      }),
    60_000
  )
})
