/**
 * Twitch's cap on chat channels joined at once: since 2024-05-15 an account may be in at most 100
 * channels where it is neither broadcaster nor moderator, over all its connections (IRC and
 * EventSub chat alike; verified bots included since 2024-06-26). Channels where it is broadcaster
 * or moderator do not count, nor do channels read through an app-token `channel.chat.message`
 * subscription authorized with `channel:bot`. Past the cap Twitch refuses the JOIN with a NOTICE
 * `msg_concurrent_channel_limit_reached`. Anonymous (`justinfan`) connections are not documented
 * as capped.
 *
 * The pool knows the cap: past it, it warns once (and joins anyway: the account may moderate the
 * extra channels, which Twitch learns and the pool cannot know before joining), or refuses the join
 * at once (`overCap: "fail"`); either way a refusal is a typed `ChatError` this module recognizes.
 *
 * @since 0.1.0
 */
import { ChatError } from "../../TwitchError.js"
import { concurrentChannelLimit } from "../internal/engine/inbound.js"

/**
 * Channels one account may be in at once where it is neither broadcaster nor moderator.
 *
 * @since 0.1.0
 * @category constants
 */
export const twitchCap = 100

/**
 * The `msg-id` of the NOTICE with which Twitch refuses a JOIN past the cap (also the `noticeId` of
 * the pool's own refusal).
 *
 * @since 0.1.0
 * @category constants
 */
export const noticeId: string = concurrentChannelLimit

/**
 * What the pool does with a join past the cap: `warn` logs a warning once per crossing and sends
 * the JOIN (Twitch refuses it unless the account moderates the channel), `fail` refuses it at once
 * without sending it.
 *
 * @since 0.1.0
 * @category models
 */
export type OverCap = "warn" | "fail"

const advice = "Read more channels anonymously (ChatPool.make({ anonymous: true })), or over EventSub " +
  "`channel.chat.message` with an app token authorized with `channel:bot`, which does not count."

/**
 * What a join past the cap means and what to do, for errors and the warning.
 *
 * @since 0.1.0
 * @category utils
 */
export const explain = (login: string, counted: number, cap: number): string =>
  `${login} would be in ${counted} channels where it is neither broadcaster nor moderator; Twitch ` +
  `allows ${cap} at once and refuses further JOINs (${noticeId}) unless ${login} moderates the ` +
  `channel. ${advice}`

/**
 * The error of a join past the cap: refused by the pool (`byPool`) or by Twitch.
 *
 * @since 0.1.0
 * @category constructors
 */
export const error = (
  channel: string,
  login: string,
  counted: number,
  cap: number,
  byPool: boolean
): ChatError =>
  new ChatError({
    reason: "JoinFailed",
    channel,
    noticeId,
    detail: `${byPool ? "not sent (overCap: \"fail\")" : "refused by Twitch"}: ${
      explain(login, counted, cap)
    }`
  })

/**
 * Whether an error is a join refused for the cap (by Twitch, or by the pool).
 *
 * @since 0.1.0
 * @category guards
 */
export const isCapError = (u: unknown): u is ChatError =>
  u instanceof ChatError && u.reason === "JoinFailed" && u.noticeId === noticeId
