/**
 * Shared setup of the IRC server tests: a default world, a server with the chatter off, and the
 * channels the tests use.
 */
import * as Effect from "effect/Effect"
import * as IrcServer from "../../../src/testing/mock/IrcServer.js"
import * as World from "../../../src/testing/mock/World.js"
import type { RawClient } from "./RawClient.js"
import * as Raw from "./RawClient.js"

export const ALL_CAPS = "twitch.tv/tags twitch.tv/commands twitch.tv/membership"

export const setup = (options: IrcServer.Options = {}) =>
  Effect.gen(function*() {
    const world = yield* World.make()
    const server = yield* IrcServer.make(world, { chatterRate: 0, ...options })
    const s = yield* world.snapshot
    const loginOf = (id: string) => s.users.find((u) => u.id === id)?.login ?? ""
    const live = s.streams.map((st) => loginOf(st.userId))
    const liveIds = new Set(s.streams.map((st) => st.userId))
    const suspended = s.channels.filter((c) => c.suspended).map((c) => loginOf(c.broadcasterId))
    const offline = s.channels
      .filter((c) => !c.suspended && !liveIds.has(c.broadcasterId) && c.moderators.length === 0)
      .map((c) => loginOf(c.broadcasterId))
      .filter((l) => l !== World.defaultUserLogin && l !== World.secondUserLogin)
    return { world, server, live, offline, suspended, tcp: { _tag: "tcp" as const, port: server.tcpPort } }
  })

/** Logs in with a token (or anonymously with `token` undefined) and waits for the end of the MOTD. */
export const login = (
  client: RawClient,
  nick: string,
  token: string | undefined,
  /** `null` requests no capabilities. */
  caps: string | null = ALL_CAPS
) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    if (caps !== null) lines.push(`CAP REQ :${caps}`)
    if (token !== undefined) lines.push(`PASS oauth:${token}`)
    lines.push(`NICK ${nick}`)
    yield* client.send(...lines)
    yield* client.next(Raw.is("376"))
  })

export const user = (server: IrcServer.IrcServer, nick: string, token: string | undefined) =>
  Effect.gen(function*() {
    const client = yield* Raw.connect({ _tag: "tcp", port: server.tcpPort })
    yield* login(client, nick, token)
    return client
  })

export const joined = (client: RawClient, channel: string) =>
  Effect.gen(function*() {
    yield* client.send(`JOIN #${channel}`)
    yield* client.next((l) => Raw.commandOf(l) === "ROOMSTATE" && l.endsWith(`#${channel}`))
  })
