/**
 * The limits Twitch documents for single Helix endpoints beyond the 800-point bucket
 * (twitch-facts, last section), enforced as Twitch does: past one, the request answers 429 with
 * Helix's error body, counted on the mock's control (`429` and `limit:<operationId>`).
 * Announcements 1 per 2 s per channel; shoutouts 1 per 2 min per channel and the same target once
 * per 60 min; raids 10 per 10 min per channel; adding or removing moderators or VIPs 10 per 10 s
 * per channel (each operation its own window); whispers 3 per second and 100 per minute per
 * sender, to at most 40 different recipients a day; clip downloads 100 per minute per caller;
 * AutoMod status checks 5 per minute and 50 per hour per channel (10/100 for affiliates, 30/300
 * for partners). Send Chat Message has the chat limits of IRC (20 messages per 30 s per sender, 100
 * where the sender is broadcaster, moderator or VIP; 1 per second per channel otherwise), kept
 * apart from the IRC server's: past them the message is dropped (`is_sent: false`,
 * `msg_ratelimit`, the spec lists no 429 for it), as IRC drops it. A request that fails for
 * another reason gives its place back. The keys are the library's own (`src/helix/
 * EndpointLimits.ts`), so its client waits exactly as long as the mock needs.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Control from "../../Control.js"
import type { Reply, RouteContext } from "../shared.js"
import { failHelix } from "../shared.js"
import type { Answer, HelixRequest } from "./Handler.js"

/**
 * How many calls (or, for a distinct rule, different values) a window of `millis` allows.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly count: number
  readonly millis: number
}

/**
 * One counted call: when, and the value a distinct rule counts (the whisper's recipient).
 *
 * @since 0.1.0
 * @category models
 */
export interface Hit {
  readonly at: number
  readonly value: string
}

/**
 * The calls still inside their windows, per rule key.
 *
 * @since 0.1.0
 * @category models
 */
export type Windows = ReadonlyMap<string, ReadonlyArray<Hit>>

/**
 * A rule of a limit: the key it counts under (undefined: the request is not limited by it), its
 * windows, and for a distinct rule the value whose different occurrences it counts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  readonly key: (request: HelixRequest) => string | undefined
  readonly windows: (request: HelixRequest) => ReadonlyArray<Window>
  readonly distinct?: (request: HelixRequest) => string | undefined
}

/**
 * A limit: its rules (all must allow the call) and the message of its 429.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limit {
  readonly message: string
  readonly rules: ReadonlyArray<Rule>
}

/**
 * Whether a call was let through (with the hits to give back if it fails) or refused.
 *
 * @since 0.1.0
 * @category models
 */
export type Verdict =
  | { readonly _tag: "Taken"; readonly hits: ReadonlyArray<readonly [string, Hit]> }
  | { readonly _tag: "Refused" }

/**
 * The control counter of an operation's refusals: `limit:<operationId>`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const counter = (operationId: string): string => `limit:${operationId}`

interface Keyed {
  readonly key: string
  readonly windows: ReadonlyArray<Window>
  readonly value: string | undefined
}

const allows = (hits: ReadonlyArray<Hit>, now: number, rule: Keyed): boolean =>
  rule.windows.every((w) => {
    const recent = hits.filter((h) => h.at > now - w.millis)
    if (rule.value === undefined) return recent.length < w.count
    const values = new Set(recent.map((h) => h.value))
    return values.has(rule.value) || values.size < w.count
  })

/**
 * The verdict on a call at `now` under keyed rules, and the windows after it: a call every rule
 * allows is recorded under each key; a refused one is not.
 *
 * @since 0.1.0
 * @category arithmetic
 */
export const decide = (
  windows: Windows,
  now: number,
  rules: ReadonlyArray<Keyed>
): readonly [Verdict, Windows] => {
  const next = new Map(windows)
  const kept = rules.map((rule) => {
    const longest = Math.max(...rule.windows.map((w) => w.millis))
    const hits = (windows.get(rule.key) ?? []).filter((h) => h.at > now - longest)
    next.set(rule.key, hits)
    return hits
  })
  if (!rules.every((rule, i) => allows(kept[i], now, rule))) return [{ _tag: "Refused" }, next]
  const hits = rules.map((rule) => [rule.key, { at: now, value: rule.value ?? "" }] as const)
  for (const [i, [key, hit]] of hits.entries()) next.set(key, [...kept[i], hit])
  return [{ _tag: "Taken", hits }, next]
}

/**
 * Takes a call of `request` from a limit's windows.
 *
 * @since 0.1.0
 * @category limits
 */
export const take = (request: HelixRequest, limit: Limit): Effect.Effect<Verdict> => {
  const id = request.operation.operation.operationId
  const keyed = limit.rules.flatMap((rule, i): ReadonlyArray<Keyed> => {
    const key = rule.key(request)
    return key === undefined
      ? []
      : [{ key: `${id}#${i}:${key}`, windows: rule.windows(request), value: rule.distinct?.(request) }]
  })
  return keyed.length === 0
    ? Effect.succeed({ _tag: "Taken", hits: [] })
    : Ref.modify(request.ctx.endpointLimits, (windows) => decide(windows, request.now, keyed))
}

/**
 * Gives a taken call's place back (the request failed for another reason).
 *
 * @since 0.1.0
 * @category limits
 */
export const giveBack = (ctx: RouteContext, verdict: Verdict): Effect.Effect<void> =>
  verdict._tag === "Refused" || verdict.hits.length === 0 ?
    Effect.void :
    Ref.update(ctx.endpointLimits, (windows) => {
      const next = new Map(windows)
      for (const [key, hit] of verdict.hits) next.set(key, (next.get(key) ?? []).filter((h) => h !== hit))
      return next
    })

/**
 * Counts a refusal on the control: `limit:<operationId>`, and `429` when it answers one.
 *
 * @since 0.1.0
 * @category limits
 */
export const countRefusal = (request: HelixRequest, answered429: boolean): Effect.Effect<void> =>
  Effect.zipRight(
    request.ctx.control.increment(counter(request.operation.operation.operationId)),
    answered429 ? request.ctx.control.increment(Control.counterNames.tooManyRequests) : Effect.void
  )

const second = 1000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour

const param = (request: HelixRequest, name: string): string | undefined => request.query.get(name)

const byParam = (name: string, windows: ReadonlyArray<Window>): Rule => ({
  key: (request) => param(request, name),
  windows: () => windows
})

const moderatorsAndVips: Limit = {
  message: "The broadcaster may add or remove at most 10 moderators or VIPs within a 10-second window.",
  rules: [byParam("broadcaster_id", [{ count: 10, millis: 10 * second }])]
}

const autoModWindows = (request: HelixRequest): ReadonlyArray<Window> => {
  const id = param(request, "broadcaster_id")
  const type = request.state.users.find((u) => u.id === id)?.broadcasterType
  return type === "partner"
    ? [{ count: 30, millis: minute }, { count: 300, millis: hour }]
    : type === "affiliate"
    ? [{ count: 10, millis: minute }, { count: 100, millis: hour }]
    : [{ count: 5, millis: minute }, { count: 50, millis: hour }]
}

/**
 * The limits answered with 429, by the spec's `operationId`.
 *
 * @since 0.1.0
 * @category limits
 */
export const byOperation: Readonly<Record<string, Limit>> = {
  "send-chat-announcement": {
    message: "The sender may send only one announcement every 2 seconds in this channel.",
    rules: [byParam("broadcaster_id", [{ count: 1, millis: 2 * second }])]
  },
  "send-a-shoutout": {
    message: "The broadcaster may send a Shoutout only once every 2 minutes, and to the same broadcaster " +
      "only once every 60 minutes.",
    rules: [
      byParam("from_broadcaster_id", [{ count: 1, millis: 2 * minute }]),
      {
        key: (request) => {
          const from = param(request, "from_broadcaster_id")
          const to = param(request, "to_broadcaster_id")
          return from === undefined || to === undefined ? undefined : `${from}>${to}`
        },
        windows: () => [{ count: 1, millis: hour }]
      }
    ]
  },
  "start-a-raid": {
    message: "The broadcaster may start at most 10 raids within a 10-minute window.",
    rules: [byParam("from_broadcaster_id", [{ count: 10, millis: 10 * minute }])]
  },
  "add-channel-moderator": moderatorsAndVips,
  "remove-channel-moderator": moderatorsAndVips,
  "add-channel-vip": moderatorsAndVips,
  "remove-channel-vip": moderatorsAndVips,
  "send-whisper": {
    message: "The sending user exceeded the number of whispers they may send: 3 per second, 100 per " +
      "minute, to at most 40 different recipients a day.",
    rules: [
      byParam("from_user_id", [{ count: 3, millis: second }, { count: 100, millis: minute }]),
      {
        key: (request) => param(request, "from_user_id"),
        windows: () => [{ count: 40, millis: day }],
        distinct: (request) => param(request, "to_user_id")
      }
    ]
  },
  "get-clips-download": {
    message: "The caller may request at most 100 clip downloads per minute.",
    rules: [{
      key: (request) =>
        `${request.caller.clientId}/${
          Option.match(request.caller.user, { onNone: () => "", onSome: (u) => u.id })
        }`,
      windows: () => [{ count: 100, millis: minute }]
    }]
  },
  "check-automod-status": {
    message: "The caller exceeded the number of AutoMod status checks it may make for this channel.",
    rules: [{ key: (request) => param(request, "broadcaster_id"), windows: autoModWindows }]
  }
}

/** Whether the sender is broadcaster, moderator or VIP in the channel of a Send Chat Message. */
const elevated = (request: HelixRequest): boolean => {
  const broadcaster = request.body["broadcaster_id"]
  const sender = request.body["sender_id"]
  const channel = request.state.channels.find((c) => c.broadcasterId === broadcaster)
  return typeof sender === "string" &&
    (sender === broadcaster || (channel !== undefined &&
      (channel.moderators.includes(sender) || channel.vips.includes(sender))))
}

const bodyParam = (request: HelixRequest, name: string): string | undefined => {
  const value = request.body[name]
  return typeof value === "string" ? value : undefined
}

/**
 * Send Chat Message's chat limits (a refusal drops the message instead of answering 429).
 *
 * @since 0.1.0
 * @category limits
 */
export const chatMessages: Limit = {
  message: "Your message was not sent because you are sending messages too quickly.",
  rules: [
    {
      key: (request) => bodyParam(request, "sender_id"),
      windows: (request) => [{ count: elevated(request) ? 100 : 20, millis: 30 * second }]
    },
    {
      key: (request) => {
        const sender = bodyParam(request, "sender_id")
        const channel = bodyParam(request, "broadcaster_id")
        return sender === undefined || channel === undefined || elevated(request)
          ? undefined
          : `${sender}#${channel}`
      },
      windows: () => [{ count: 1, millis: second }]
    }
  ]
}

const statusOf = (answer: Answer): number =>
  answer._tag === "Response" ? answer.response.status : answer.status

/**
 * Runs a handler under its operation's 429 limit, if it has one: refused (429, counted) past it;
 * the place given back when the handler fails or answers other than 2xx.
 *
 * @since 0.1.0
 * @category limits
 */
export const limited = (
  request: HelixRequest,
  handler: Effect.Effect<Answer, Reply>
): Effect.Effect<Answer, Reply> => {
  const limit = byOperation[request.operation.operation.operationId]
  if (limit === undefined) return handler
  return Effect.gen(function*() {
    const verdict = yield* take(request, limit)
    if (verdict._tag === "Refused") {
      yield* countRefusal(request, true)
      return yield* failHelix(429, limit.message)
    }
    return yield* Effect.onExit(
      handler,
      (exit) =>
        Exit.isSuccess(exit) && statusOf(exit.value) < 300 ? Effect.void : giveBack(request.ctx, verdict)
    )
  })
}
