/**
 * The EventSub benchmark's server: the project's mock Twitch (no IRC) in a process of its own,
 * compiled like the clients. It sends its URLs and credentials to the parent, then on
 * `{ blast: n }` has its EventSub server push `n` `channel.chat.message` notifications to every
 * subscription of that type (`control.blast`: the event built once, a fresh `message_id` each,
 * as fast as the socket drains, waiting for the socket every 1,000 frames) and one more whose text
 * is the sentinel (`control.fire`), then answers `{ sent, millis }`.
 *
 * Usage (spawned by `benchmark.ts`): server.js
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import { chatEvent, SENTINEL, type ServerInfo } from "./shared.js"

const program = Effect.gen(function*() {
  const context = yield* Layer.build(MockTwitch.layer({ irc: false }))
  const mock = Context.get(context, MockTwitch.MockTwitch)
  const control = mock.eventSub.control
  const info: ServerInfo = {
    port: mock.http.port,
    helixUrl: mock.http.helixUrl,
    wsUrl: mock.eventSub.wsUrl,
    clientId: mock.credentials.clientId,
    token: mock.credentials.userToken,
    broadcaster: mock.defaultUser.id,
    user: mock.defaultUser.id
  }
  const onMessage = (message: unknown) => {
    if (typeof message !== "object" || message === null || !("blast" in message)) return
    const n = Number(message.blast)
    void Effect.runPromise(Effect.gen(function*() {
      const result = yield* control.blast(
        {
          type: "channel.chat.message",
          event: chatEvent("hello chat, this is a message of the benchmark Kappa")
        },
        n
      )
      yield* control.fire({ type: "channel.chat.message", event: chatEvent(SENTINEL) })
      return result
    })).then(
      (result) => process.send?.({ sent: result.messages + 1, millis: result.millis }),
      (error: unknown) => process.send?.({ error: String(error) })
    )
  }
  process.on("message", onMessage)
  process.send?.(info)
  yield* Effect.never
})

// Killed by the parent: exit normally, so that a CPU profile asked for is written.
process.on("SIGTERM", () => process.exit(0))
void Effect.runPromise(Effect.scoped(program))
