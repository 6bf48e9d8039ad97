/**
 * Twitch IRC's fixed vocabulary for the mock server: the host name, the capabilities, the commands
 * only `twitch.tv/commands` clients get, anonymous logins, NOTICE texts, channel and prefix forms.
 *
 * @since 0.1.0
 */

/**
 * The server's name in prefixes and numerics.
 *
 * @since 0.1.0
 * @category constants
 */
export const HOST = "tmi.twitch.tv"

/**
 * @since 0.1.0
 * @category constants
 */
export const CAP_TAGS = "twitch.tv/tags"

/**
 * @since 0.1.0
 * @category constants
 */
export const CAP_COMMANDS = "twitch.tv/commands"

/**
 * @since 0.1.0
 * @category constants
 */
export const CAP_MEMBERSHIP = "twitch.tv/membership"

/**
 * The capabilities `CAP LS` lists and `CAP REQ` may ask for.
 *
 * @since 0.1.0
 * @category constants
 */
export const SUPPORTED_CAPS: ReadonlyArray<string> = [CAP_TAGS, CAP_COMMANDS, CAP_MEMBERSHIP]

/**
 * Twitch commands only sent to clients with `twitch.tv/commands`.
 *
 * @since 0.1.0
 * @category constants
 */
export const COMMANDS_ONLY: ReadonlySet<string> = new Set([
  "USERSTATE",
  "GLOBALUSERSTATE",
  "ROOMSTATE",
  "USERNOTICE",
  "CLEARCHAT",
  "CLEARMSG",
  "RECONNECT",
  "HOSTTARGET",
  "WHISPER"
])

/**
 * Anonymous (read-only) logins.
 *
 * @since 0.1.0
 * @category constants
 */
export const ANONYMOUS = /^justinfan\d+$/

/**
 * NOTICE texts of the msg-ids the server sends outside room modes.
 *
 * @since 0.1.0
 * @category constants
 */
export const noticeTexts = {
  msg_ratelimit: "Your message was not sent because you are sending messages too quickly.",
  msg_duplicate:
    "Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.",
  msg_channel_suspended: "This channel does not exist or has been suspended.",
  // Not in Twitch's docs (neither the msg-id nor the text); the msg-id is what Twitch sends since
  // the 100-room cap (twitch4j NoticeTag, PR #985, 2024-05-20), the text is the one reported for it.
  msg_concurrent_channel_limit_reached: "You are connected to too many chat channels."
} as const

/**
 * A channel's login from `#Name` or `name`.
 *
 * @since 0.1.0
 * @category utils
 */
export const normalizeChannel = (channel: string): string => channel.replace(/^#/, "").toLowerCase()

/**
 * A user's IRC prefix (`login!login@login.tmi.twitch.tv`).
 *
 * @since 0.1.0
 * @category utils
 */
export const prefixOf = (login: string): string => `${login}!${login}@${login}.${HOST}`
