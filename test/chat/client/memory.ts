/**
 * In-memory connections for chat tests on `TestClock`: a `ChatTransport` whose every connection
 * is a pair of queues, the client's end a platform `Socket`, the server's end the mock IRC
 * server's `RawConnection` (served with `IrcServer.accept`, or by the scripted raw server). No
 * socket, no real time: the client, the server and the test's clock are all fibers of one runtime.
 */
import * as Socket from "@effect/platform/Socket"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as ChatTransport from "../../../src/chat/ChatTransport.js"
import type * as Transport from "../../../src/testing/mock/irc/Transport.js"

type ToClient =
  | { readonly _tag: "Data"; readonly text: string }
  | { readonly _tag: "End" }
  | { readonly _tag: "Reset" }

const socketPair = (accept: (server: Transport.RawConnection) => void) =>
  Effect.gen(function*() {
    const toClient = yield* Queue.unbounded<ToClient>()
    const inbound = yield* Queue.unbounded<Transport.Inbound>()
    const opened = yield* Deferred.make<void>()
    const reading = Effect.unsafeMakeLatch(true)
    let open = false
    let closed = false
    let partial = ""
    const server: Transport.RawConnection = {
      kind: "tcp",
      remote: "memory",
      inbound,
      write: (text) => {
        if (!closed) toClient.unsafeOffer({ _tag: "Data", text })
        return true
      },
      drain: Effect.void,
      end: () => {
        if (!closed) toClient.unsafeOffer({ _tag: "End" })
      },
      destroy: () => {
        // A reset: the server reads nothing more, the client's next read fails.
        if (closed) return
        toClient.unsafeOffer({ _tag: "Reset" })
        close()
      },
      isOpen: () => open && !closed
    }
    const close = () => {
      if (closed) return
      closed = true
      inbound.unsafeOffer({ _tag: "Closed" })
    }
    const write = (chunk: Uint8Array | string | Socket.CloseEvent) =>
      Effect.flatMap(Deferred.await(opened), () => {
        if (Socket.isCloseEvent(chunk)) return Effect.sync(close)
        if (closed) {
          return Effect.fail(
            new Socket.SocketGenericError({ reason: "Write", cause: new Error("EPIPE: closed") })
          )
        }
        partial += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)
        const lines = partial.split("\r\n")
        partial = lines.pop() ?? ""
        if (lines.length > 0) inbound.unsafeOffer({ _tag: "Lines", lines })
        return Effect.void
      })
    const runRaw = <_, E, R>(
      handler: (data: string | Uint8Array) => Effect.Effect<_, E, R> | void,
      options?: { readonly onOpen?: Effect.Effect<void> | undefined }
    ): Effect.Effect<void, Socket.SocketError | E, R> =>
      Effect.gen(function*() {
        accept(server)
        open = true
        Deferred.unsafeDone(opened, Effect.void)
        if (options?.onOpen !== undefined) yield* options.onOpen
        for (;;) {
          yield* reading
          const item = yield* Queue.take(toClient)
          if (item._tag === "End") return
          if (item._tag === "Reset") {
            return yield* new Socket.SocketGenericError({ reason: "Read", cause: new Error("ECONNRESET") })
          }
          const result = handler(item.text)
          if (Effect.isEffect(result)) yield* result
        }
      }).pipe(Effect.ensuring(Effect.sync(close)))
    const socket: Socket.Socket = {
      [Socket.TypeId]: Socket.TypeId,
      runRaw,
      run: (handler, options) =>
        runRaw((data) => handler(typeof data === "string" ? new TextEncoder().encode(data) : data), options),
      writer: Effect.acquireRelease(Effect.succeed(write), () => Effect.sync(close))
    }
    return {
      socket,
      framing: "stream" as const,
      pause: () => reading.unsafeClose(),
      resume: () => reading.unsafeOpen()
    }
  })

/** A transport whose connections are handed to `accept` (e.g. `IrcServer.accept`) as they open. */
export const transport = (
  accept: (server: Transport.RawConnection) => void
): ChatTransport.ChatTransport.Service => ({
  address: "memory://chat",
  connect: socketPair(accept)
})

/** A connection that fails to open, as one to a port where nothing listens (`ECONNREFUSED`). */
export const refused: Effect.Effect<ChatTransport.Connection> = Effect.sync(() => {
  const error = new Socket.SocketGenericError({
    reason: "Open",
    cause: new Error("connect ECONNREFUSED memory")
  })
  const socket: Socket.Socket = {
    [Socket.TypeId]: Socket.TypeId,
    runRaw: () => Effect.fail(error),
    run: () => Effect.fail(error),
    writer: Effect.succeed(() => Effect.fail(error))
  }
  return { socket, framing: "stream" as const }
})
