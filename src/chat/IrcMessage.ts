/**
 * The generic IRCv3 message: tags, prefix, command and parameters. Plain readonly data; parsed
 * messages decode on read (`tags.get` looks up one key in the raw line; iterating decodes all),
 * which the type does not show.
 *
 * @since 0.1.0
 */

/**
 * The source of a message, `nick!user@host` split into its parts. A server source such as
 * `tmi.twitch.tv` has only `nick`.
 *
 * @since 0.1.0
 * @category models
 */
export interface IrcPrefix {
  readonly nick: string
  readonly user: string | undefined
  readonly host: string | undefined
}

/**
 * One IRCv3 message.
 *
 * - `tags`: message tags with values unescaped (`\:` `\s` `\\` `\r` `\n`); a valueless tag maps
 *   to `""`; client-only (`+`) and vendor-prefixed (`vendor/key`) keys are kept as written. When a
 *   key repeats, the first value wins: Twitch never repeats a tag, and a lookup can then stop at
 *   the first match (the ircdocs parser tests suggest the last; we trade that for speed).
 * - `prefix`: the source, if the line had one.
 * - `command`: as sent (`PRIVMSG`, `001`, ...).
 * - `params`: the middle parameters and the trailing one (without its `:`), in order.
 *
 * @since 0.1.0
 * @category models
 */
export interface IrcMessage {
  readonly tags: ReadonlyMap<string, string>
  readonly prefix: IrcPrefix | undefined
  readonly command: string
  readonly params: ReadonlyArray<string>
}

const emptyTags: ReadonlyMap<string, string> = new Map()

/**
 * Builds a message to format and send; tags and params default to empty.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (fields: {
  readonly command: string
  readonly params?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined
  readonly prefix?: IrcPrefix | undefined
}): IrcMessage => ({
  tags: fields.tags === undefined
    ? emptyTags
    : fields.tags instanceof Map
    ? fields.tags
    : new Map(Object.entries(fields.tags)),
  prefix: fields.prefix,
  command: fields.command,
  params: fields.params ?? []
})

/**
 * Builds a prefix; `user` and `host` are optional.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prefix = (nick: string, user?: string, host?: string): IrcPrefix => ({ nick, user, host })

/**
 * The message as plain data (a tag record instead of a map), for logging and comparisons.
 *
 * @since 0.1.0
 * @category conversions
 */
export const toJSON = (message: IrcMessage): {
  readonly tags: Readonly<Record<string, string>>
  readonly prefix: IrcPrefix | undefined
  readonly command: string
  readonly params: ReadonlyArray<string>
} => ({
  tags: Object.fromEntries(message.tags),
  prefix: message.prefix === undefined
    ? undefined
    : { nick: message.prefix.nick, user: message.prefix.user, host: message.prefix.host },
  command: message.command,
  params: [...message.params]
})
