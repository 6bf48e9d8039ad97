/**
 * Every Helix handler of the mock, by the spec's `operationId` (one file per spec group in `ops/`;
 * big groups are split: Chat in `Chat.ts` and `ChatMessages.ts`, Moderation in `Moderation.ts` and
 * `ModerationRoles.ts`, Users in `Users.ts` and `UserSettings.ts`). A route module may override
 * entries (`RouteModule.helixHandlers`). The two operations Twitch removed (stream tags) have no
 * handler: the router answers them 410 (`Router.gone`).
 *
 * @since 0.1.0
 */
import type { Handlers } from "./Handler.js"
import * as Ads from "./ops/Ads.js"
import * as Analytics from "./ops/Analytics.js"
import * as Bits from "./ops/Bits.js"
import * as ChannelPoints from "./ops/ChannelPoints.js"
import * as Channels from "./ops/Channels.js"
import * as Charity from "./ops/Charity.js"
import * as Chat from "./ops/Chat.js"
import * as ChatMessages from "./ops/ChatMessages.js"
import * as Clips from "./ops/Clips.js"
import * as ContentClassification from "./ops/ContentClassification.js"
import * as Entitlements from "./ops/Entitlements.js"
import * as EventSub from "./ops/EventSub.js"
import * as Extensions from "./ops/Extensions.js"
import * as Games from "./ops/Games.js"
import * as Goals from "./ops/Goals.js"
import * as GuestStar from "./ops/GuestStar.js"
import * as HypeTrain from "./ops/HypeTrain.js"
import * as Moderation from "./ops/Moderation.js"
import * as ModerationRoles from "./ops/ModerationRoles.js"
import * as Polls from "./ops/Polls.js"
import * as Raids from "./ops/Raids.js"
import * as Schedule from "./ops/Schedule.js"
import * as Search from "./ops/Search.js"
import * as Streams from "./ops/Streams.js"
import * as Subscriptions from "./ops/Subscriptions.js"
import * as Teams from "./ops/Teams.js"
import * as Users from "./ops/Users.js"
import * as UserSettings from "./ops/UserSettings.js"
import * as Videos from "./ops/Videos.js"
import * as Whispers from "./ops/Whispers.js"

/**
 * The default handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const all: Handlers = {
  ...Ads.handlers,
  ...Analytics.handlers,
  ...Bits.handlers,
  ...ChannelPoints.handlers,
  ...Channels.handlers,
  ...Charity.handlers,
  ...Chat.emoteHandlers,
  ...ChatMessages.messageHandlers,
  ...Clips.handlers,
  ...ContentClassification.handlers,
  ...Entitlements.handlers,
  ...EventSub.subscriptionHandlers,
  ...EventSub.conduitHandlers,
  ...Extensions.handlers,
  ...Games.handlers,
  ...Goals.handlers,
  ...GuestStar.handlers,
  ...HypeTrain.handlers,
  ...Moderation.handlers,
  ...ModerationRoles.handlers,
  ...Polls.handlers,
  ...Raids.handlers,
  ...Schedule.handlers,
  ...Search.handlers,
  ...Streams.handlers,
  ...Subscriptions.handlers,
  ...Teams.handlers,
  ...Users.handlers,
  ...UserSettings.handlers,
  ...Videos.handlers,
  ...Whispers.handlers
}
