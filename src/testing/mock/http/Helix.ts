/**
 * The mock's Helix (`/helix/*`, also under twitch-cli's `/mock/*`), routed and validated from the
 * spec the generator reads: see `helix/Router.ts` (routes, token bucket, checks), `helix/Validate.ts`
 * (Twitch's refusals), `helix/Handlers.ts` (one handler per `operationId`, by spec group in
 * `helix/ops/`) and `helix/SpecCheck.ts` (the response validator).
 *
 * @since 0.1.0
 */
import * as Handlers from "./helix/Handlers.js"
import * as Router from "./helix/Router.js"

/**
 * The Helix routes, relative to their mount point.
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = Router.routes

/**
 * The answer to an unknown path under `/helix`: 404 with Twitch's body, counted by the bucket.
 *
 * @since 0.1.0
 * @category routers
 */
export const notFound = Router.notFound

/**
 * The default Helix handlers by `operationId`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers = Handlers.all
