/**
 * The ready extension: JWT operations accept an HS256 JWT signed with the extension's base64
 * secret (and refuse other secrets, expired JWTs, other client ids and OAuth tokens); rotating the
 * secret keeps the old one valid for a while; PubSub needs the JWT's permissions; the app-token
 * operations answer only the extension's own client.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as ExtensionAuth from "../../../../src/helix/ExtensionAuth.js"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { helixHeaders, request, withMock } from "./client.js"

const ext = MockWorld.extensionClientId
const secret = Redacted.make(MockWorld.extensionSecret)
const inMinutes = (n: number) => Math.floor(Date.now() / 1000) + n * 60

const jwt = (claims: Record<string, unknown>, key = secret) =>
  Redacted.value(ExtensionAuth.sign({ user_id: MockWorld.defaultUserId, role: "external", ...claims }, key))

const call = (
  mock: MockTwitch.MockTwitch.Service,
  method: string,
  path: string,
  token: string,
  options: { readonly clientId?: string; readonly body?: unknown } = {}
) =>
  request(`${mock.http.helixUrl}${path}`, {
    method,
    headers: {
      ...helixHeaders(token, options.clientId ?? ext),
      ...(options.body === undefined ? {} : { "content-type": "application/json" })
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
  })

const unauthorized = (message: string) => ({ error: "Unauthorized", status: 401, message })

describe("mock Helix extension JWTs", () => {
  it.live("accepts a JWT signed with the extension's secret and refuses the others", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const secrets = "/extensions/jwt/secrets"
        const ok = yield* call(mock, "GET", secrets, jwt({ exp: inMinutes(3) }))
        expect(ok.status).toBe(200)
        expect(ok.json()).toMatchObject({
          data: [{ format_version: 1, secrets: [{ content: MockWorld.extensionSecret }] }]
        })
        const forged = jwt(
          { exp: inMinutes(3) },
          Redacted.make(Buffer.from("not the secret").toString("base64"))
        )
        expect((yield* call(mock, "GET", secrets, forged)).json()).toEqual(unauthorized("Invalid JWT token"))
        expect((yield* call(mock, "GET", secrets, jwt({ exp: inMinutes(-1) }))).json()).toEqual(
          unauthorized("JWT token expired")
        )
        const otherClient = yield* call(mock, "GET", secrets, jwt({ exp: inMinutes(3) }), {
          clientId: MockWorld.defaultClientId
        })
        expect(otherClient.json()).toEqual(unauthorized("Invalid JWT token"))
        expect((yield* call(mock, "GET", secrets, MockTwitch.credentials.userToken)).status).toBe(401)
        expect((yield* call(mock, "GET", secrets, "")).json()).toEqual(
          unauthorized("Missing Client ID or JWT")
        )
      })
    ))

  it.live("a new secret leaves the old one valid until it expires; configuration segments read back", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const token = jwt({ exp: inMinutes(3) })
        const rotated = yield* call(
          mock,
          "POST",
          `/extensions/jwt/secrets?extension_id=${ext}&delay=300`,
          token
        )
        const body = rotated.json<
          { data: ReadonlyArray<{ secrets: ReadonlyArray<{ expires_at: string }> }> }
        >()
        expect(body.data[0].secrets).toHaveLength(2)
        expect(Date.parse(body.data[0].secrets[0].expires_at)).toBeGreaterThan(Date.now())
        expect((yield* call(mock, "GET", "/extensions/jwt/secrets", token)).status).toBe(200)
        const set = yield* call(mock, "PUT", "/extensions/configurations", token, {
          body: {
            extension_id: ext,
            segment: "broadcaster",
            broadcaster_id: MockWorld.defaultUserId,
            content: "{\"a\":1}",
            version: "7"
          }
        })
        expect(set.status).toBe(204)
        const read = yield* call(
          mock,
          "GET",
          `/extensions/configurations?extension_id=${ext}&segment=broadcaster&broadcaster_id=${MockWorld.defaultUserId}`,
          token
        )
        expect(read.json()).toEqual({
          data: [{
            segment: "broadcaster",
            broadcaster_id: MockWorld.defaultUserId,
            content: "{\"a\":1}",
            version: "7"
          }]
        })
      })
    ))

  it.live("PubSub messages need the JWT's channel and send permissions", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const body = { target: ["broadcast"], broadcaster_id: MockWorld.defaultUserId, message: "hi" }
        const allowed = jwt({
          exp: inMinutes(3),
          channel_id: MockWorld.defaultUserId,
          pubsub_perms: { send: ["broadcast"] }
        })
        expect((yield* call(mock, "POST", "/extensions/pubsub", allowed, { body })).status).toBe(204)
        const bare = jwt({ exp: inMinutes(3) })
        expect((yield* call(mock, "POST", "/extensions/pubsub", bare, { body })).status).toBe(401)
      })
    ))

  it.live("Bits products answer the extension's own app token only", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const path = "/bits/extensions?should_include_all=true"
        const own = yield* call(mock, "GET", path, MockWorld.extensionAppToken)
        expect(own.json<{ data: ReadonlyArray<{ sku: string }> }>().data.map((p) => p.sku)).toEqual([
          "sku_hello",
          "sku_confetti"
        ])
        const other = yield* call(mock, "GET", path, MockWorld.appToken, {
          clientId: MockWorld.defaultClientId
        })
        expect(other.status).toBe(401)
      })
    ))
})
