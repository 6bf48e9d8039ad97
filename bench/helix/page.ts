/**
 * A realistic Helix Get Streams page: `count` live streams shaped as Twitch sends them (ids,
 * logins, display names, game, titles with emoji and non-Latin text, tags, viewer counts, start
 * times, thumbnails, empty tag_ids), a cursor, deterministic.
 */
const games = [
  ["509658", "Just Chatting"],
  ["21779", "League of Legends"],
  ["32982", "Grand Theft Auto V"],
  ["516575", "VALORANT"],
  ["27471", "Minecraft"]
] as const
const titles = [
  "🔴 LIVE ranked grind to Radiant | !discord !socials",
  "chill stream, come hang out ☕ chatting and games",
  "初見さん歓迎！まったり雑談配信",
  "DROPS ENABLED — road to 1000 subs 🎉",
  "Speedrun practice: any% glitchless (PB attempts)"
]

/** A stream of the page as a bare client reads it from `JSON.parse` (the fields the cases read). */
export interface WireStream {
  readonly id: string
  readonly user_id: string
  readonly user_login: string
  readonly user_name: string
  readonly game_name: string
  readonly title: string
  readonly viewer_count: number
  readonly started_at: string
  readonly language: string
  readonly tags: ReadonlyArray<string> | null
  readonly thumbnail_url: string
}

export const streamsPage = (count: number) => ({
  data: Array.from({ length: count }, (_, i) => {
    const [gameId, gameName] = games[i % games.length]
    const login = `streamer_${i}_${(i * 7919).toString(36)}`
    return {
      id: String(40_000_000_000 + i * 977),
      user_id: String(100_000_000 + i * 31),
      user_login: login,
      user_name: i % 9 === 0 ? `配信者${i}` : login.replace(/_/g, "").toUpperCase(),
      game_id: gameId,
      game_name: gameName,
      type: "live",
      title: `${titles[i % titles.length]} #${i}`,
      tags: i % 3 === 0 ? ["English", "Competitive", "NoBackseating"] : ["日本語", "Chill"],
      viewer_count: Math.max(1, 100_000 - i * 991),
      started_at: new Date(Date.UTC(2026, 10, 27, 8, i % 60, i % 60)).toISOString().replace(".000", ""),
      language: i % 3 === 0 ? "en" : "ja",
      thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
      tag_ids: [],
      is_mature: i % 4 === 0
    }
  }),
  pagination: {
    cursor: "eyJiIjp7IkN1cnNvciI6ImV5SnpJam94TURBc0ltUWlPbVpoYkhObExDSjBJanAwY25WbGZRPT0ifSwiYSI6e319"
  }
})
