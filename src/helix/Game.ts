/**
 * Games (Twitch calls them categories): the `Game` of Get Games / Get Top Games and the
 * `Category` of Search Categories.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EmptyAsNone, fillSize, wire } from "./internal/wire.js"

/**
 * A game or category, as Get Games and Get Top Games return it.
 *
 * @since 0.1.0
 * @category models
 */
export class Game extends Schema.Class<Game>("effect-twitcher/Game")({
  id: Schema.String,
  name: Schema.String,
  /** Box art URL template with `{width}x{height}`; see {@link Game.boxArt}. */
  boxArtUrl: wire(Schema.String, "box_art_url"),
  /** The IGDB id, `None` when Twitch does not know it. */
  igdbId: wire(EmptyAsNone, "igdb_id")
}) {
  /** The box art URL at a size (Twitch's default art is 285x380). */
  boxArt(width = 285, height = 380): string {
    return fillSize(this.boxArtUrl, width, height)
  }
}

/**
 * A category found by Search Categories (no IGDB id there).
 *
 * @since 0.1.0
 * @category models
 */
export class Category extends Schema.Class<Category>("effect-twitcher/Category")({
  id: Schema.String,
  name: Schema.String,
  boxArtUrl: wire(Schema.String, "box_art_url")
}) {
  /** The box art URL at a size. */
  boxArt(width = 285, height = 380): string {
    return fillSize(this.boxArtUrl, width, height)
  }
}

/**
 * Viewer and channel totals of a game (pytwitcherapi's `fetch_viewers`), summed over the live
 * streams of the game. Approximate: Twitch's list shifts while it is paged.
 *
 * @since 0.1.0
 * @category models
 */
export interface GameViewers {
  readonly gameId: string
  readonly viewers: number
  readonly channels: number
}
