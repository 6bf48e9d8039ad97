/**
 * An in-memory tracer and logger for leak tests: every span (name, attributes, events, links,
 * how it ended) and every log line (message and annotations) a program makes is kept, so a test
 * can assert that no secret appears anywhere a tracing exporter or a log sink would ship it.
 *
 * Use: `const recorder = Recorder.make()`, run the program with `Recorder.provide(recorder)`,
 * then `Recorder.expectNoSecret(recorder, secrets)`; `Recorder.texts(recorder)` lists what was
 * recorded.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HashMap from "effect/HashMap"
import * as List from "effect/List"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import { expect } from "vitest"

/** One span as recorded. */
export interface RecordedSpan {
  readonly name: string
  readonly kind: Tracer.SpanKind
  readonly attributes: Map<string, unknown>
  readonly events: Array<{ readonly name: string; readonly attributes: Record<string, unknown> }>
  readonly links: Array<Record<string, unknown>>
  exit: Option.Option<Exit.Exit<unknown, unknown>>
}

/** One log line as recorded. */
export interface RecordedLog {
  readonly level: string
  readonly message: string
  readonly annotations: Record<string, unknown>
  readonly spans: Array<string>
  readonly cause: string
}

/** What a program traced and logged. */
export interface Recorder {
  readonly spans: Array<RecordedSpan>
  readonly logs: Array<RecordedLog>
  readonly tracer: Tracer.Tracer
  readonly logger: Logger.Logger<unknown, void>
}

let ids = 0

class MemorySpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = `span${++ids}`
  readonly traceId: string
  readonly sampled = true
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink>
  constructor(
    readonly record: RecordedSpan,
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Tracer.Span["context"],
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.match(parent, { onNone: () => `trace${ids}`, onSome: (p) => p.traceId })
    this.status = { _tag: "Started", startTime }
    this.links = [...links]
    for (const link of links) record.links.push({ ...link.attributes })
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.record.exit = Option.some(exit)
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
    this.record.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.record.events.push({ name, attributes: { ...attributes } })
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
    for (const link of links) this.record.links.push({ ...link.attributes })
  }
}

/** A new, empty recorder. */
export const make = (): Recorder => {
  const spans: Array<RecordedSpan> = []
  const logs: Array<RecordedLog> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const record: RecordedSpan = {
        name,
        kind,
        attributes: new Map(),
        events: [],
        links: [],
        exit: Option.none()
      }
      spans.push(record)
      const span = new MemorySpan(record, name, parent, context, links, startTime, kind)
      for (const [key, value] of Object.entries(options?.attributes ?? {})) span.attribute(key, value)
      return span
    },
    context: (f) => f()
  })
  const logger = Logger.make<unknown, void>(({ annotations, cause, logLevel, message, spans: logSpans }) => {
    logs.push({
      level: logLevel.label,
      message: (Array.isArray(message) ? message : [message]).map((m) => show(m)).join(" "),
      annotations: Object.fromEntries(HashMap.toEntries(annotations)),
      spans: List.toArray(logSpans).map((s) => s.label),
      cause: Cause.isEmpty(cause) ? "" : Cause.pretty(cause, { renderErrorCause: true })
    })
  })
  return { spans, logs, tracer, logger }
}

/** Runs `effect` with the recorder as its tracer and its only logger, at debug level. */
export const provide =
  (recorder: Recorder) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    effect.pipe(
      Effect.withTracer(recorder.tracer),
      Effect.provide(Logger.replace(Logger.defaultLogger, recorder.logger)),
      Logger.withMinimumLogLevel(LogLevel.Debug)
    )

const show = (value: unknown): string => {
  if (typeof value === "string") return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Every text recorded: span names, attribute keys and values, events, links, failures, log lines. */
export const texts = (recorder: Recorder): Array<string> => {
  const out: Array<string> = []
  for (const span of recorder.spans) {
    out.push(span.name)
    for (const [key, value] of span.attributes) out.push(`${key}=${show(value)}`)
    for (const event of span.events) out.push(event.name, show(event.attributes))
    for (const link of span.links) out.push(show(link))
    if (Option.isSome(span.exit) && Exit.isFailure(span.exit.value)) {
      out.push(Cause.pretty(span.exit.value.cause, { renderErrorCause: true }))
    }
  }
  for (const log of recorder.logs) {
    out.push(log.message, show(log.annotations), log.spans.join(" "), log.cause)
  }
  return out
}

/**
 * Fails the test if any recorded text contains a secret (also URL-encoded), naming where it was.
 * Secrets shorter than 6 characters are refused: they would match by chance.
 */
export const expectNoSecret = (recorder: Recorder, secrets: ReadonlyArray<string>): void => {
  const all = texts(recorder)
  for (const secret of secrets) {
    expect(secret.length, `secret too short to search for: ${secret}`).toBeGreaterThanOrEqual(6)
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      const found = all.filter((text) => text.includes(form))
      expect(found, `a secret appears in what was traced or logged`).toEqual([])
    }
  }
}

/** The recorded spans with a given name prefix (e.g. `http.client`). */
export const spansNamed = (recorder: Recorder, prefix: string): Array<RecordedSpan> =>
  recorder.spans.filter((span) => span.name.startsWith(prefix))
