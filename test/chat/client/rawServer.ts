/**
 * A tiny scripted IRC server for fault tests the mock Twitch does not model (servers that follow
 * IRCv3 CAP strictly, NAK capabilities, answer late or flap). Each test scripts it with a per-line
 * handler; the server records every line it received, per connection. It serves in-memory
 * connections (tests on TestClock); its `later` and `now` follow the test's clock.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Runtime from "effect/Runtime"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import type * as Transport from "../../../src/testing/mock/irc/Transport.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"
import * as Memory from "./memory.js"

export interface RawConn {
  /** 1 for the first connection. */
  readonly index: number
  readonly lines: Array<string>
  nick: string
  readonly write: (line: string) => void
  readonly end: () => void
  /** Resets the connection: the server reads nothing more, the client's next write or read fails. */
  readonly destroy: () => void
  /** Runs `f` after `millis` of the test's clock. */
  readonly later: (millis: number, f: () => void) => void
  /** The test clock's time. */
  readonly now: () => number
}

export const token = AccessToken.make("abcdefghijklmnopqrstuvwxyz0123", {
  kind: "user",
  login: "bot",
  scopes: ["chat:read", "chat:edit"]
})

export const welcome = (nick: string) => `:tmi.twitch.tv 001 ${nick} :Welcome, GLHF!`
export const joinEcho = (nick: string, channel: string) =>
  `:${nick}!${nick}@${nick}.tmi.twitch.tv JOIN #${channel}`
export const userState = (channel: string, id?: string) =>
  `@badge-info=;badges=;color=;display-name=Bot;emote-sets=0${
    id === undefined ? "" : `;id=${id}`
  };mod=0;subscriber=0;user-type= :tmi.twitch.tv USERSTATE #${channel}`

/** Starts the server; `onLine` sees every line a client sends. Closed with the scope. */
export const start = (onLine: (conn: RawConn, line: string) => void) =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const runFork = Runtime.runFork(runtime)
    const clock = yield* Effect.clock
    const conns: Array<RawConn> = []
    const connection = (write: (text: string) => void, end: () => void, destroy: () => void): RawConn => {
      const conn: RawConn = {
        index: conns.length + 1,
        lines: [],
        nick: "",
        write: (line) => write(line + "\r\n"),
        end,
        destroy,
        later: (millis, f) => {
          runFork(Effect.zipRight(Effect.sleep(millis), Effect.sync(f)))
        },
        now: () => clock.unsafeCurrentTimeMillis()
      }
      conns.push(conn)
      return conn
    }
    const receive = (conn: RawConn, line: string) => {
      conn.lines.push(line)
      const nick = /^NICK (\S+)/.exec(line)
      if (nick !== null) conn.nick = nick[1]
      onLine(conn, line)
    }
    const accept = (raw: Transport.RawConnection) => {
      const conn = connection((text) => raw.write(text), () => raw.end(), () => raw.destroy())
      runFork(Effect.gen(function*() {
        for (;;) {
          const item = yield* Queue.take(raw.inbound)
          if (item._tag === "Closed") return
          for (const line of item.lines) receive(conn, line)
        }
      }))
    }
    const config = TwitchConfig.layer({
      clientId: "abcdefghijklmnopqrstuvwxyz0123",
      ircHost: "127.0.0.1",
      ircPort: 1,
      ircTls: false,
      ircWebSocketUrl: "ws://127.0.0.1:1"
    })
    const client = (clientOptions: ChatClient.Options = {}) =>
      ChatClient.make({
        sendTimeout: "1 second",
        joinTimeout: "1 second",
        loginTimeout: "1 second",
        reconnect: { base: "10 millis", max: "100 millis" },
        transport: Memory.transport(accept),
        ...clientOptions
      }).pipe(Effect.provide(Layer.merge(config, TwitchAuth.layerStatic(token))))
    return { conns, client }
  })

/** A Twitch-like default: ACK every CAP REQ, welcome on NICK, echo JOIN/PART, answer PING. */
export const twitchLike = (conn: RawConn, line: string): boolean => {
  const ping = /^PING :(.*)$/.exec(line)
  if (ping !== null) {
    conn.write(`:tmi.twitch.tv PONG tmi.twitch.tv :${ping[1]}`)
    return true
  }
  const req = /^CAP REQ :(.*)$/.exec(line)
  if (req !== null) {
    conn.write(`:tmi.twitch.tv CAP * ACK :${req[1]}`)
    return true
  }
  if (line.startsWith("NICK ")) {
    conn.write(welcome(conn.nick))
    return true
  }
  const join = /^JOIN #(\S+)$/.exec(line)
  if (join !== null) {
    conn.write(joinEcho(conn.nick, join[1]))
    conn.write(userState(join[1]))
    return true
  }
  const part = /^PART #(\S+)$/.exec(line)
  if (part !== null) {
    conn.write(`:${conn.nick}!${conn.nick}@${conn.nick}.tmi.twitch.tv PART #${part[1]}`)
    return true
  }
  return false
}
