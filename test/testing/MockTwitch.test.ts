import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as net from "node:net"
import { MockTwitch, MockWorld } from "../../src/testing/index.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { get, helixHeaders } from "./mock/http/client.js"

const Live = MockTwitch.layerTwitchConfig.pipe(
  Layer.provideMerge(MockTwitch.layer({ irc: { chatterRate: 0 } }))
)

describe("MockTwitch", () => {
  it.live("a world can be given as data (as npm run mock --world does)", () =>
    Effect.gen(function*() {
      const data = MockWorld.emptyWorldData()
      const world = {
        ...data,
        users: [{
          id: "42",
          login: "solo",
          displayName: "Solo",
          type: "" as const,
          broadcasterType: "" as const,
          description: "",
          profileImageUrl: "",
          offlineImageUrl: "",
          createdAt: "2020-01-01T00:00:00Z",
          email: "solo@example.invalid",
          chatColor: ""
        }]
      }
      yield* Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        expect(Option.isNone(mock.irc)).toBe(true)
        const app = yield* mock.world.issueToken({ clientId: mock.credentials.clientId })
        const res = yield* get(`${mock.http.helixUrl}/users?login=solo`, helixHeaders(app.value))
        expect(res.json()).toMatchObject({ data: [{ id: "42", login: "solo", display_name: "Solo" }] })
        expect((yield* get(`${mock.http.helixUrl}/streams`, helixHeaders(app.value))).json()).toEqual({
          data: [],
          pagination: {}
        })
      }).pipe(Effect.provide(MockTwitch.layer({ world, irc: false })))
    }))
})

layer(Live, { excludeTestServices: true })("MockTwitch.layer", (it) => {
  it.effect("layerTwitchConfig points every URL at the running mock", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const config = yield* TwitchConfig.TwitchConfig
      expect(config.clientId).toBe(MockWorld.defaultClientId)
      expect(config.helixUrl).toBe(`http://127.0.0.1:${mock.http.port}/helix`)
      expect(config.idUrl).toBe(`http://127.0.0.1:${mock.http.port}`)
      expect(config.gqlUrl).toBe(`http://127.0.0.1:${mock.http.port}/gql`)
      expect(config.usherUrl).toBe(`http://127.0.0.1:${mock.http.port}`)
      expect(config.emoteCdnUrl).toBe(`http://127.0.0.1:${mock.http.port}/emoticons/v2`)
      const irc = Option.getOrThrow(mock.irc)
      expect(config.ircHost).toBe("127.0.0.1")
      expect(config.ircPort).toBe(irc.tcpPort)
      expect(config.ircTls).toBe(false)
      expect(config.ircWebSocketUrl).toBe(irc.wsUrl)
      const res = yield* get(
        `${config.helixUrl}/users`,
        helixHeaders(mock.credentials.userToken, config.clientId)
      )
      expect(res.json<{ data: Array<{ login: string }> }>().data[0].login).toBe(mock.defaultUser.login)
    }))

  it.effect("the IRC server shares the world: a user added through the control handle can log in", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const irc = Option.getOrThrow(mock.irc)
      const added = yield* mock.world.addUser({ login: "freshviewer" })
      const token = yield* mock.world.issueToken({
        clientId: mock.credentials.clientId,
        userId: added.id,
        scopes: ["chat:read"]
      })
      const welcome = yield* Effect.async<string>((resume) => {
        const socket = net.connect({ host: "127.0.0.1", port: irc.tcpPort })
        let buffer = ""
        const timer = setTimeout(() => {
          socket.destroy()
          resume(Effect.succeed(buffer))
        }, 5000)
        socket.on("data", (chunk) => {
          buffer += chunk.toString("utf8")
          if (buffer.includes(" 001 ")) {
            clearTimeout(timer)
            socket.destroy()
            resume(Effect.succeed(buffer))
          }
        })
        socket.write(`PASS oauth:${token.value}\r\nNICK freshviewer\r\n`)
      })
      expect(welcome).toContain(":tmi.twitch.tv 001 freshviewer")
    }))
})
