/**
 * The world as data: {@link WorldData} joins every area's slice (catalog, chat, OAuth, ...) into
 * one record of arrays, {@link WorldState} adds the random generator's state. A new area adds its
 * slice here (see `src/testing/mock/README.md`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { CatalogFields, ChatFields } from "./Models.js"
import { OAuthFields } from "./OAuthModels.js"
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
