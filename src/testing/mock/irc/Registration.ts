/**
 * Capability negotiation and login: `CAP LS/LIST/REQ`, `PASS`, and `NICK`, which logs in an
 * anonymous `justinfan` or checks the `oauth:` token against the world (user, login, `chat:read`),
 * within the login window, then welcomes the client (numerics and GLOBALUSERSTATE).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Inbox from "./Inbox.js"
import { takeAuth } from "./Limits.js"
import * as Message from "./Message.js"
import { ANONYMOUS, HOST, SUPPORTED_CAPS } from "./Protocol.js"
import { rolesIn } from "./Roles.js"
import { emoteSetsOf } from "./Rooms.js"
import * as Session from "./Session.js"
import { count, type Env, violation } from "./State.js"

const welcomeLines = [
  ["001", "Welcome, GLHF!"],
  ["002", `Your host is ${HOST}`],
  ["003", "This server is rather new"],
  ["004", "-"],
  ["375", "-"],
  ["372", "You are in a maze of twisty passages, all alike."],
  ["376", ">"]
] as const

const welcome = (env: Env, session: Session.Session, nick: string) => {
  for (const [code, text] of welcomeLines) {
    Session.send(
      env,
      session,
      Message.format({ prefix: HOST, command: code, params: [nick], trailing: text })
    )
  }
}

const registered = (env: Env, session: Session.Session) =>
  Effect.suspend(() => {
    session.phase = "registered"
    return Effect.zipRight(count(env, "logins"), Inbox.loginsChanged(env))
  })

const loginFailed = (env: Env, session: Session.Session, text: string) =>
  Effect.zipRight(
    count(env, "loginFailures"),
    Effect.sync(() => {
      Session.notice(env, session, "*", undefined, text)
      Session.close(env, session)
    })
  )

/** The GLOBALUSERSTATE of a logged-in user. */
const globalUserState = (session: Session.Session, user: NonNullable<Session.Session["user"]>) => {
  const r = rolesIn(user, undefined)
  return Message.format({
    tags: {
      "badge-info": "",
      badges: r.badges,
      color: user.chatColor,
      "display-name": user.displayName,
      "emote-sets": session.emoteSets,
      turbo: "0",
      "user-id": user.id,
      "user-type": user.type
    },
    prefix: HOST,
    command: "GLOBALUSERSTATE"
  })
}

/**
 * `NICK`: logs the session in (anonymously for `justinfan<digits>`), or refuses it with a NOTICE
 * and closes it.
 *
 * @since 0.1.0
 * @category commands
 */
export const onNick = (
  env: Env,
  session: Session.Session,
  nickRaw: string | undefined
): Effect.Effect<void> =>
  Effect.gen(function*() {
    if (session.phase !== "new" || nickRaw === undefined) return
    const nick = nickRaw.toLowerCase()
    session.nick = nick
    if (ANONYMOUS.test(nick)) {
      session.anonymous = true
      welcome(env, session, nick)
      return yield* registered(env, session)
    }
    // 20 authentication attempts per 10 s per user (twitch-facts §5.8), counted by the login
    // claimed in NICK whatever the outcome. Twitch documents the limit, not the answer: ours is
    // the NOTICE Twitch sends for a refused login, then the connection closes.
    if (!(yield* takeAuth(env, nick))) {
      yield* violation(env, "authRate")
      return yield* loginFailed(env, session, "Login unsuccessful")
    }
    if (session.pass === undefined || !session.pass.startsWith("oauth:")) {
      return yield* loginFailed(env, session, "Improperly formatted auth")
    }
    const token = yield* Effect.option(env.world.validateToken(session.pass.slice("oauth:".length)))
    if (Option.isNone(token) || token.value.userId === undefined) {
      return yield* loginFailed(env, session, "Login authentication failed")
    }
    const user = yield* env.world.userById(token.value.userId)
    if (Option.isNone(user) || user.value.login !== nick || !token.value.scopes.includes("chat:read")) {
      return yield* loginFailed(env, session, "Login authentication failed")
    }
    session.user = user.value
    session.scopes = token.value.scopes
    session.emoteSets = yield* emoteSetsOf(env, user.value)
    welcome(env, session, nick)
    Session.send(env, session, globalUserState(session, user.value))
    yield* registered(env, session)
  })

/**
 * `CAP LS`, `CAP LIST` and `CAP REQ` (all or nothing: ACK or NAK).
 *
 * @since 0.1.0
 * @category commands
 */
export const onCap = (
  env: Env,
  session: Session.Session,
  params: ReadonlyArray<string>
): Effect.Effect<void> =>
  Effect.sync(() => {
    const sub = (params[0] ?? "").toUpperCase()
    const target = session.nick ?? "*"
    const reply = (verb: string, trailing: string) =>
      Session.send(
        env,
        session,
        Message.format({ prefix: HOST, command: "CAP", params: [target, verb], trailing })
      )
    if (sub === "LS") {
      reply("LS", SUPPORTED_CAPS.join(" "))
    } else if (sub === "LIST") {
      reply("LIST", [...session.caps].join(" "))
    } else if (sub === "REQ") {
      const requested = (params[1] ?? "").split(" ").filter((c) => c.length > 0)
      const ok = requested.length > 0 &&
        requested.every((c) => SUPPORTED_CAPS.includes(c.replace(/^-/, "")))
      if (ok) {
        for (const c of requested) {
          if (c.startsWith("-")) session.caps.delete(c.slice(1))
          else session.caps.add(c)
        }
      }
      reply(ok ? "ACK" : "NAK", requested.join(" "))
    }
  })

/**
 * `PASS`: kept until `NICK` (ignored after login).
 *
 * @since 0.1.0
 * @category commands
 */
export const onPass = (session: Session.Session, pass: string | undefined): void => {
  if (session.phase === "new") session.pass = pass
}
