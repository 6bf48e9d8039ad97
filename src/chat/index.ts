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

/**
 * The chat client: a scoped connection, a Stream of messages, a rate-limited send queue.
 *
 * @since 0.1.0
 */
export * as ChatClient from "./ChatClient.js"

/**
 * How the chat client reaches a server: TLS, WebSocket, TCP, or a `Socket` of your own.
 *
 * @since 0.1.0
 */
export * as ChatTransport from "./ChatTransport.js"

/**
 * One chat socket (a transport's connection) with line framing.
 *
 * @since 0.1.0
 */
export * as ChatConnection from "./ChatConnection.js"

/**
 * Twitch's chat limits and the sliding-window limiter.
 *
 * @since 0.1.0
 */
export * as ChatRateLimits from "./ChatRateLimits.js"

/**
 * The outcome of a send.
 *
 * @since 0.1.0
 */
export * as SendOutcome from "./SendOutcome.js"
