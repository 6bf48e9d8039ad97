/**
 * The pure parts of an operation: which tokens pass the check, and how id lists are split.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as HelixOperation from "../../src/helix/HelixOperation.js"

const reason = (operation: Parameters<typeof HelixOperation.authorize>[0], token: AccessToken.AccessToken) =>
  Option.map(HelixOperation.authorize(operation, token), (e) => [e.reason, e.scope])

describe("HelixOperation", () => {
  it("checks the token kind, then that one of the scopes is granted (user tokens with known scopes)", () => {
    const polls = { tokens: ["user"] as const, scopes: ["channel:read:polls", "channel:manage:polls"] }
    const user = (scopes?: ReadonlyArray<string>) =>
      AccessToken.make("t", { kind: "user", ...(scopes === undefined ? {} : { scopes }) })
    expect(reason(polls, user(["channel:manage:polls"]))).toEqual(Option.none())
    expect(reason(polls, user([]))).toEqual(
      Option.some(["MissingScope", "channel:read:polls or channel:manage:polls"])
    )
    expect(reason(polls, user())).toEqual(Option.none())
    expect(reason(polls, AccessToken.make("t", { kind: "app" }))).toEqual(
      Option.some(["WrongTokenKind", "channel:read:polls or channel:manage:polls"])
    )
    expect(reason(polls, AccessToken.make("t"))).toEqual(Option.none())
    const conduits = { tokens: ["app"] as const, scopes: [] }
    expect(reason(conduits, user([]))).toEqual(Option.some(["WrongTokenKind", undefined]))
    const clips = { tokens: ["app", "user"] as const, scopes: ["editor:manage:clips"] }
    expect(reason(clips, AccessToken.make("t", { kind: "app" }))).toEqual(Option.none())
  })

  it("splits id lists: a shared limit counts its parameters together; groups multiply", () => {
    const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`)
    const wire = { user_id: ids(150, "u"), user_login: ids(60, "l"), game_id: ids(120, "g"), type: "live" }
    const requests = HelixOperation.batches(wire, [
      { params: ["user_id", "user_login"], size: 100 },
      { params: ["game_id"], size: 100 }
    ])
    const sizes = requests.map((r) => [
      Array.isArray(r["user_id"]) ? r["user_id"].length : 0,
      Array.isArray(r["user_login"]) ? r["user_login"].length : 0,
      Array.isArray(r["game_id"]) ? r["game_id"].length : 0
    ])
    expect(sizes).toEqual([[100, 0, 100], [100, 0, 20], [50, 50, 100], [50, 50, 20], [0, 10, 100], [
      0,
      10,
      20
    ]])
    expect(requests.every((r) => r["type"] === "live")).toBe(true)
    // Each run of channels is asked once per run of games.
    expect(
      requests.filter((_, i) => i % 2 === 0).flatMap((
        r
      ) => (Array.isArray(r["user_login"]) ? r["user_login"] : []))
    ).toEqual(
      ids(60, "l")
    )
    expect(HelixOperation.batches({ id: ["1"] }, [{ params: ["id"], size: 100 }])).toEqual([{ id: ["1"] }])
  })
})
