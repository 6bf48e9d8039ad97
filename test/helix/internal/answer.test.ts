import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { raw } from "../../../src/helix/HelixClient.js"
import { decodePage } from "../../../src/helix/internal/answer.js"
import type { Answer } from "../../../src/internal/http/failure.js"

const answerOf = (body: unknown): Answer => ({
  status: 200,
  headers: {},
  text: typeof body === "string" ? body : JSON.stringify(body),
  info: () => ({ method: "GET", url: "https://api.twitch.tv/helix/things" })
})

class Thing extends Schema.Class<Thing>("test/Thing")({ id: Schema.String }) {}

/** The DecodeError's path and detail of a page answer that must be refused. */
const refused = (body: unknown, document = false) =>
  Effect.map(Effect.flip(decodePage(answerOf(body), Thing, document)), (e) => ({
    tag: e._tag,
    path: e._tag === "DecodeError" ? e.path : undefined
  }))

describe("helix/internal/answer decodePage", () => {
  it.effect("decodes the items, keeps their wire objects, the cursor and the total", () =>
    Effect.gen(function*() {
      const wire = [{ id: "a", extra: 1 }, { id: "b" }]
      const page = yield* decodePage(
        answerOf({ data: wire, pagination: { cursor: "c1" }, total: 7 }),
        Thing,
        false
      )
      expect(page.data.map((t) => t.id)).toEqual(["a", "b"])
      expect(page.data[0]).toBeInstanceOf(Thing)
      expect(Option.getOrThrow(raw(page.data[0]!))).toEqual({ id: "a", extra: 1 })
      expect(page.cursor).toEqual(Option.some("c1"))
      expect(page.total).toEqual(Option.some(7))
    }))

  it.effect("has no next page after an empty cursor, an empty page or no pagination", () =>
    Effect.gen(function*() {
      const empty = yield* decodePage(
        answerOf({ data: [{ id: "a" }], pagination: { cursor: "" } }),
        Thing,
        false
      )
      const none = yield* decodePage(answerOf({ data: [], pagination: { cursor: "c" } }), Thing, false)
      const absent = yield* decodePage(answerOf({ data: [{ id: "a" }] }), Thing, false)
      expect([empty.cursor, none.cursor, absent.cursor]).toEqual([
        Option.none(),
        Option.none(),
        Option.none()
      ])
      expect(absent.total).toEqual(Option.none())
    }))

  it.effect("reads a document page as a page of its one item, and Schema.Unknown items as they came", () =>
    Effect.gen(function*() {
      const document = yield* decodePage(answerOf({ data: { id: "doc" } }), Thing, true)
      expect(document.data.map((t) => t.id)).toEqual(["doc"])
      const wire = [{ id: "a" }, 3]
      const unknown = yield* decodePage(answerOf({ data: wire }), Schema.Unknown, false)
      expect(unknown.data).toEqual(wire)
    }))

  it.effect("refuses a malformed envelope with a DecodeError naming where", () =>
    Effect.gen(function*() {
      expect(yield* refused([{ id: "a" }])).toEqual({ tag: "DecodeError", path: "<root>" })
      expect(yield* refused({ data: { id: "a" } })).toEqual({ tag: "DecodeError", path: "data" })
      expect(yield* refused({ data: [], pagination: "c" })).toEqual({
        tag: "DecodeError",
        path: "pagination"
      })
      expect(yield* refused({ data: [], pagination: { cursor: 5 } })).toEqual({
        tag: "DecodeError",
        path: "pagination.cursor"
      })
      expect(yield* refused({ data: [], total: "7" })).toEqual({ tag: "DecodeError", path: "total" })
      expect(yield* refused("{not json")).toEqual({ tag: "DecodeError", path: "<body>" })
    }))

  it.effect("names the item that does not decode under data", () =>
    Effect.gen(function*() {
      const { path } = yield* refused({ data: [{ id: "a" }, { id: 2 }] })
      expect(path).toBe("data.1.id")
    }))
})
