/**
 * Who the daily commands (`ban`, `clips`, `poll`...) act on and as: the token's user is the
 * broadcaster or moderator unless `--channel` names another channel; users are named by login.
 * Also how they run (the Helix services over the chosen target) and how Twitch refusing a request
 * (already banned, no such poll) becomes one readable line.
 */
import * as Args from "@effect/cli/Args"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import * as Users from "../../helix/Users.js"
import { HttpError } from "../../TwitchError.js"
import { CliError } from "../CliError.js"
import { helixLayer } from "./helix.js"
import * as Render from "./render.js"
import type * as Target from "./target.js"

/** A user a command names or acts as. */
export interface Person {
  readonly id: string
  readonly login: string
}

/** Runs a command's work with every Helix service (generated ones included) over its target. */
export const withHelix = <A, E, R>(common: Target.Common, effect: Effect.Effect<A, E, R>) =>
  Effect.provide(effect, helixLayer(common))

/** `--channel <login>`: the channel to act in (default: the token's user's own). */
export const channelOption = Options.text("channel").pipe(
  Options.withDescription("The channel, by login (default: your own, the token's user)"),
  Options.optional
)

/** The options of a command acting in a channel. */
export interface CommonWithChannel extends Target.Common {
  readonly channel: Option.Option<string>
}

/** `[<channel>]`: the channel a listing is about (default: the token's user's own). */
export const channelArg = Args.text({ name: "channel" }).pipe(
  Args.withDescription("The channel, by login (default: your own, the token's user)"),
  Args.optional
)

/** A login as typed: `@name`, `#name` and capitals are fine. */
export const loginOf = (text: string): string => text.trim().replace(/^[@#]/, "").toLowerCase()

/**
 * The token's user: from the validated token when it names its user, else by Get Users (which needs
 * a user token: an app token fails `NotAuthorized`, which says to log in).
 */
export const tokenUser = Effect.gen(function*() {
  const token = yield* Effect.flatMap(TwitchAuth.TwitchAuth, (auth) => auth.current)
  if (Option.isSome(token.userId) && Option.isSome(token.login) && token.kind !== "app") {
    return { id: token.userId.value, login: token.login.value } satisfies Person
  }
  const me = yield* Effect.flatMap(Users.Users, (users) => users.me)
  return { id: me.id, login: me.login } satisfies Person
})

/** A user by login, or `NotFound` (after `null` with `--json`). */
export const userNamed = (text: string, json = false) =>
  Effect.gen(function*() {
    const login = loginOf(text)
    const found = yield* Effect.flatMap(Users.Users, (users) => users.byLogin(login))
    if (Option.isNone(found)) {
      if (json) yield* Render.json(null)
      return yield* new CliError({ reason: "NotFound", detail: `No user named "${login}".` })
    }
    return { id: found.value.id, login: found.value.login } satisfies Person
  })

/** The channel of `--channel`, else the token's user's. */
export const channelOf = (channel: Option.Option<string>, json = false) =>
  Option.match(channel, { onNone: () => tokenUser, onSome: (login) => userNamed(login, json) })

/** `bob's chat`. */
export const possessive = (person: Person): string =>
  `${person.login}'${person.login.endsWith("s") ? "" : "s"}`

/**
 * Twitch refusing a request (400, 403, 404, 409, 422, 425) as one line saying what could not be
 * done and Twitch's reason (exit status 1); other failures pass through.
 */
export const refused = (what: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(
    effect,
    (e): e is E & HttpError =>
      e instanceof HttpError && e.status >= 400 && e.status < 500 && e.status !== 401,
    (e) =>
      Effect.fail(
        new CliError({
          reason: e.status === 404 ? "NotFound" : "Failed",
          detail: `Could not ${what}: ${
            e.twitchMessage ?? e.error ?? "refused"
          } (Twitch answered ${e.status}).`
        })
      )
  )

/** {@link refused} for a listing. */
export const refusedStream = (what: string) => <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Stream.catchAll(stream, (e) => Stream.fromEffect(refused(what)(Effect.fail(e))))

/**
 * A command's description: the summary its family's list shows, then what it needs (scopes, who
 * may run it), shown on its own help page.
 */
export const describe = (summary: string, ...more: ReadonlyArray<string>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([summary, ...more].map((text) => HelpDoc.p(text)))
