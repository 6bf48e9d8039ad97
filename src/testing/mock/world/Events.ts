/**
 * What changed in the world, published on `World.Service.events` for the surfaces that push (the
 * IRC server sends `ROOMSTATE` on `RoomStateChanged`). Each area declares its own events; the
 * {@link WorldEvent} union joins them.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { Channel, Emote, Follow, LiveStream, RoomState, User } from "./Models.js"
import type { Token } from "./OAuthModels.js"

/**
 * Changes to users, channels, streams and follows.
 *
 * @since 0.1.0
 * @category models
 */
export type CatalogEvent = Data.TaggedEnum<{
  UserAdded: { readonly user: User }
  ChannelUpdated: { readonly channel: Channel }
  StreamStarted: { readonly stream: LiveStream }
  StreamEnded: { readonly userId: string }
  FollowAdded: { readonly follow: Follow }
}>

/**
 * Changes to room modes, emotes and chat presence.
 *
 * @since 0.1.0
 * @category models
 */
export type ChatEvent = Data.TaggedEnum<{
  RoomStateChanged: {
    readonly channelId: string
    readonly roomState: RoomState
    readonly changed: ReadonlyArray<keyof RoomState>
  }
  EmoteAdded: { readonly emote: Emote }
  ChatterJoined: { readonly channelId: string; readonly userId: string }
  ChatterLeft: { readonly channelId: string; readonly userId: string }
}>

/**
 * Changes to tokens.
 *
 * @since 0.1.0
 * @category models
 */
export type OAuthEvent = Data.TaggedEnum<{
  TokenRevoked: { readonly token: Token }
}>

/**
 * Every world event (e.g. the IRC server sends `ROOMSTATE` on `RoomStateChanged`).
 *
 * @since 0.1.0
 * @category models
 */
export type WorldEvent = CatalogEvent | ChatEvent | OAuthEvent

/**
 * Constructors and matchers for {@link WorldEvent}.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldEvent = Data.taggedEnum<WorldEvent>()
