/**
 * Helix's wire shapes of the world's records, shared by the handlers: users, games, streams, the
 * `user_id`/`user_login`/`user_name` triples Twitch repeats under many prefixes, and lookups.
 *
 * @since 0.1.0
 */
import type { Game, LiveStream, User } from "../../world/Models.js"
import type { WorldState } from "../../world/State.js"

/**
 * Lookups by id over one state.
 *
 * @since 0.1.0
 * @category models
 */
export interface Index {
  readonly users: ReadonlyMap<string, User>
  readonly games: ReadonlyMap<string, Game>
  readonly live: ReadonlyMap<string, LiveStream>
}

const indexes = new WeakMap<WorldState, Index>()

/**
 * The lookups of a state (built once per state).
 *
 * @since 0.1.0
 * @category constructors
 */
export const index = (s: WorldState): Index => {
  const known = indexes.get(s)
  if (known !== undefined) return known
  const made: Index = {
    users: new Map(s.users.map((u) => [u.id, u])),
    games: new Map(s.games.map((g) => [g.id, g])),
    live: new Map(s.streams.map((x) => [x.userId, x]))
  }
  indexes.set(s, made)
  return made
}

/**
 * `{<prefix>id, <prefix>login, <prefix>name}` of a user (`user_`, `broadcaster_`, `moderator_`,
 * `gifter_`...); empty strings for an unknown id.
 *
 * @since 0.1.0
 * @category wire
 */
export const names = (s: WorldState, prefix: string, id: string): Record<string, string> => {
  const user = index(s).users.get(id)
  return {
    [`${prefix}id`]: id,
    [`${prefix}login`]: user?.login ?? "",
    [`${prefix}name`]: user?.displayName ?? ""
  }
}

/**
 * Whether a user exists and their channel is not suspended.
 *
 * @since 0.1.0
 * @category accessors
 */
export const visibleUser = (s: WorldState, id: string): boolean =>
  index(s).users.has(id) && !s.channels.some((c) => c.broadcasterId === id && c.suspended)

/**
 * A Get Users item.
 *
 * @since 0.1.0
 * @category wire
 */
export const userJson = (u: User, withEmail: boolean) => ({
  id: u.id,
  login: u.login,
  display_name: u.displayName,
  type: u.type,
  broadcaster_type: u.broadcasterType,
  description: u.description,
  profile_image_url: u.profileImageUrl,
  offline_image_url: u.offlineImageUrl,
  view_count: 0,
  ...(withEmail ? { email: u.email } : {}),
  created_at: u.createdAt
})

/**
 * A Get Games item.
 *
 * @since 0.1.0
 * @category wire
 */
export const gameJson = (g: Game) => ({
  id: g.id,
  name: g.name,
  box_art_url: g.boxArtUrl,
  igdb_id: g.igdbId
})

/**
 * A Get Streams item.
 *
 * @since 0.1.0
 * @category wire
 */
export const streamJson = (s: WorldState, x: LiveStream) => {
  const ix = index(s)
  const user = ix.users.get(x.userId)
  const login = user?.login ?? ""
  return {
    id: x.id,
    user_id: x.userId,
    user_login: login,
    user_name: user?.displayName ?? "",
    game_id: x.gameId,
    game_name: ix.games.get(x.gameId)?.name ?? "",
    type: "live",
    title: x.title,
    tags: x.tags,
    viewer_count: x.viewerCount,
    started_at: x.startedAt,
    language: x.language,
    thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
    tag_ids: [],
    is_mature: false
  }
}

const byViewers = (a: LiveStream, b: LiveStream) =>
  b.viewerCount - a.viewerCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The live streams of channels that are not suspended, most viewers first.
 *
 * @since 0.1.0
 * @category accessors
 */
export const liveStreams = (s: WorldState): ReadonlyArray<LiveStream> => {
  const suspended = new Set(s.channels.filter((c) => c.suspended).map((c) => c.broadcasterId))
  return s.streams.filter((x) => !suspended.has(x.userId)).sort(byViewers)
}

/**
 * Compares RFC3339 strings, newest first.
 *
 * @since 0.1.0
 * @category utils
 */
export const newestFirst = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0)

/**
 * `null` for Twitch's "none" where the world keeps `""`.
 *
 * @since 0.1.0
 * @category wire
 */
export const orNull = (value: string): string | null => (value === "" ? null : value)
