/**
 * The session of one connection: registration (`CAP`, `PASS`, `NICK`, `USER`), IRCv3 capability
 * negotiation and the welcome.
 *
 * Capabilities. The client first asks for Twitch's three in one `CAP REQ` (what Twitch grants at
 * once). A REQ is atomic: a server without one of them NAKs the whole list. Then the server is not
 * Twitch: the client asks what it offers (`CAP LS 302`), asks for each Twitch capability alone
 * (a server with tags but not membership still gives tags), and, once the list came, for the
 * standard `message-tags`, `server-time` and `echo-message` it offers. `CAP END` goes out once
 * every REQ was answered (IRCv3 servers hold the welcome until then; Twitch ignores it). A server
 * that does not answer `LS` answers the REQs sent after it, so it never holds `CAP END` up; a
 * server without capabilities answers `CAP` with 421 and there is nothing to end.
 *
 * The functions taking messages are synchronous and return the lines to write.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberId from "effect/FiberId"
import * as Redacted from "effect/Redacted"
import { ChatError } from "../../../TwitchError.js"
import type * as TM from "../../TwitchMessage.js"
import * as Connection from "./connection.js"

/** Twitch's capabilities: with tags and commands Twitch answers every PRIVMSG. */
export const twitchCaps = ["twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership"] as const

/** Standard IRCv3 capabilities asked for when a non-Twitch server offers them. */
export const standardCaps = ["message-tags", "server-time", "echo-message"] as const

/** The registration state of one connection. */
export interface Session {
  /** Capabilities the server acknowledged. */
  readonly caps: Set<string>
  /** CAP REQs not answered yet; `CAP END` goes out when this reaches 0. */
  outstanding: number
  capEnded: boolean
  /** Whether `CAP LS` was sent, and its (possibly multi-line) answer complete. */
  ls: "unsent" | "sent" | "answered"
  readonly offered: Set<string>
  /** Completed by the welcome (001), or failed by a refused login. */
  readonly welcomed: Deferred.Deferred<void, ChatError>
  /** Whether `welcomed` is done. */
  done: boolean
}

/** A fresh session (one Twitch REQ outstanding: it is part of the first lines). */
export const make = (): Session => ({
  caps: new Set(),
  outstanding: 1,
  capEnded: false,
  ls: "unsent",
  offered: new Set(),
  welcomed: Deferred.unsafeMake<void, ChatError>(FiberId.none),
  done: false
})

const settle = (session: Session, result: Effect.Effect<void, ChatError>): boolean => {
  if (session.done) return false
  session.done = true
  Deferred.unsafeDone(session.welcomed, result)
  return true
}

/** How sends on this connection learn their outcome. */
export const confirmation = (session: Session): "twitch" | "echo" | "probe" =>
  session.caps.has("twitch.tv/tags") && session.caps.has("twitch.tv/commands")
    ? "twitch"
    : session.caps.has("echo-message")
    ? "echo"
    : "probe"

/**
 * The first lines: the Twitch capability request, `PASS` (the token, or anonymous), `NICK` and
 * `USER` (standard servers complete registration with it; Twitch ignores it).
 */
export const hello = (login: string, token: Redacted.Redacted<string> | undefined): Array<string> => {
  const value = token === undefined ? undefined : Redacted.value(token)
  const pass = value === undefined ? "SCHMOOPIIE" : value.startsWith("oauth:") ? value : `oauth:${value}`
  return [`CAP REQ :${twitchCaps.join(" ")}`, `PASS ${pass}`, `NICK ${login}`, `USER ${login} 0 * :${login}`]
}

const maybeEnd = (session: Session, out: Array<string>) => {
  if (session.outstanding <= 0 && !session.capEnded) {
    session.outstanding = 0
    session.capEnded = true
    out.push("CAP END")
  }
}

const request = (session: Session, caps: ReadonlyArray<string>, out: Array<string>) => {
  session.outstanding++
  out.push(`CAP REQ :${caps.join(" ")}`)
}

/** A CAP answer (ACK, NAK, LS); returns the lines to write. */
export const onCap = (session: Session, m: TM.Cap): Array<string> => {
  const out: Array<string> = []
  const sub = m.subcommand.toUpperCase()
  if (sub === "LS") {
    for (const c of m.capabilities) session.offered.add(c.split("=")[0])
    // `CAP * LS * :...` announces more lines; the last one has no `*`.
    const more = m.irc.params.length >= 4 && m.irc.params[2] === "*"
    if (!more && session.ls === "sent" && !session.capEnded) {
      session.ls = "answered"
      const wanted = standardCaps.filter((c) => session.offered.has(c) && !session.caps.has(c))
      if (wanted.length > 0) request(session, wanted, out)
    }
    return out
  }
  if (sub !== "ACK" && sub !== "NAK") return out
  if (sub === "ACK") {
    for (const c of m.capabilities) {
      if (c.startsWith("-")) session.caps.delete(c.slice(1))
      else session.caps.add(c)
    }
  } else if (m.capabilities.length > 1 && !session.capEnded) {
    if (session.ls === "unsent") {
      session.ls = "sent"
      out.push("CAP LS 302")
    }
    for (const c of m.capabilities) request(session, [c], out)
  }
  session.outstanding--
  maybeEnd(session, out)
  return out
}

const loginNumerics: Record<number, string> = {
  432: "the server refused the nick",
  433: "the nick is already in use",
  464: "the server refused the password",
  465: "banned from this server"
}

/** A numeric reply during registration: the welcome, a server without CAP, or a refusal. */
export const onNumeric = (session: Session, m: TM.Numeric): void => {
  if (m.code === 421 && m.irc.params[1]?.toUpperCase() === "CAP") {
    // A server without IRCv3 capabilities: nothing to negotiate, nothing to end.
    session.outstanding = 0
    session.capEnded = true
  } else if (m.code === 1) {
    session.capEnded = true
    settle(session, Effect.void)
  } else if (m.code in loginNumerics) {
    const detail = `${loginNumerics[m.code]} (${m.code}${m.text.length > 0 ? `: ${m.text}` : ""})`
    settle(session, Effect.fail(new ChatError({ reason: "LoginFailed", detail })))
  }
}

/** A NOTICE before the welcome is Twitch refusing the login; true when it was that. */
export const onNotice = (session: Session, m: TM.Notice): boolean =>
  settle(session, Effect.fail(new ChatError({ reason: "LoginFailed", detail: m.text })))

/**
 * Logs in on `conn`: writes the first lines and waits for the socket to open, then for the welcome,
 * a refusal, the end of the connection or `timeout`. A refusal fails (`LoginFailed`); the rest is `Left` with what happened
 * (worth another attempt).
 */
export const login = (
  conn: Connection.Conn,
  lines: ReadonlyArray<string>,
  timeout: Duration.Duration
): Effect.Effect<Either.Either<Connection.Conn, string>, ChatError> =>
  Effect.gen(function*() {
    Connection.write(conn, ...lines.map((text) => ({ text })))
    const ended = Effect.map(Deferred.await(conn.ended), (reason) =>
      Either.left(reason._tag === "Error" ? reason.detail : `connection ended before login (${reason._tag})`))
    // Opening is bounded by the transport (its open timeout); the login timeout counts from then.
    const opened = yield* Deferred.await(conn.opened).pipe(
      Effect.as(Either.right(conn)),
      Effect.raceFirst(ended)
    )
    if (Either.isLeft(opened)) {
      return opened
    }
    return yield* Deferred.await(conn.session.welcomed).pipe(
      Effect.as(Either.right(conn)),
      Effect.raceFirst(ended),
      Effect.timeoutTo({
        duration: timeout,
        onTimeout: () =>
          Either.left(`login timed out (no welcome within ${Duration.format(timeout)})`),
        onSuccess: (x) =>
          x
      })
    )
  })
