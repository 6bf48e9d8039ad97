/**
 * The world as data: {@link WorldData} joins every area's slice (catalog, chat, OAuth, ...) into
 * one record of arrays, {@link WorldState} adds the random generator's state. A new area adds its
 * slice here (see `src/testing/mock/README.md`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { BroadcastFields } from "./BroadcastModels.js"
import { CommunityFields } from "./CommunityModels.js"
import { EventSubFields } from "./EventSubModels.js"
import { ExtensionFields } from "./ExtensionModels.js"
import { MediaFields } from "./MediaModels.js"
import { MessagingFields } from "./MessagingModels.js"
import { CatalogFields, ChatFields } from "./Models.js"
import { ModerationFields } from "./ModerationModels.js"
import { OAuthFields } from "./OAuthModels.js"
import { PollFields } from "./PollModels.js"
import { RewardFields } from "./RewardModels.js"
import { ScheduleFields } from "./ScheduleModels.js"
import { ThirdPartyFields } from "./ThirdPartyModels.js"

/**
 * The whole world as data: what a JSON file for `npm run mock --world` holds (decode it with this
 * schema) and what `World.Service.snapshot` returns.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldData = Schema.Struct({
  ...CatalogFields,
  ...ChatFields,
  ...OAuthFields,
  ...ModerationFields,
  ...RewardFields,
  ...PollFields,
  ...ScheduleFields,
  ...MediaFields,
  ...MessagingFields,
  ...CommunityFields,
  ...BroadcastFields,
  ...ExtensionFields,
  ...EventSubFields,
  ...ThirdPartyFields
})

/**
 * @since 0.1.0
 * @category models
 */
export type WorldData = typeof WorldData.Type

/**
 * A world file (`npm run mock -- --world file.json`): some or all of {@link WorldData}'s arrays.
 * Turn it into a world with `fromFile`.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldFile = Schema.partialWith(WorldData, { exact: true })

/**
 * @since 0.1.0
 * @category models
 */
export type WorldFile = typeof WorldFile.Type

/**
 * The world plus the state of its deterministic random generator (used for new token values).
 *
 * @since 0.1.0
 * @category models
 */
export interface WorldState extends WorldData {
  readonly rng: number
}
