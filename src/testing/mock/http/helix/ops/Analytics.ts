/**
 * Analytics: the report URLs of the user's extensions and of games (in the mock every game's
 * report is readable; Twitch limits them to the games the user's organization owns).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { rfc3339 } from "../../../world/Fixtures.js"
import { failHelix, paginate } from "../../shared.js"
import { type Handlers, type HelixRequest, page, tokenUser } from "../Handler.js"

const day = 86_400_000

/** The report window: the given one, or the last 365 days (Twitch's default). */
const range = (request: HelixRequest) => {
  const started = request.query.get("started_at")
  const ended = request.query.get("ended_at")
  const end = ended === undefined ? Math.floor(request.now / day) * day : Date.parse(ended)
  const start = started === undefined ? end - 365 * day : Date.parse(started)
  return { started_at: rfc3339(start), ended_at: rfc3339(end) }
}

const reportUrl = (request: HelixRequest, kind: string, id: string) =>
  `${request.ctx.baseUrl}/analytics/${kind}/${id}/overview_v2.csv`

/** One page of report URLs, after the optional id filter (404 when it matches nothing). */
const reports = (
  request: HelixRequest,
  kind: "extensions" | "games",
  all: ReadonlyArray<{ readonly id: string }>,
  wanted: string | undefined
) =>
  Effect.gen(function*() {
    const found = wanted === undefined ? all : all.filter((x) => x.id === wanted)
    if (wanted !== undefined && found.length === 0) {
      return yield* failHelix(404, `The ${kind} report was not found.`)
    }
    const { cursor, data } = yield* paginate(request.query, found, { defaultFirst: 20, allowBefore: false })
    return page(
      data.map((x) => ({
        [kind === "extensions" ? "extension_id" : "game_id"]: x.id,
        URL: reportUrl(request, kind, x.id),
        type: "overview_v2",
        date_range: range(request)
      })),
      cursor
    )
  })

/**
 * The Analytics handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-extension-analytics": (request) =>
    Effect.flatMap(tokenUser(request), (user) =>
      reports(
        request,
        "extensions",
        request.state.extensions.filter((e) => e.ownerId === user.id),
        request.query.get("extension_id")
      )),

  "get-game-analytics": (request) =>
    reports(request, "games", request.state.games, request.query.get("game_id"))
}
