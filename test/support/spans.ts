/**
 * An in-memory tracer for tests: every span the code under test starts is kept with its name,
 * kind, attributes, events, links and exit, so a test can read what a tracing exporter would ship.
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"

/** One event of a recorded span. */
export interface SpanEvent {
  readonly name: string
  readonly attributes: Readonly<Record<string, unknown>>
}

/** A span as recorded: the `Tracer.Span` contract, plus its events. */
export class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly sampled = true
  readonly traceId: string
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<SpanEvent> = []
  readonly links: Array<Tracer.SpanLink>

  constructor(
    readonly name: string,
    readonly spanId: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.traceId = Option.match(parent, { onNone: () => `trace-${spanId}`, onSome: (p) => p.traceId })
    this.status = { _tag: "Started", startTime }
    this.links = [...links]
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }

  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }

  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes: attributes ?? {} })
  }

  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

/** A recording tracer and the spans it recorded so far (in start order). */
export interface Recorder {
  readonly spans: Array<RecordedSpan>
  readonly tracer: Tracer.Tracer
  /** Sets the recording tracer for everything built or run under it. */
  readonly layer: Layer.Layer<never>
}

/** A new recorder; spans of every recorder made here get distinct ids. */
export const make = (): Recorder => {
  const spans: Array<RecordedSpan> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const span = new RecordedSpan(name, `span-${++lastId}`, parent, context, links, startTime, kind)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { spans, tracer, layer: Layer.setTracer(tracer) }
}

let lastId = 0

/** Runs an effect with the recorder's tracer. */
export const recording = (recorder: Recorder) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.withTracer(effect, recorder.tracer)

/**
 * Everything of the spans an exporter would ship, as text: names, attribute keys and values, event
 * names and attributes, and the failure of spans that ended in one.
 */
export const texts = (spans: ReadonlyArray<RecordedSpan>): Array<string> =>
  spans.flatMap((span) => [
    span.name,
    ...[...span.attributes].map(([key, value]) => `${key}=${String(value)}`),
    ...span.events.flatMap((event) => [event.name, JSON.stringify(event.attributes)]),
    ...(span.status._tag === "Ended" && Exit.isFailure(span.status.exit)
      ? [Cause.pretty(span.status.exit.cause)]
      : [])
  ])

/** The recorded spans with this name. */
export const named = (spans: ReadonlyArray<RecordedSpan>, name: string): Array<RecordedSpan> =>
  spans.filter((span) => span.name === name)
