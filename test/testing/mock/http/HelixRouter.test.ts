/**
 * The spec-driven Helix router: the refusals Twitch sends for a wrong token kind, a missing scope,
 * a missing or malformed parameter or body field and a field that must be the token's user; route
 * modules overriding a handler by operationId; the response check turning a mismatch into a 500.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HelixSpec from "../../../../src/spec/HelixSpec.js"
import { MockTwitch } from "../../../../src/testing/index.js"
import { data } from "../../../../src/testing/mock/http/helix/Handler.js"
import * as Handlers from "../../../../src/testing/mock/http/helix/Handlers.js"
import * as Router from "../../../../src/testing/mock/http/helix/Router.js"
import * as SpecCheck from "../../../../src/testing/mock/http/helix/SpecCheck.js"
import * as SpecGaps from "../../../../src/testing/mock/http/helix/SpecGaps.js"
import type { RouteModule } from "../../../../src/testing/mock/http/RouteModule.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { get, helixHeaders, request, withMock } from "./client.js"

const creds = MockTwitch.credentials
const user = helixHeaders(creds.userToken)
const app = helixHeaders(creds.appToken)

const send = (method: string, url: string, headers: Record<string, string>, body?: unknown) =>
  request(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
  })

const refusal = (status: number, message: string) => ({
  error: ({ 400: "Bad Request", 401: "Unauthorized" } as Record<number, string>)[status],
  status,
  message
})

describe("mock Helix router", () => {
  it.live("refuses the wrong token kind and a missing scope with Twitch's 401 bodies", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const h = mock.http.helixUrl
        const me = MockWorld.defaultUserId
        // A user-token operation with an app token, an app-token operation with a user token.
        const polls = yield* get(`${h}/polls?broadcaster_id=${me}`, app)
        expect(polls.status).toBe(401)
        expect(polls.json()).toEqual(refusal(401, "Missing User OAUTH Token"))
        const auth = yield* get(`${h}/authorization/users?user_id=${me}`, user)
        expect(auth.json()).toEqual(refusal(401, "This endpoint requires an app access token"))
        // Any one of the listed scopes would do; the message names them all.
        const rewards = yield* get(
          `${h}/channel_points/custom_rewards?broadcaster_id=${me}`,
          helixHeaders(creds.noFollowsUserToken)
        )
        expect(rewards.json()).toEqual(
          refusal(401, "Missing scope: channel:read:redemptions or channel:manage:redemptions")
        )
      })
    ))

  it.live("checks parameters against the spec: required, integer ranges, enums, booleans, dates, maxItems", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const h = mock.http.helixUrl
        const me = MockWorld.defaultUserId
        const cases: ReadonlyArray<readonly [string, string]> = [
          [`${h}/channels`, "Missing required parameter \"broadcaster_id\""],
          [
            `${h}/games/top?first=0`,
            "Invalid value for query parameter \"first\": must be an integer between 1 and 100"
          ],
          [
            `${h}/streams?type=vodcast`,
            "Invalid value for query parameter \"type\": must be one of all, live"
          ],
          [
            `${h}/search/channels?query=a&live_only=yes`,
            "Invalid value for query parameter \"live_only\": must be true or false"
          ],
          [
            `${h}/clips?broadcaster_id=${me}&started_at=yesterday`,
            "Invalid value for query parameter \"started_at\": must be an RFC3339 date-time"
          ],
          [
            `${h}/chat/emotes/set?${Array.from({ length: 26 }, (_, i) => `emote_set_id=${i}`).join("&")}`,
            "The parameter \"emote_set_id\" may be specified at most 25 times"
          ],
          [
            `${h}/users?${Array.from({ length: 60 }, (_, i) => `id=${i}&login=u${i}`).join("&")}`,
            "The combined number of id, login parameters may not exceed 100"
          ]
        ]
        for (const [url, message] of cases) {
          const res = yield* get(url, user)
          expect({ url, status: res.status, body: res.json() }).toEqual({
            url,
            status: 400,
            body: refusal(400, message)
          })
        }
      })
    ))

  it.live("checks JSON bodies: valid JSON, an object, required fields, field types", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/polls`
        const me = MockWorld.defaultUserId
        const cases: ReadonlyArray<readonly [unknown, string]> = [
          ["{not json", "The request body is not valid JSON"],
          [[1, 2], "The request body must be a JSON object"],
          [{ broadcaster_id: me, title: "t", duration: 60 }, "Missing required field \"choices\""],
          [
            { broadcaster_id: me, title: "t", choices: [{ title: 1 }], duration: 60 },
            "Invalid value for field \"choices.0.title\": must be a string, not number"
          ]
        ]
        for (const [body, message] of cases) {
          const res = yield* send("POST", url, user, body)
          expect(res.json()).toEqual(refusal(400, message))
        }
      })
    ))

  it.live("x-matchesTokenUser: a query parameter or body field naming another user is refused", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const h = mock.http.helixUrl
        const other = MockWorld.secondUserId
        const query = yield* get(`${h}/channels/editors?broadcaster_id=${other}`, user)
        expect(query.json()).toEqual(
          refusal(401, "The ID in broadcaster_id must match the user ID found in the request's OAuth token.")
        )
        const body = yield* send("POST", `${h}/streams/markers`, user, { user_id: other })
        expect(body.json()).toEqual(
          refusal(401, "The ID in user_id must match the user ID found in the request's OAuth token.")
        )
      })
    ))

  it.live("a route module overrides a handler by operationId; checkAnswers turns a mismatch into a 500", () => {
    const override: RouteModule = {
      name: "override",
      prefixes: [],
      routes: () => HttpRouter.empty,
      helixHandlers: {
        "get-games": () =>
          Effect.succeed(data([{ id: "1", name: "Override", box_art_url: "", igdb_id: "" }])),
        "get-top-games": () => Effect.succeed(data([{ id: 1 }]))
      }
    }
    return withMock((mock) =>
      Effect.gen(function*() {
        const games = yield* get(`${mock.http.helixUrl}/games?id=1`, app)
        expect(games.json()).toEqual({ data: [{ id: "1", name: "Override", box_art_url: "", igdb_id: "" }] })
        const top = yield* get(`${mock.http.helixUrl}/games/top`, app)
        expect(top.status).toBe(500)
        expect(top.json<{ message: string }>().message).toBe(
          "mock answer of get-top-games breaks the spec: data.0.name is required; data.0.box_art_url is required; " +
            "data.0.igdb_id is required; data.0.id must be a string, not number"
        )
      }), { http: { modules: [override], checkAnswers: true } })
  })
})

describe("SpecCheck", () => {
  const node = (name: string): HelixSpec.SchemaNode => ({ $ref: `#/components/schemas/${name}` })

  it("closed checks refuse fields the spec does not name; open checks ignore them", () => {
    const game = { id: "1", name: "n", box_art_url: "u", igdb_id: "", extra: true }
    expect(SpecCheck.check(node("Game"), game, { closed: true }).map(SpecCheck.format)).toEqual([
      "extra is not in the spec"
    ])
    expect(SpecCheck.check(node("Game"), game, { closed: false })).toEqual([])
  })

  it("knows nullable, date-times, enums and x-emptyIsNone", () => {
    const get = HelixSpec.operations.find((o) => o.operation.operationId === "get-banned-users")!
    const schema = SpecCheck.responseSchema(get.operation, 200)!
    const ban = {
      user_id: "1",
      user_login: "a",
      user_name: "A",
      expires_at: "",
      created_at: "2026-01-02T03:04:05Z",
      reason: "",
      moderator_id: "2",
      moderator_login: "b",
      moderator_name: "B"
    }
    expect(SpecCheck.check(schema, { data: [ban], pagination: {} }, { closed: true })).toEqual([])
    expect(
      SpecCheck.check(schema, { data: [{ ...ban, created_at: "", expires_at: null }] }, { closed: true })
        .map(SpecCheck.format)
    ).toEqual(["data.0.expires_at must not be null", "data.0.created_at must be an RFC3339 date-time"])
    const status = HelixSpec.operations.find((o) => o.operation.operationId === "get-polls")!.operation
    expect(SpecCheck.checkAnswer(status, 204, undefined).map(SpecCheck.format)).toEqual([
      "status 204 is not a success the spec lists"
    ])
  })
})

describe("Helix handlers", () => {
  it("every operation of the spec has a handler, or is one Twitch removed; none is left over", () => {
    const ids = HelixSpec.operations.map((o) => o.operation.operationId)
    expect(ids.filter((id) => !Object.hasOwn(Handlers.all, id) && !Router.gone.has(id))).toEqual([])
    expect(Object.keys(Handlers.all).filter((id) => !ids.includes(id))).toEqual([])
  })
})

describe("SpecGaps", () => {
  const operation = (id: string) => {
    const found = HelixSpec.operations.find((o) => o.operation.operationId === id)
    if (found === undefined) throw new Error(`no operation ${id}`)
    return found.operation
  }

  it("every known difference from the spec still differs (else it belongs in helix-overrides.json only)", () => {
    expect(SpecGaps.stale()).toEqual([])
    // Every difference found so far is an override now.
    expect([SpecGaps.gaps, SpecGaps.tokenUserGaps]).toEqual([[], []])
    expect(
      SpecGaps.isKnown("get-emote-sets", { path: "data.3.name", message: "must be a string, not number" })
    )
      .toBe(false)
  })

  it("the spec takes what Twitch sends where the overrides fixed it", () => {
    const emote = {
      id: "25",
      name: "Kappa",
      images: { url_1x: "a", url_2x: "b", url_4x: "c" },
      emote_type: "globals",
      emote_set_id: "0",
      owner_id: "0",
      format: ["static"],
      scale: ["1.0"],
      theme_mode: ["dark"]
    }
    expect(SpecCheck.checkAnswer(operation("get-emote-sets"), 200, { data: [emote], template: "t" })).toEqual(
      []
    )
    expect(SpecCheck.checkAnswer(operation("get-emote-sets"), 200, {
      data: [{ ...emote, emote_type: "nonsense" }],
      template: "t"
    })).not.toEqual([])
    const schedule = {
      data: {
        segments: [],
        broadcaster_id: "1",
        broadcaster_name: "A",
        broadcaster_login: "a",
        vacation: null
      },
      pagination: {}
    }
    expect(SpecCheck.checkAnswer(operation("get-channel-stream-schedule"), 200, schedule)).toEqual([])
    const unban = operation("resolve-unban-requests").parameters ?? []
    expect(unban.filter((p) => p["x-matchesTokenUser"] === true).map((p) => p.name)).toEqual(["moderator_id"])
  })
})
