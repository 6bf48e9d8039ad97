/**
 * A plain HTTP client (fetch) for the mock server tests, and a helper running a test against a
 * fresh mock (no IRC).
 */
import * as Effect from "effect/Effect"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Uint8Array
  readonly text: string
  /** The JSON body (throws when it is not JSON). */
  readonly json: <A = Record<string, unknown>>() => A
}

export const request = (url: string, init: RequestInit = {}): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000), ...init })
    const bytes = new Uint8Array(await response.arrayBuffer())
    const text = new TextDecoder().decode(bytes)
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      text,
      json: <A>() => JSON.parse(text) as A
    }
  })

export const get = (url: string, headers: Record<string, string> = {}) => request(url, { headers })

export const postForm = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  request(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString()
  })

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body)
  })

/** Helix headers for a token of the default client. */
export const helixHeaders = (token: string, clientId: string = MockTwitch.credentials.clientId) => ({
  "client-id": clientId,
  authorization: `Bearer ${token}`
})

/** A Helix call of `mock` with a token of the default client (JSON body when given). */
export const helixCall = (
  mock: MockTwitch.MockTwitch.Service,
  method: string,
  path: string,
  body?: unknown,
  token: string = MockTwitch.credentials.userToken
) =>
  request(`${mock.http.helixUrl}${path}`, {
    method,
    headers: {
      ...helixHeaders(token),
      ...(body === undefined ? {} : { "content-type": "application/json" })
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

/** Runs `f` against a fresh mock (HTTP only, Helix answers checked against the spec) built for this test. */
export const withMock = <A, E>(
  f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E>,
  options: MockTwitch.Options = {}
) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(
    // Every Helix answer is checked against the spec's response schema (a mismatch answers 500).
    Effect.provide(
      MockTwitch.layer({ irc: false, ...options, http: { checkAnswers: true, ...options.http } })
    )
  )

export interface Page<A = Record<string, unknown>> {
  readonly data: ReadonlyArray<A>
  readonly pagination: { readonly cursor?: string }
  readonly total?: number
  readonly template?: string
}
