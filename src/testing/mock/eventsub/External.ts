/**
 * The control endpoint on the mock's loopback HTTP port, for clients in other processes (a
 * twitch-cli-style client's tests, `curl`): JSON in, JSON out, no token.
 *
 * | request | body | answer |
 * | --- | --- | --- |
 * | `POST /eventsub/mock/fire` | `{type, version?, condition?, event?, stale_seconds?}` | `{message_ids, subscriptions}` |
 * | `POST /eventsub/mock/blast` | `{type, version?, condition?, event?, count}` | `{messages, subscriptions, millis}` |
 * | `POST /eventsub/mock/reconnect` | `{session_id?}` | `{reconnect_urls}` |
 * | `POST /eventsub/mock/drop` | `{session_id?, code?}` (4000, 4005, 4006 or `"abrupt"`) | `{dropped}` |
 * | `POST /eventsub/mock/keepalives` | `{enabled, session_id?}` | `{}` |
 * | `POST /eventsub/mock/revoke` | `{subscription_id, status?}` | `{}` |
 * | `POST /eventsub/mock/resend` | `{message_id}` | `{}` |
 * | `GET /eventsub/mock/sessions`, `/subscriptions`, `/conduits`, `/counters` | | the lists, the counters |
 *
 * A control failure (unknown type, subscription, message) answers 404 with `{error, message}`; a
 * body that is not what the table says answers 400.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { json } from "../http/shared.js"
import type { Control, DropCode, RevocationStatus } from "./Model.js"
import type { Engine } from "./Server.js"

const Strings = Schema.Record({ key: Schema.String, value: Schema.String })

const FireBody = Schema.Struct({
  type: Schema.String,
  version: Schema.optional(Schema.String),
  condition: Schema.optional(Strings),
  event: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  stale_seconds: Schema.optional(Schema.Number)
})

const BlastBody = Schema.Struct({
  type: Schema.String,
  version: Schema.optional(Schema.String),
  condition: Schema.optional(Strings),
  event: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  count: Schema.Int.pipe(Schema.between(0, 10_000_000))
})

const SessionBody = Schema.Struct({ session_id: Schema.optional(Schema.String) })

const DropBody = Schema.Struct({
  session_id: Schema.optional(Schema.String),
  code: Schema.optional(Schema.Literal(4000, 4005, 4006, "abrupt"))
})

const KeepaliveBody = Schema.Struct({ enabled: Schema.Boolean, session_id: Schema.optional(Schema.String) })

const RevokeBody = Schema.Struct({
  subscription_id: Schema.String,
  status: Schema.optional(
    Schema.Literal(
      "authorization_revoked",
      "user_removed",
      "version_removed",
      "moderator_removed",
      "chat_user_banned",
      "notification_failures_exceeded"
    )
  )
})

const ResendBody = Schema.Struct({ message_id: Schema.String })

/** Decodes the JSON body (an empty body is `{}`), runs `f`, answers 400/404 on failures. */
const post = <A, I>(
  schema: Schema.Schema<A, I>,
  f: (body: A) => Effect.Effect<unknown, { readonly message: string }>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(req.text, () => "")
    const body = yield* Schema.decodeUnknown(Schema.parseJson(schema))(text === "" ? "{}" : text).pipe(
      Effect.either
    )
    if (body._tag === "Left") return json({ error: "Bad Request", message: body.left.message }, 400)
    return yield* f(body.right).pipe(
      Effect.map((result) => json(result ?? {})),
      Effect.catchAll((e) => Effect.succeed(json({ error: "Not Found", message: e.message }, 404)))
    )
  })

const fire = (control: Control) =>
  post(FireBody, (b) => {
    const options = {
      type: b.type,
      version: b.version,
      condition: b.condition,
      event: b.event
    }
    const fired = b.stale_seconds === undefined
      ? control.fire(options)
      : control.fireStale(options, `${b.stale_seconds} seconds`)
    return Effect.map(fired, (f) => ({ message_ids: f.messageIds, subscriptions: f.subscriptions }))
  })

/**
 * The control routes.
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (engine: Engine): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> => {
  const control = engine.server.control
  return HttpRouter.empty.pipe(
    HttpRouter.post("/eventsub/mock/fire", fire(control)),
    HttpRouter.post(
      "/eventsub/mock/blast",
      post(
        BlastBody,
        (b) =>
          control.blast({ type: b.type, version: b.version, condition: b.condition, event: b.event }, b.count)
      )
    ),
    HttpRouter.post(
      "/eventsub/mock/reconnect",
      post(
        SessionBody,
        (b) => Effect.map(control.sendReconnect(b.session_id), (urls) => ({ reconnect_urls: urls }))
      )
    ),
    HttpRouter.post(
      "/eventsub/mock/drop",
      post(DropBody, (b) => {
        const code: DropCode | undefined = b.code
        return Effect.map(control.drop({ sessionId: b.session_id, code }), (n) => ({ dropped: n }))
      })
    ),
    HttpRouter.post(
      "/eventsub/mock/keepalives",
      post(KeepaliveBody, (b) => control.setKeepalives(b.enabled, b.session_id))
    ),
    HttpRouter.post(
      "/eventsub/mock/revoke",
      post(RevokeBody, (b) => {
        const status: RevocationStatus | undefined = b.status
        return control.revoke(b.subscription_id, status)
      })
    ),
    HttpRouter.post("/eventsub/mock/resend", post(ResendBody, (b) => control.resend(b.message_id))),
    HttpRouter.get("/eventsub/mock/sessions", Effect.map(control.sessions, (data) => json({ data }))),
    HttpRouter.get(
      "/eventsub/mock/subscriptions",
      Effect.map(control.subscriptions, (data) => json({ data }))
    ),
    HttpRouter.get("/eventsub/mock/conduits", Effect.map(control.conduits, (data) => json({ data }))),
    HttpRouter.get("/eventsub/mock/counters", Effect.map(control.counters, (c) => json(c)))
  )
}
