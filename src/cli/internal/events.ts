/**
 * `twitcher events <type>...`: subscribes to EventSub types over the WebSocket and prints their
 * events as they arrive (`--json`: one JSON line each, the event in Twitch's wire form). A type is
 * `channel.follow` (its newest version) or `channel.follow@2`. Condition fields are filled with the
 * broadcaster (`--broadcaster`, a login or an id; default the token's user) for broadcaster
 * fields, the token's user for moderator and user fields, and `--condition name=value` for the
 * rest (or to override).
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import * as Definition from "../../eventsub/Definition.js"
import type { SubscribeError } from "../../eventsub/EventSub.js"
import * as EventSubWebSocket from "../../eventsub/EventSubWebSocket.js"
import * as Types from "../../eventsub/generated/Types.js"
import type { Delivered } from "../../eventsub/Notification.js"
import * as Helix from "../../helix/Helix.js"
import { Users } from "../../helix/Users.js"
import * as TwitchConfig from "../../TwitchConfig.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Target from "./target.js"

const versionRank = (version: string): number => (/^\d+$/.test(version) ? Number(version) : 0)

/** The definition a command-line type names: `type` (newest version) or `type@version`. */
export const findType = (name: string): Definition.Any | undefined => {
  const [type, version] = name.split("@")
  const candidates: ReadonlyArray<Definition.Any> = Types.all.filter((d) =>
    d.type === type && (version === undefined || d.version === version)
  )
  return [...candidates].sort((a, b) => versionRank(b.version) - versionRank(a.version))[0]
}

/** The wire names of a definition's condition (the first form of a one-of). */
export const conditionKeys = (definition: Definition.Any): ReadonlyArray<string> => {
  const ast = Schema.encodedSchema(definition.condition).ast
  const literal = ast._tag === "Union" ? ast.types[0] : ast
  return literal !== undefined && AST.isTypeLiteral(literal)
    ? literal.propertySignatures.map((p) => String(p.name))
    : []
}

/** The wire condition: overrides, then the broadcaster, then the token's user. */
export const conditionFor = (
  definition: Definition.Any,
  ids: { readonly broadcaster: string; readonly user: string },
  overrides: Readonly<Record<string, string>>
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key of conditionKeys(definition)) {
    const given = overrides[key]
    if (given !== undefined) out[key] = given
    else if (/broadcaster/.test(key)) out[key] = ids.broadcaster
    else if (/^(moderator_user_id|user_id)$/.test(key)) out[key] = ids.user
  }
  for (const [key, value] of Object.entries(overrides)) out[key] ??= value
  return out
}

const wireEvent = (delivered: Delivered): unknown => {
  if (delivered._tag === "Revocation") return null
  const definition = findType(`${delivered.type}@${delivered.version}`)
  return definition === undefined
    ? null
    : Option.getOrNull(Schema.encodeUnknownOption(definition.event)(delivered.event))
}

/** One JSON line for an item. */
export const toJson = (delivered: Delivered): Record<string, unknown> => ({
  kind: delivered._tag === "Revocation" ? "revocation" : "notification",
  type: delivered.type,
  version: delivered.version,
  message_id: delivered.messageId,
  timestamp: delivered.timestamp.toISOString(),
  ...(delivered._tag === "Revocation" ? { status: delivered.status } : { event: wireEvent(delivered) })
})

/** One line for people: time, type, and the event's plain fields (sanitized). */
export const toText = (style: Output.Style, delivered: Delivered): string => {
  const time = delivered.timestamp.toISOString().slice(11, 19)
  const head = `${Output.dim(style, time)} ${Output.bold(style, delivered.type)}`
  if (delivered._tag === "Revocation") {
    return `${head} ${Output.yellow(style, `revoked (${delivered.status})`)}`
  }
  const wire = wireEvent(delivered)
  const fields = typeof wire === "object" && wire !== null
    ? Object.entries(wire).filter(([, v]) =>
      typeof v === "string" || typeof v === "number" || typeof v === "boolean"
    )
      .filter(([k]) => !k.endsWith("_id") || k === "message_id").slice(0, 8)
    : []
  return `${head} ${fields.map(([k, v]) => `${k}=${Output.sanitize(String(v))}`).join(" ")}`
}

const parseConditions = (pairs: ReadonlyArray<string>) =>
  Effect.forEach(pairs, (pair) => {
    const at = pair.indexOf("=")
    return at <= 0
      ? Effect.fail(
        new CliError({ reason: "BadInput", detail: `--condition ${pair}: write it as name=value.` })
      )
      : Effect.succeed([pair.slice(0, at), pair.slice(at + 1)] as const)
  }).pipe(Effect.map((entries) => Object.fromEntries(entries)))

const eventsLayer = (common: Target.Common) =>
  EventSubWebSocket.layer().pipe(
    Layer.provideMerge(Helix.layer()),
    Layer.provideMerge(Target.authLayer),
    Layer.provideMerge(Target.layer(common))
  )

const broadcasterId = (given: Option.Option<string>, user: string) =>
  Option.match(given, {
    onNone: () => Effect.succeed(user),
    onSome: (value) =>
      /^\d+$/.test(value) ?
        Effect.succeed(value) :
        Effect.flatMap(Users, (users) =>
          Effect.flatMap(users.byLogin(value.toLowerCase()), (found) =>
            Option.match(found, {
              onNone: () => Effect.fail(new CliError({ reason: "NotFound", detail: `No user ${value}.` })),
              onSome: (u) => Effect.succeed(u.id)
            })))
  })

const events = Command.make(
  "events",
  {
    ...O.common,
    types: Args.text({ name: "type" }).pipe(
      Args.atLeast(1),
      Args.withDescription("EventSub types: channel.follow (newest version) or channel.follow@2")
    ),
    broadcaster: Options.text("broadcaster").pipe(
      Options.withDescription("The channel (login or id) for broadcaster fields (default: the token's user)"),
      Options.optional
    ),
    condition: Options.text("condition").pipe(
      Options.withDescription("A condition field as name=value (repeatable), e.g. reward_id=..."),
      Options.repeated
    ),
    limit: O.integer("limit", { min: 1 }).pipe(
      Options.withDescription("Stop after this many events (default: run until Ctrl+C)"),
      Options.optional
    )
  },
  (o) =>
    Effect.gen(function*() {
      const definitions = yield* Effect.forEach(o.types, (name) => {
        const found = findType(name)
        if (found === undefined) {
          return Effect.fail(new CliError({ reason: "BadInput", detail: `Unknown EventSub type ${name}.` }))
        }
        if (!Definition.isWebSocketCapable(found)) {
          return Effect.fail(
            new CliError({ reason: "BadInput", detail: `${name} is delivered to webhooks only.` })
          )
        }
        return Effect.succeed(found)
      })
      const config = yield* TwitchConfig.TwitchConfig
      const target = yield* Target.TargetTag
      if (
        target.kind === "mock" &&
        config.eventSubWebSocketUrl === TwitchConfig.productionUrls.eventSubWebSocketUrl
      ) {
        return yield* new CliError({ reason: "Io", detail: "This mock Twitch does not serve EventSub." })
      }
      const overrides = yield* parseConditions(o.condition)
      const user = yield* TwitchAuth.currentUser
      const broadcaster = yield* broadcasterId(o.broadcaster, user.userId)
      const client = yield* EventSubWebSocket.EventSubWebSocket
      const tty = yield* Tty
      const printed = client.notifications().pipe(
        Stream.tap((d) => Console.log(o.json ? JSON.stringify(toJson(d)) : toText(tty.style, d))),
        Stream.filter((d) => d._tag === "Notification"),
        (s) => (Option.isSome(o.limit) ? Stream.take(s, o.limit.value) : s),
        Stream.runDrain
      )
      const fiber = yield* Effect.forkScoped(printed)
      yield* Effect.forEach(
        definitions,
        (definition): Effect.Effect<unknown, CliError | SubscribeError, Scope.Scope> => {
          const wire = conditionFor(definition, { broadcaster, user: user.userId }, overrides)
          return Option.match(Definition.decodeCondition(definition, wire), {
            onNone: () =>
              Effect.fail(
                new CliError({
                  reason: "BadInput",
                  detail: `${definition.type} needs ${
                    conditionKeys(definition).join(", ")
                  } (--condition name=value).`
                })
              ),
            onSome: (condition) => client.subscribeScoped(definition, condition)
          })
        }
      )
      if (tty.stderr) {
        yield* Console.error(
          `Listening to ${definitions.map((d) => `${d.type}@${d.version}`).join(", ")}. Ctrl+C to stop.`
        )
      }
      yield* fiber.await
    }).pipe(Effect.scoped, Effect.provide(eventsLayer(o)))
).pipe(Command.withDescription("Print EventSub events as they arrive (--json: JSON lines)"))

/** The events command. */
export const commands = [events] as const

/** Its help node. */
export const nodes: ReadonlyArray<Help.Node> = commands.map(Help.leaf)
