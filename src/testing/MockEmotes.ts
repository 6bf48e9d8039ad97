/**
 * The third-party emote config pointed at a running mock Twitch: BTTV, FFZ and 7TV answered by
 * the mock's HTTP server from its seeded world (see `mock/http/ThirdParty.ts`).
 *
 * ```ts
 * const Emotes = ThirdPartyEmotes.layer.pipe(Layer.provide(MockEmotes.layerEmotesConfig))
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as EmotesConfig from "../emotes/EmotesConfig.js"
import * as ThirdParty from "./mock/http/ThirdParty.js"
import { MockTwitch } from "./MockTwitch.js"

/**
 * The config with the mock's provider URLs; `options` (ttl, providers switched off, a URL to
 * point elsewhere) go over them.
 *
 * @since 0.1.0
 * @category configs
 */
export const emotesConfig = (
  mock: MockTwitch.Service,
  options: EmotesConfig.EmotesConfig.Options = {}
): EmotesConfig.EmotesConfig.Service =>
  EmotesConfig.make({ ...ThirdParty.urls(mock.http.baseUrl), ...options })

/**
 * An `EmotesConfig` layer for the mock in context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEmotesConfig = (
  options: EmotesConfig.EmotesConfig.Options = {}
): Layer.Layer<EmotesConfig.EmotesConfig, never, MockTwitch> =>
  Layer.effect(EmotesConfig.EmotesConfig, Effect.map(MockTwitch, (mock) => emotesConfig(mock, options)))
