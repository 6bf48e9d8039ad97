/**
 * `IdServer.request`, the raw id.twitch.tv call, against the mock Twitch: a validation and a
 * client-credentials grant decoded with the caller's schemas, a refused token as an `HttpError`
 * with Twitch's message, a misfit schema as a `DecodeError` that does not quote the token, and no
 * token or client secret in any span, log line or error (the shared leak check).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as IdServer from "../../src/auth/IdServer.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as Spans from "../support/spans.js"
import { checkNoLeak, failure, spans, withMock } from "./support.js"

const creds = MockTwitch.credentials

const Validation = Schema.Struct({
  client_id: Schema.String,
  login: Schema.String,
  user_id: Schema.String,
  scopes: Schema.Array(Schema.String),
  expires_in: Schema.Number
})

const Grant = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  token_type: Schema.String,
  expires_in: Schema.Number
})

describe("IdServer.request on the mock Twitch", () => {
  it.scoped("validates a token and runs a grant with the caller's schemas; each call is a span of its path", () =>
    withMock(
      Effect.gen(function*() {
        const before = spans.spans.length
        const validation = yield* IdServer.request("/oauth2/validate", Validation, {
          token: Redacted.make(creds.userToken)
        })
        expect(validation.client_id).toBe(creds.clientId)
        expect(validation.scopes.length).toBeGreaterThan(0)

        const grant = yield* IdServer.request("/oauth2/token", Grant, {
          form: {
            client_id: creds.clientId,
            client_secret: Redacted.make(creds.clientSecret),
            grant_type: "client_credentials"
          }
        })
        expect(grant.token_type).toBe("bearer")
        expect(Redacted.value(grant.access_token).length).toBeGreaterThan(10)

        const mine = spans.spans.slice(before)
        expect(Spans.named(mine, "IdServer GET /oauth2/validate").length).toBe(1)
        expect(Spans.named(mine, "IdServer POST /oauth2/token")[0]?.attributes.get("twitch.id.path")).toBe(
          "/oauth2/token"
        )
      })
    ))

  it.scoped("a refused token is an HttpError with Twitch's message; a misfit schema a DecodeError without the value", () =>
    withMock(
      Effect.gen(function*() {
        const refused = yield* failure(
          IdServer.request("/oauth2/validate", Validation, { token: Redacted.make("notatoken0123456789") })
        )
        expect(refused._tag).toBe("HttpError")
        if (refused._tag === "HttpError") {
          expect(refused.status).toBe(401)
          expect(refused.twitchMessage).toBe("invalid access token")
          expect(refused.request?.url).toMatch(/\/oauth2\/validate$/)
        }

        const misfit = yield* failure(
          IdServer.request("/oauth2/token", Schema.Struct({ access_token: Schema.Number }), {
            form: {
              client_id: creds.clientId,
              client_secret: Redacted.make(creds.clientSecret),
              grant_type: "client_credentials"
            }
          })
        )
        expect(misfit._tag).toBe("DecodeError")
        if (misfit._tag === "DecodeError") expect(misfit.path).toBe("access_token")
      })
    ))

  it("no token, secret or grant appeared in any log line, error or span", () => checkNoLeak())
})
