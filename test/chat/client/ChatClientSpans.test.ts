/**
 * Spans (issue #16): connect, login, join, send with its outcome, reconnect; no secret in any
 * attribute. A recording tracer wraps the default one; on TestClock against the mock.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Tracer from "effect/Tracer"
import * as World from "../../../src/testing/mock/World.js"
import { client, patient, setup, waitEvent } from "./fixture.js"
import * as Virtual from "./virtual.js"

const recording = Effect.map(Effect.tracer, (tracer) => {
  const spans: Array<Tracer.Span> = []
  const recorder = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = tracer.span(name, parent, context, links, startTime, kind, options)
      spans.push(span)
      return span
    },
    context: (f, fiber) => tracer.context(f, fiber)
  })
  return { spans, recorder }
})

describe("ChatClient spans", () => {
  it.scoped("connect, login, join, send (with its outcome) and reconnect, without secrets", () =>
    Virtual.run(Effect.gen(function*() {
      const { spans, recorder } = yield* recording
      yield* Effect.gen(function*() {
        const { config, memory, control } = yield* setup()
        const chat = yield* client(config, { ...patient, transport: memory })
        const channel = World.defaultUserLogin
        yield* chat.join(channel)
        yield* chat.say(channel, "traced")
        yield* chat.say(channel, "traced")
        const reconnected = yield* Effect.fork(waitEvent(chat, (e) => e._tag === "Joined"))
        yield* control.dropConnections()
        yield* reconnected
      }).pipe(Effect.withTracer(recorder))

      const named = (name: string) => spans.filter((s) => s.name === name)
      const attribute = (span: Tracer.Span, key: string) => span.attributes.get(key)
      assert.isAtLeast(named("chat.connect").length, 2)
      assert.strictEqual(attribute(named("chat.connect")[0], "chat.transport"), "memory://chat")
      assert.strictEqual(attribute(named("chat.connect")[0], "chat.attempt"), 1)
      assert.strictEqual(attribute(named("chat.login")[0], "chat.login"), "twitcher")
      assert.strictEqual(attribute(named("chat.login")[0], "chat.anonymous"), false)
      assert.strictEqual(attribute(named("chat.join")[0], "chat.channel"), World.defaultUserLogin)
      const sends = named("chat.send")
      assert.deepStrictEqual(sends.map((s) => attribute(s, "chat.outcome")), ["Sent", "Refused"])
      assert.strictEqual(attribute(sends[1], "chat.reason"), "msg_duplicate")
      assert.strictEqual(attribute(named("chat.reconnect")[0], "chat.reason"), "Error")
      for (const span of spans) assert.strictEqual(span.status._tag, "Ended", span.name)

      // Nothing secret in any attribute: neither the token nor anything that looks like a PASS.
      for (const span of spans) {
        for (const [key, value] of span.attributes) {
          const text = String(value)
          assert.notInclude(text, World.defaultUserToken, `${span.name} ${key}`)
          assert.notInclude(text, "oauth:", `${span.name} ${key}`)
        }
      }
    })))
})
