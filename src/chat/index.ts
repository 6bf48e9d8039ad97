/**
 * Twitch chat: the IRCv3 parser and formatter, and the typed Twitch message model.
 *
 * @since 0.1.0
 */

/**
 * Typed errors of the IRC layer.
 *
 * @since 0.1.0
 */
export * as IrcError from "./IrcError.js"

/**
 * Writes messages as IRC lines.
 *
 * @since 0.1.0
 */
export * as IrcFormatter from "./IrcFormatter.js"

/**
 * The generic IRCv3 message.
 *
 * @since 0.1.0
 */
export * as IrcMessage from "./IrcMessage.js"

/**
 * Parses IRC lines.
 *
 * @since 0.1.0
 */
export * as IrcParser from "./IrcParser.js"

/**
 * The Twitch chat message model and its parser.
 *
 * @since 0.1.0
 */
export * as TwitchMessage from "./TwitchMessage.js"
