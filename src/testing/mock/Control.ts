/**
 * The mock Twitch's control plane: faults on demand (answer 5xx or 429, delay, drop the
 * connection) for the next N requests of a surface, counters tests can read (requests per route,
 * 429s served, tokens issued...), and switches for the OAuth and usher routes.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"

/**
 * Which HTTP surface of the mock a fault applies to (`any` matches all of them). IRC faults live on
 * the IRC server's own control handle (`MockTwitch.irc`).
 *
 * @since 0.1.0
 * @category models
 */
export type Surface = "helix" | "oauth" | "gql" | "usher" | "cdn" | "any"

/**
 * A fault waiting to be served. `times` is how many more requests it hits.
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | {
    readonly _tag: "Status"
    readonly surface: Surface
    readonly times: number
    /** 5xx or 429. */
    readonly status: number
  }
  | { readonly _tag: "Delay"; readonly surface: Surface; readonly times: number; readonly millis: number }
  | { readonly _tag: "Drop"; readonly surface: Surface; readonly times: number }

/**
 * Options of the fault injectors: how many requests (default 1) of which surface (default `any`).
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultOptions {
  readonly times?: number
  readonly surface?: Surface
}

/**
 * Which master-playlist shape usher answers: `auto` picks v2 on `/api/v2/...` and `/vod/v2/...`
 * paths and v1 otherwise.
 *
 * @since 0.1.0
 * @category models
 */
export type UsherShape = "auto" | "v1" | "v2"

/**
 * Well-known counter names (any string works; these are the ones the mock increments).
 *
 * @since 0.1.0
 * @category constants
 */
export const counterNames = {
  /** Every HTTP request. */
  requests: "requests",
  /** 429 answers, from the token bucket or injected. */
  tooManyRequests: "429",
  /** Injected faults served. */
  faults: "faults",
  /** Access tokens issued by any OAuth flow. */
  tokensIssued: "tokensIssued",
  /** Playback access tokens issued by GQL. */
  playbackTokens: "playbackTokens",
  /** Dropped connections. */
  dropped: "dropped"
} as const

/**
 * The per-route counter name: `route:<METHOD> <pattern>`, e.g. `route:GET /helix/streams` (the
 * twitch-cli aliases `/mock` and `/auth` count under `/helix` and `/oauth2`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const routeCounter = (method: string, pattern: string): string => `route:${method} ${pattern}`

/**
 * The control service.
 *
 * @since 0.1.0
 * @category tags
 */
export class Control extends Context.Tag("effect-twitcher/testing/MockControl")<Control, Control.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Control {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The next `times` requests answer `status` (5xx with Twitch's error body, or 429). */
    readonly failWith: (status: number, options?: FaultOptions) => Effect.Effect<void>
    /** The next `times` requests are delayed by `duration`, then answered normally. */
    readonly delay: (duration: Duration.DurationInput, options?: FaultOptions) => Effect.Effect<void>
    /** The next `times` requests get their connection destroyed without an answer. */
    readonly drop: (options?: FaultOptions) => Effect.Effect<void>
    /** Removes every pending fault. */
    readonly clearFaults: Effect.Effect<void>
    /** Pending faults. */
    readonly faults: Effect.Effect<ReadonlyArray<Fault>>
    /** Takes one hit of the first pending fault matching `surface` (used by the servers). */
    readonly takeFault: (surface: Exclude<Surface, "any">) => Effect.Effect<Option.Option<Fault>>

    readonly increment: (name: string, by?: number) => Effect.Effect<void>
    /** A counter's value (0 when never incremented). */
    readonly counter: (name: string) => Effect.Effect<number>
    /** All counters. */
    readonly counters: Effect.Effect<Readonly<Record<string, number>>>
    readonly resetCounters: Effect.Effect<void>

    /** The next `/oauth2/authorize` is denied (`error=access_denied`). */
    readonly denyNextAuthorize: Effect.Effect<void>
    /** Consumes the deny switch (used by the server). */
    readonly takeDenyAuthorize: Effect.Effect<boolean>
    /** The user that `/oauth2/authorize` signs in (default: the world's default user). */
    readonly authorizeAs: (userId: string) => Effect.Effect<void>
    readonly authorizingUser: Effect.Effect<Option.Option<string>>

    readonly setUsherShape: (shape: UsherShape) => Effect.Effect<void>
    readonly usherShape: Effect.Effect<UsherShape>
  }
}

const matches = (fault: Fault, surface: Surface): boolean =>
  fault.surface === "any" || fault.surface === surface

/**
 * Builds a control service with no faults and zeroed counters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Control.Service> = Effect.gen(function*() {
  const faults = yield* Ref.make<ReadonlyArray<Fault>>([])
  const counters = yield* Ref.make<Readonly<Record<string, number>>>({})
  const deny = yield* Ref.make(false)
  const authorizeUser = yield* Ref.make(Option.none<string>())
  const usher = yield* Ref.make<UsherShape>("auto")

  const push = (fault: Fault) => fault.times > 0 ? Ref.update(faults, (fs) => [...fs, fault]) : Effect.void
  const times = (options?: FaultOptions) => Math.max(0, Math.floor(options?.times ?? 1))

  return {
    failWith: (status, options) =>
      push({ _tag: "Status", status, times: times(options), surface: options?.surface ?? "any" }),
    delay: (duration, options) =>
      push({
        _tag: "Delay",
        millis: Duration.toMillis(Duration.decode(duration)),
        times: times(options),
        surface: options?.surface ?? "any"
      }),
    drop: (options) => push({ _tag: "Drop", times: times(options), surface: options?.surface ?? "any" }),
    clearFaults: Ref.set(faults, []),
    faults: Ref.get(faults),
    takeFault: (surface) =>
      Ref.modify(faults, (fs): readonly [Option.Option<Fault>, ReadonlyArray<Fault>] => {
        const index = fs.findIndex((f) => matches(f, surface))
        if (index < 0) return [Option.none(), fs]
        const fault = fs[index]
        const rest = fault.times > 1
          ? fs.map((f, i) => i === index ? { ...f, times: f.times - 1 } : f)
          : fs.filter((_, i) => i !== index)
        return [Option.some(fault), rest]
      }),
    increment: (name, by = 1) => Ref.update(counters, (cs) => ({ ...cs, [name]: (cs[name] ?? 0) + by })),
    counter: (name) => Effect.map(Ref.get(counters), (cs) => cs[name] ?? 0),
    counters: Ref.get(counters),
    resetCounters: Ref.set(counters, {}),
    denyNextAuthorize: Ref.set(deny, true),
    takeDenyAuthorize: Ref.getAndSet(deny, false),
    authorizeAs: (userId) => Ref.set(authorizeUser, Option.some(userId)),
    authorizingUser: Ref.get(authorizeUser),
    setUsherShape: (shape) => Ref.set(usher, shape),
    usherShape: Ref.get(usher)
  }
})

/**
 * A layer with a fresh control service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Control> = Layer.effect(Control, make)
