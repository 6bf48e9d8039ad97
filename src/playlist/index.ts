/**
 * Live and VOD playback: GQL playback access tokens, usher master playlists parsed into typed
 * variants, quality options and selection, and emote pictures from the CDN.
 *
 * @since 0.1.0
 */
export * as Codec from "./Codec.js"
export * as Emotes from "./Emotes.js"
export * as Gql from "./Gql.js"
export * as MasterPlaylist from "./MasterPlaylist.js"
export * as PlaybackAccessToken from "./PlaybackAccessToken.js"
export * as Playlist from "./Playlist.js"
export * as Quality from "./Quality.js"
export * as Usher from "./Usher.js"
