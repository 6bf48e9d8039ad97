/**
 * The IRCv3 line parser. Synchronous and total: every input gives either a message or an
 * {@link IrcParseError} carrying the raw line; it never throws.
 *
 * The scan finds tags, prefix, command and parameters with `indexOf`/`charCodeAt` (no regex, no
 * `split`); tag values are unescaped only where a backslash is present, and tags, prefix and
 * params are decoded on first read.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as internal from "./internal/irc.js"
import type { IrcParseError } from "./IrcError.js"
import type { IrcMessage, IrcPrefix } from "./IrcMessage.js"

/**
 * Parses one IRC line (with or without its trailing CR/LF) into an {@link IrcMessage}.
 *
 * Follows the IRCv3 message grammar: `@tags :prefix COMMAND params :trailing`. Runs of spaces
 * separate atoms, trailing spaces are ignored, CR or NUL inside the line are kept as content,
 * and tag values are unescaped (`\:` `\s` `\\` `\r` `\n`; other escapes drop the backslash).
 * Lines longer than 512 bytes or with more than 8 KiB of tags are accepted (Twitch sends them).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseIrcLine = (line: string): Either.Either<IrcMessage, IrcParseError> => {
  if (typeof line !== "string") return Either.left(internal.failure(0, line))
  const code = internal.scan(line)
  return code === internal.SCAN_OK
    ? Either.right(internal.fromScan())
    : Either.left(internal.failure(code, line))
}

/**
 * Unescapes an IRCv3 tag value: `\:` `\s` `\\` `\r` `\n` become `;` space `\` CR LF, any other
 * escaped character stands for itself and a trailing lone backslash is dropped.
 *
 * @since 0.1.0
 * @category parsing
 */
export const unescapeTagValue: (value: string) => string = internal.unescapeTagValue

/**
 * Parses the tag section of a line (without the leading `@`) into a map, values unescaped.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseTags = (tags: string): ReadonlyMap<string, string> =>
  internal.decodeTags("@" + tags, tags.length + 1)

/**
 * Splits a prefix (`nick!user@host`, without the leading `:`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parsePrefix = (prefix: string): IrcPrefix => internal.decodePrefix(prefix, 0, prefix.length)
