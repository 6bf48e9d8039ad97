/**
 * Every subscription type and version of the facts file, subscribed (WebSocket with a user token
 * holding every scope, webhook with the app token for the app-only types) and fired once: each
 * notification's event must be valid per the type's field tree (every field present, its type,
 * enum and date-time format, null only where nullable or optional).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Http from "node:http"
import facts from "../../../../src/spec/eventsub.json" with { type: "json" }
import * as World from "../../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { create, type Frame, mockLayer, session, wsBody } from "./client.js"

interface FieldFacts {
  readonly type: string
  readonly nullable?: boolean
  readonly optional?: boolean
  readonly enum?: ReadonlyArray<string>
  readonly format?: string
  readonly fields?: Readonly<Record<string, FieldFacts>>
  readonly items?: FieldFacts
}

interface TypeFacts {
  readonly type: string
  readonly version: string
  readonly condition: Readonly<Record<string, string>>
  readonly conditionRequired: ReadonlyArray<string>
  readonly scopes: ReadonlyArray<string>
  readonly auth: { readonly token?: string }
  readonly event: Readonly<Record<string, FieldFacts>>
  readonly webhookOnly?: boolean
  readonly batched?: boolean
  readonly requestExtraFields?: Readonly<Record<string, unknown>>
}

const types: ReadonlyArray<TypeFacts> =
  (facts as { readonly subscriptionTypes: ReadonlyArray<TypeFacts> }).subscriptionTypes

const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** The problems of a value against a field (empty when valid). */
const check = (field: FieldFacts, value: unknown, path: string): ReadonlyArray<string> => {
  if (value === null) return field.nullable === true || field.optional === true ? [] : [`${path}: null`]
  switch (field.type) {
    case "string":
      if (typeof value !== "string") return [`${path}: not a string`]
      if (field.enum !== undefined && !field.enum.includes(value)) return [`${path}: ${value} not in enum`]
      return field.format === "date-time" && !dateTime.test(value) ? [`${path}: ${value} not RFC3339`] : []
    case "integer":
      return Number.isInteger(value) ? [] : [`${path}: not an integer`]
    case "number":
      return typeof value === "number" ? [] : [`${path}: not a number`]
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: not a boolean`]
    case "array":
      return Array.isArray(value)
        ? value.flatMap((
          item,
          i
        ) => (field.items === undefined ? [] : check(field.items, item, `${path}[${i}]`)))
        : [`${path}: not an array`]
    case "object":
      return typeof value === "object" && !Array.isArray(value)
        ? checkObject(field.fields ?? {}, value, path)
        : [`${path}: not an object`]
    default:
      return [`${path}: unknown type ${field.type}`]
  }
}

const checkObject = (
  fields: Readonly<Record<string, FieldFacts>>,
  value: object,
  path: string
): ReadonlyArray<string> =>
  Object.entries(fields).flatMap(([name, field]) =>
    name in value
      ? check(field, Object.getOwnPropertyDescriptor(value, name)?.value, `${path}.${name}`)
      : field.optional === true
      ? []
      : [`${path}.${name}: missing`]
  )

const me = World.defaultUserId

/** A condition naming the default user (or client) wherever a user is asked for. */
const conditionOf = (t: TypeFacts): Record<string, string> => {
  const condition: Record<string, string> = {}
  for (const name of Object.keys(t.condition)) {
    if (name === "from_broadcaster_user_id" || name === "reward_id" || name === "conduit_id") continue
    if (name.endsWith("user_id") || name === "broadcaster_id") condition[name] = me
    else if (name.endsWith("client_id")) condition[name] = World.defaultClientId
    else if (t.conditionRequired.includes(name)) condition[name] = `mock-${name}`
  }
  return condition
}

const appOnly = (t: TypeFacts) => t.webhookOnly === true || t.auth.token === "app"

/** A webhook callback that answers challenges and queues notifications. */
const callbackServer = Effect.gen(function*() {
  const received = yield* Queue.unbounded<Frame["payload"] & { readonly type: string }>()
  const server = yield* Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const s = Http.createServer((req, res) => {
        let body = ""
        req.on("data", (c: Buffer) => (body += c.toString("utf8")))
        req.on("end", () => {
          const json = JSON.parse(body) as Frame["payload"] & { readonly challenge?: string }
          if (json.challenge !== undefined) return res.writeHead(200).end(json.challenge)
          Queue.unsafeOffer(received, {
            ...json,
            type: String(req.headers["twitch-eventsub-subscription-type"])
          })
          res.writeHead(204).end()
        })
      })
      s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
    }),
    (s) =>
      Effect.async<void>((resume) => {
        s.closeAllConnections()
        s.close(() => resume(Effect.void))
      })
  )
  const address = server.address()
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/cb`,
    received
  }
})

describe("EventSub payloads", () => {
  it.scopedLive("every type and version fired produces an event valid per the facts file's field tree", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      assert.strictEqual(types.length, 82)
      const allScopes = [...new Set(types.flatMap((t) => t.scopes))]
      const token = yield* mock.world.issueToken({
        clientId: World.defaultClientId,
        userId: me,
        scopes: allScopes
      })
      const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
      const callback = yield* callbackServer
      for (const t of types) {
        const condition = conditionOf(t)
        const extra = Object.fromEntries(Object.keys(t.requestExtraFields ?? {}).map((k) => [k, true]))
        const body = appOnly(t)
          ? {
            type: t.type,
            version: t.version,
            condition,
            ...extra,
            transport: { method: "webhook", callback: callback.url, secret: "0123456789abcdef" }
          }
          : wsBody(t.type, t.version, condition, sessionId)
        const answer = yield* create(mock, appOnly(t) ? MockTwitch.credentials.appToken : token.value, body)
        assert.strictEqual(answer.status, 202, `${t.type} v${t.version}: ${answer.text}`)
      }
      yield* mock.eventSub.control.awaitSubscriptions(types.length).pipe(Effect.timeout("10 seconds"))
      const problems: Array<string> = []
      for (const t of types) {
        const fired = yield* mock.eventSub.control.fire({ type: t.type, version: t.version })
        assert.strictEqual(fired.messageIds.length, 1, `${t.type} v${t.version}`)
        const payload = appOnly(t)
          ? yield* Queue.take(callback.received)
          : (yield* client.next("notification")).payload
        assert.strictEqual(payload.subscription?.type, t.type)
        assert.strictEqual(payload.subscription?.version, t.version)
        const events = t.batched === true ? payload.events ?? [] : [payload.event]
        assert.isAbove(events.length, 0, t.type)
        for (const event of events) {
          if (event === undefined) problems.push(`${t.type} v${t.version}: no event`)
          else problems.push(...checkObject(t.event, event, `${t.type} v${t.version}`))
        }
      }
      assert.deepStrictEqual(problems, [])
    }).pipe(Effect.provide(mockLayer())))

  it.scoped("payloads are coherent: the condition's user, world users in id/login/name triples, one notice object", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const control = mock.eventSub.control
      const follow = yield* control.payload({
        type: "channel.follow",
        version: "2",
        condition: { broadcaster_user_id: me, moderator_user_id: me },
        event: { user_id: World.secondUserId }
      })
      assert.strictEqual(follow.broadcaster_user_login, World.defaultUserLogin)
      assert.strictEqual(follow.user_login, World.secondUserLogin)
      const notice = yield* control.payload({
        type: "channel.chat.notification",
        version: "1",
        event: { notice_type: "raid", raid: { viewer_count: 42 } }
      })
      assert.strictEqual(notice.notice_type, "raid")
      assert.isNull(notice.sub)
      assert.isNull(notice.resub)
      assert.include(notice.raid, { viewer_count: 42 })
      // The check is not vacuous: overrides that break the tree are reported.
      const online = types.find((t) => t.type === "stream.online")
      const broken = yield* control.payload({
        type: "stream.online",
        version: "1",
        event: { type: "dead", started_at: "now" }
      })
      assert.deepStrictEqual(checkObject(online?.event ?? {}, { ...broken, id: null }, "e"), [
        "e.id: null",
        "e.type: dead not in enum",
        "e.started_at: now not RFC3339"
      ])
      const s = yield* mock.world.snapshot
      const raid = notice.raid as { readonly user_id: string; readonly user_login: string }
      assert.strictEqual(s.users.find((u) => u.id === raid.user_id)?.login, raid.user_login)
    }).pipe(Effect.provide(mockLayer())))
})
