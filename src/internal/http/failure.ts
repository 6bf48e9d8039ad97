/**
 * The one way the HTTP pipeline turns what went wrong into the library's typed errors: a failure
 * without an answer into `TransportError` (naming the step and the cause's code), an answer with
 * an error status into `HttpError` or `NotAuthorized` (whatever shape Twitch's error body has),
 * and a body that does not match its schema into `DecodeError`. None of them carries a secret.
 *
 * @since 0.1.0
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as Cause from "effect/Cause"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import {
  DecodeError,
  HttpError,
  NotAuthorized,
  TransportError,
  type TransportStep
} from "../../TwitchError.js"
import { redactUrl } from "./redact.js"

/**
 * The request a failure belongs to, as errors record it: method and URL (secrets redacted).
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestInfo {
  readonly method: string
  readonly url: string
}

/**
 * An answer read to the end: what every area's error mapping and decoding start from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body as text (for a `bytes` pipeline: only when the status is not 2xx, else empty). */
  readonly text: string
  /** The body as bytes, on a pipeline that reads `bytes`. */
  readonly bytes?: Uint8Array | undefined
  /** Method and URL for error reports (computed on demand: most answers never need it). */
  readonly info: () => RequestInfo
}

const dnsCodes = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"])
const connectCodes = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT"
])
const resetCodes = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED"])
const timeoutCodes = new Set([
  "ETIMEDOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ESOCKETTIMEDOUT"
])

interface CauseInfo {
  readonly code: string | undefined
  readonly syscall: string | undefined
  readonly message: string
}

const field = (u: object, key: string): string | undefined => {
  const value: unknown = (u as Record<string, unknown>)[key]
  return typeof value === "string" && value !== "" ? value : undefined
}

/** The innermost error with a code (fetch wraps the socket error in `TypeError: fetch failed`). */
const rootCause = (cause: unknown): CauseInfo => {
  let current: unknown = cause
  let fallback: CauseInfo | undefined
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const message = field(current, "message") ?? String(current)
    const info = { code: field(current, "code"), syscall: field(current, "syscall"), message }
    if (info.code !== undefined) return info
    fallback ??= info
    const errors: unknown = (current as { errors?: unknown }).errors
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : (current as { cause?: unknown }).cause
  }
  const found = fallback ??
    { code: undefined, syscall: undefined, message: cause === undefined ? "" : String(cause) }
  // Some clients keep the code in the message only ("connect ECONNREFUSED 127.0.0.1:1").
  const code = /\b(E[A-Z]{4,}|EAI_[A-Z]+|UND_ERR_[A-Z_]+|ERR_[A-Z_]+)\b/.exec(found.message)?.[1]
  return code === undefined ? found : { ...found, code }
}

const isTls = (code: string, message: string): boolean =>
  code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS") || code.startsWith("CERT_") ||
  code === "EPROTO" || code.includes("CERT") || code.startsWith("UNABLE_TO_") ||
  /\b(TLS|SSL)\b|certificate/i.test(message)

/**
 * The step a cause's code and system call point at.
 *
 * @since 0.1.0
 * @category transport
 */
export const stepOf = (
  code: string | undefined,
  syscall: string | undefined,
  message: string
): TransportStep => {
  const c = code ?? ""
  if (dnsCodes.has(c) || syscall === "getaddrinfo") return "DNS"
  // Checked before "reset": a socket closed during the handshake is a TLS failure.
  if (isTls(c, message)) return "TLS"
  if (connectCodes.has(c) || syscall === "connect") return "Connect"
  if (timeoutCodes.has(c)) return "Timeout"
  if (resetCodes.has(c) || /socket hang up|other side closed/i.test(message)) return "Reset"
  return "Other"
}

/** Removes bearer and OAuth credentials and secret query values from a text. */
const scrubText = (text: string): string =>
  redactUrl(text.replace(/\b(Bearer|OAuth)\s+[^\s,;)]+/gi, "$1 <redacted>"))

/**
 * A failure without an answer as a `TransportError`: a client error (whose cause is walked for the
 * system error's code), the pipeline's per-attempt timeout, or a defect-free unknown failure.
 *
 * @since 0.1.0
 * @category transport
 */
export const transportError = (
  error: HttpClientError.HttpClientError | Cause.TimeoutException,
  info: RequestInfo,
  timeout: string
): TransportError => {
  if (Cause.isTimeoutException(error)) {
    return new TransportError({ step: "Timeout", detail: `no answer within ${timeout}`, request: info })
  }
  const root = rootCause(error.cause)
  const step = error._tag === "RequestError" && error.reason !== "Transport"
    ? "Other"
    : stepOf(root.code, root.syscall, root.message)
  const what = error._tag === "ResponseError" ? "reading the answer failed: " : ""
  const detail = scrubText(`${what}${root.message === "" ? error.reason : root.message}`)
  return new TransportError({
    step,
    detail,
    request: info,
    ...(root.code === undefined ? {} : { code: root.code })
  })
}

/**
 * What a Twitch error body says, whichever shape it has: Helix and id.twitch.tv
 * `{error, status, message}`, GQL `{errors: [{message}]}`, usher `[{error, error_code, type}]`,
 * or plain text.
 *
 * @since 0.1.0
 * @category models
 */
export interface ErrorBody {
  readonly error?: string
  readonly message?: string
  readonly errorCode?: string
}

const str = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)

const gqlMessages = (errors: unknown): string | undefined => {
  if (!Array.isArray(errors)) return undefined
  const messages: Array<string> = []
  for (const e of errors) {
    const message = typeof e === "object" && e !== null
      ? str((e as Record<string, unknown>)["message"])
      : undefined
    if (message !== undefined) messages.push(message)
  }
  return messages.length === 0 ? undefined : messages.join("; ")
}

/**
 * Reads an error body from its text; never fails (an unreadable body says nothing).
 *
 * @since 0.1.0
 * @category errors
 */
export const parseErrorBody = (text: string): ErrorBody => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    const trimmed = text.trim().slice(0, 200)
    return trimmed === "" ? {} : { message: trimmed }
  }
  const first: unknown = Array.isArray(json) ? json[0] : json
  if (typeof first !== "object" || first === null) return {}
  const record = first as Record<string, unknown>
  const error = str(record["error"])
  const message = str(record["message"]) ?? gqlMessages(record["errors"])
  const errorCode = str(record["error_code"])
  return {
    ...(error === undefined ? {} : { error }),
    ...(message === undefined ? {} : { message }),
    ...(errorCode === undefined ? {} : { errorCode })
  }
}

/**
 * An `HttpError` from an answer with an error status (usher's `error_code` becomes `error`, its
 * `error` text `twitchMessage`).
 *
 * @since 0.1.0
 * @category errors
 */
export const httpError = (answer: Answer, body: ErrorBody = parseErrorBody(answer.text)): HttpError => {
  const error = body.errorCode ?? body.error
  const twitchMessage = body.errorCode !== undefined ? (body.error ?? body.message) : body.message
  return new HttpError({
    status: answer.status,
    ...(error === undefined ? {} : { error }),
    ...(twitchMessage === undefined ? {} : { twitchMessage }),
    request: answer.info()
  })
}

/**
 * The typed error of an answer to a call made with a token: 401 (and a 403 that names a scope)
 * is `NotAuthorized` (`MissingScope` with the scope when Twitch names one, else `InvalidToken`),
 * anything else an `HttpError`.
 *
 * @since 0.1.0
 * @category errors
 */
export const responseError = (answer: Answer): NotAuthorized | HttpError => {
  const body = parseErrorBody(answer.text)
  const message = body.message
  if (answer.status === 401 || (answer.status === 403 && message !== undefined && /scope/i.test(message))) {
    const scope = message === undefined ? undefined : /scope[s]?:?\s+([\w:.-]+)/i.exec(message)?.[1]
    return new NotAuthorized({
      reason: scope !== undefined ? "MissingScope" : "InvalidToken",
      status: answer.status,
      request: answer.info(),
      ...(scope !== undefined ? { scope } : {}),
      ...(message !== undefined ? { twitchMessage: message } : {})
    })
  }
  return httpError(answer, body)
}

/**
 * A `DecodeError` from a schema failure: the path of the first issue (after `prefix`) and its
 * explanation, with the offending value left out when `hideValues` (it could be a token).
 *
 * @since 0.1.0
 * @category errors
 */
export const decodeError = (
  error: ParseResult.ParseError,
  info: RequestInfo,
  options: {
    readonly prefix?: ReadonlyArray<PropertyKey>
    /** Leave the offending value out of the detail (it could be a token). */
    readonly hideValues?: boolean
    /** Texts removed from the detail wherever they appear (secrets of the body). */
    readonly secrets?: ReadonlyArray<string>
  } = {}
): DecodeError => {
  const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  const path = [...(options.prefix ?? []), ...(first?.path ?? [])].map(String).join(".")
  const message = first?.message ?? error.message
  const shown = options.hideValues === true ? message.replace(/,? actual [\s\S]*$/, "") : message
  return new DecodeError({
    path: path === "" ? "<root>" : path,
    detail: (options.secrets ?? []).reduce(
      (text, secret) => secret.length > 0 ? text.split(secret).join("<redacted>") : text,
      shown
    ),
    request: info
  })
}

/**
 * Parses a JSON body (`null` for an empty one), failing with a `DecodeError` at `<body>` that
 * quotes the start of the text unless `hideValues`.
 *
 * @since 0.1.0
 * @category errors
 */
export const parseJson = (
  answer: Answer,
  options: { readonly hideValues?: boolean } = {}
): Either.Either<unknown, DecodeError> => {
  if (answer.text === "") return Either.right(null)
  try {
    return Either.right(JSON.parse(answer.text))
  } catch {
    return Either.left(
      new DecodeError({
        path: "<body>",
        detail: options.hideValues === true
          ? "the body is not JSON"
          : `not JSON: ${answer.text.slice(0, 80)}`,
        request: answer.info()
      })
    )
  }
}

/**
 * Whether a value is a failure the pipeline maps to `TransportError`.
 *
 * @since 0.1.0
 * @category transport
 */
export const isTransportFailure = (
  u: unknown
): u is HttpClientError.HttpClientError | Cause.TimeoutException =>
  HttpClientError.isHttpClientError(u) || Cause.isTimeoutException(u)
