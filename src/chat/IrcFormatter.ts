/**
 * The inverse of the parser: writes an {@link IrcMessage} as one IRC line, escaping tag values and
 * refusing anything that would split, truncate or change the meaning of the line.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { IrcFormatError, type IrcFormatReason } from "./IrcError.js"
import type { IrcMessage } from "./IrcMessage.js"

const fail = (reason: IrcFormatReason, part: string): Either.Either<never, IrcFormatError> =>
  Either.left(new IrcFormatError({ reason, part }, true))

/**
 * Escapes an IRCv3 tag value: `;` space `\` CR LF become `\:` `\s` `\\` `\r` `\n`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const escapeTagValue = (value: string): string => {
  let out = ""
  let from = 0
  for (let i = 0; i < value.length; i++) {
    let rep: string
    switch (value.charCodeAt(i)) {
      case 59:
        rep = "\\:"
        break
      case 32:
        rep = "\\s"
        break
      case 92:
        rep = "\\\\"
        break
      case 13:
        rep = "\\r"
        break
      case 10:
        rep = "\\n"
        break
      default:
        continue
    }
    out += value.slice(from, i) + rep
    from = i + 1
  }
  return from === 0 ? value : out + value.slice(from)
}

/** The first index of CR, LF or NUL, or -1. */
const forbidden = (s: string): number => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 13 || c === 10 || c === 0) return i
  }
  return -1
}

const hasAny = (s: string, chars: string): boolean => {
  for (let i = 0; i < chars.length; i++) {
    if (s.includes(chars[i])) return true
  }
  return false
}

const isCommand = (command: string): boolean => {
  if (command.length === 0) return false
  const c0 = command.charCodeAt(0)
  if (c0 >= 48 && c0 <= 57) return /^[0-9]{3}$/.test(command)
  return /^[A-Za-z]+$/.test(command)
}

/**
 * Writes the message as one line, without the trailing CRLF.
 *
 * Tag values are escaped (a CR or LF in a value is fine, it becomes `\r`/`\n`; an empty value is
 * written as a bare key). The last parameter gets a `:` when it is empty, holds a space or starts
 * with `:`. Fails with {@link IrcFormatError} on CR/LF/NUL in any other part, NUL in a tag value,
 * an invalid tag key, prefix or command, or a middle parameter that is empty, holds a space or
 * starts with `:`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatIrcLine = (message: IrcMessage): Either.Either<string, IrcFormatError> => {
  let line = ""
  if (message.tags.size > 0) {
    let first = true
    for (const [key, value] of message.tags) {
      if (forbidden(key) >= 0) return fail("ForbiddenCharacter", `tag ${key}`)
      if (key.length === 0 || hasAny(key, "=; ")) return fail("InvalidTagKey", `tag ${key}`)
      if (value.includes("\0")) return fail("ForbiddenCharacter", `tag ${key}`)
      line += (first ? "@" : ";") + (value === "" ? key : `${key}=${escapeTagValue(value)}`)
      first = false
    }
    line += " "
  }
  const prefix = message.prefix
  if (prefix !== undefined) {
    const parts = [prefix.nick, prefix.user ?? "", prefix.host ?? ""]
    for (const part of parts) {
      if (forbidden(part) >= 0) return fail("ForbiddenCharacter", "prefix")
    }
    if (prefix.nick.length === 0 || hasAny(prefix.nick, " !@")) return fail("InvalidPrefix", "prefix")
    if (prefix.user !== undefined && hasAny(prefix.user, " @")) return fail("InvalidPrefix", "prefix")
    if (prefix.host !== undefined && prefix.host.includes(" ")) return fail("InvalidPrefix", "prefix")
    line += ":" + prefix.nick
    if (prefix.user !== undefined) line += "!" + prefix.user
    if (prefix.host !== undefined) line += "@" + prefix.host
    line += " "
  }
  if (forbidden(message.command) >= 0) return fail("ForbiddenCharacter", "command")
  if (!isCommand(message.command)) return fail("InvalidCommand", "command")
  line += message.command
  const params = message.params
  const last = params.length - 1
  for (let i = 0; i <= last; i++) {
    const param = params[i]
    if (forbidden(param) >= 0) return fail("ForbiddenCharacter", `param ${i}`)
    if (i === last) {
      line += param.length === 0 || param.includes(" ") || param.charCodeAt(0) === 58
        ? " :" + param
        : " " + param
    } else {
      if (param.length === 0 || param.includes(" ") || param.charCodeAt(0) === 58) {
        return fail("InvalidParameter", `param ${i}`)
      }
      line += " " + param
    }
  }
  return Either.right(line)
}
