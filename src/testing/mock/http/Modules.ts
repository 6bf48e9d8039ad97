/**
 * The mock's HTTP surfaces, in the order their prefixes are matched: Helix (`/helix`, and
 * twitch-cli's `/mock`), EventSub (`/eventsub`, `/ws`, and the subscription operations of Helix), OAuth (`/oauth2`, twitch-cli's `/auth`, the `/activate` page), GQL and
 * usher (`/gql`, `/api`, `/vod`, `/hls`), the emote CDN (`/emoticons`). Paths no module owns count
 * as usher for faults. Add a surface here.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as EventSub from "../eventsub/Routes.js"
import * as Cdn from "./Cdn.js"
import * as Helix from "./Helix.js"
import * as OAuth from "./OAuth.js"
import * as Playback from "./Playback.js"
import type { RouteModule, Surface } from "./RouteModule.js"
import * as ThirdParty from "./ThirdParty.js"

/**
 * EventSub: the subscription operations (as Helix handlers overriding Helix's plain ones, and at
 * twitch-cli's `/eventsub/subscriptions`), the control endpoint (`/eventsub/mock`) and the
 * WebSocket (`/ws`). Listed after Helix so that its Helix handlers win.
 *
 * @since 0.1.0
 * @category modules
 */
export const eventSub: RouteModule = {
  name: "eventsub",
  prefixes: [["/eventsub", "helix"], ["/ws", "helix"]],
  routes: EventSub.routes,
  upgrade: EventSub.upgrade,
  helixHandlers: EventSub.helixHandlers
}

/**
 * Helix at `/helix` and `/mock`.
 *
 * @since 0.1.0
 * @category modules
 */
export const helix: RouteModule = {
  name: "helix",
  prefixes: [["/helix", "helix"], ["/mock", "helix"]],
  routes: (ctx, counted) => {
    const routes = Helix.routes(ctx, counted)
    return HttpRouter.empty.pipe(HttpRouter.mount("/helix", routes), HttpRouter.mount("/mock", routes))
  },
  notFound: Helix.notFound,
  helixHandlers: Helix.handlers
}

/**
 * OAuth at `/oauth2` and `/auth`, and the `/activate` page.
 *
 * @since 0.1.0
 * @category modules
 */
export const oauth: RouteModule = {
  name: "oauth",
  prefixes: [["/oauth2", "oauth"], ["/auth", "oauth"], ["/activate", "oauth"]],
  routes: (ctx, counted) => {
    const routes = OAuth.routes(ctx, counted)
    return HttpRouter.empty.pipe(
      HttpRouter.mount("/oauth2", routes),
      HttpRouter.mount("/auth", routes),
      HttpRouter.get("/activate", counted("GET", "/activate", OAuth.activateHandler(ctx)))
    )
  }
}

/**
 * GQL (playback access tokens) and usher (playlists, segments).
 *
 * @since 0.1.0
 * @category modules
 */
export const playback: RouteModule = {
  name: "playback",
  prefixes: [["/gql", "gql"], ["/api", "usher"], ["/vod", "usher"], ["/hls", "usher"]],
  routes: Playback.routes
}

/**
 * The emote CDN.
 *
 * @since 0.1.0
 * @category modules
 */
export const cdn: RouteModule = {
  name: "cdn",
  prefixes: [["/emoticons", "cdn"]],
  routes: Cdn.routes
}

/**
 * BTTV, FFZ and 7TV APIs and pictures, chat badge and cheermote pictures (faults: `cdn`).
 *
 * @since 0.1.0
 * @category modules
 */
export const thirdParty: RouteModule = {
  name: "thirdParty",
  prefixes: [["/bttv", "cdn"], ["/ffz", "cdn"], ["/7tv", "cdn"], ["/badges", "cdn"], ["/actions", "cdn"]],
  routes: ThirdParty.routes
}

/**
 * Every surface the server serves.
 *
 * @since 0.1.0
 * @category modules
 */
export const all: ReadonlyArray<RouteModule> = [helix, eventSub, oauth, playback, cdn, thirdParty]

/**
 * The fault surface of paths no module owns.
 *
 * @since 0.1.0
 * @category modules
 */
export const fallbackSurface: Surface = "usher"
