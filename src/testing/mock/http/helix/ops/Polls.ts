/**
 * Polls and predictions: one active poll and one open prediction per channel; an active poll whose
 * time is up reads as completed.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Poll, Prediction } from "../../../world/PollModels.js"
import { pollAt } from "../../../world/Polls.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate } from "../../shared.js"
import {
  bodyNumber,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  page,
  required
} from "../Handler.js"
import { names, newestFirst, orNull } from "../Wire.js"

const pollJson = (s: WorldState, p: Poll) => ({
  id: p.id,
  broadcaster_id: p.broadcasterId,
  broadcaster_name: names(s, "", p.broadcasterId)["name"],
  broadcaster_login: names(s, "", p.broadcasterId)["login"],
  title: p.title,
  choices: p.choices.map((c) => ({
    id: c.id,
    title: c.title,
    votes: c.votes,
    channel_points_votes: c.channelPointsVotes,
    bits_votes: 0
  })),
  bits_voting_enabled: false,
  bits_per_vote: 0,
  channel_points_voting_enabled: p.channelPointsVotingEnabled,
  channel_points_per_vote: p.channelPointsPerVote,
  status: p.status,
  duration: p.duration,
  started_at: p.startedAt,
  ended_at: orNull(p.endedAt)
})

const predictionJson = (s: WorldState, p: Prediction) => ({
  id: p.id,
  broadcaster_id: p.broadcasterId,
  broadcaster_name: names(s, "", p.broadcasterId)["name"],
  broadcaster_login: names(s, "", p.broadcasterId)["login"],
  title: p.title,
  winning_outcome_id: orNull(p.winningOutcomeId),
  outcomes: p.outcomes.map((o) => ({
    id: o.id,
    title: o.title,
    users: o.users,
    channel_points: o.channelPoints,
    top_predictors: null,
    color: o.color
  })),
  prediction_window: p.predictionWindow,
  status: p.status,
  created_at: p.createdAt,
  ended_at: orNull(p.endedAt),
  locked_at: orNull(p.lockedAt)
})

/** Titles of a list of `{title}` objects in the body, each 1 to `max` characters. */
const titles = (request: HelixRequest, field: string, count: readonly [number, number], max: number) => {
  const raw = request.body[field]
  const list = (Array.isArray(raw) ? raw : []).map((x: unknown) =>
    typeof x === "object" && x !== null && "title" in x && typeof x.title === "string" ? x.title : ""
  )
  return list.length < count[0] || list.length > count[1] || list.some((t) => t === "" || [...t].length > max)
    ? failHelix(
      400,
      `The ${field} field must have ${count[0]} to ${count[1]} entries with titles of 1 to ${max} characters.`
    )
    : Effect.succeed(list)
}

const title = (request: HelixRequest, max: number) => {
  const value = bodyString(request, "title") ?? ""
  return value === "" || [...value].length > max
    ? failHelix(400, `The title field must have 1 to ${max} characters.`)
    : Effect.succeed(value)
}

const listOf = <A>(
  request: HelixRequest,
  all: ReadonlyArray<A & { readonly id: string; readonly broadcasterId: string }>,
  newest: (a: A) => string,
  max: number
) =>
  Effect.gen(function*() {
    const broadcasterId = required(request, "broadcaster_id")
    const ids = request.query.getAll("id")
    const found = all
      .filter((x) => x.broadcasterId === broadcasterId && (ids.length === 0 || ids.includes(x.id)))
      .sort((a, b) => newestFirst(newest(a), newest(b)))
    return yield* paginate(request.query, found, { defaultFirst: 20, allowBefore: false, max })
  })

/**
 * The Polls and Predictions handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-polls": (request) =>
    Effect.gen(function*() {
      const polls = request.state.polls.map((p) => pollAt(p, request.now))
      const { cursor, data: items } = yield* listOf(request, polls, (p) => p.startedAt, 20)
      return page(items.map((p) => pollJson(request.state, p)), cursor)
    }),

  "create-poll": (request) =>
    Effect.gen(function*() {
      const duration = bodyNumber(request, "duration") ?? 0
      if (duration < 15 || duration > 1800) {
        return yield* failHelix(400, "The duration field must be between 15 and 1800 seconds.")
      }
      const perVote = bodyNumber(request, "channel_points_per_vote")
      const poll = yield* fromWorld(request.ctx.world.createPoll({
        broadcasterId: bodyString(request, "broadcaster_id") ?? "",
        title: yield* title(request, 60),
        choices: yield* titles(request, "choices", [2, 5], 25),
        duration,
        ...(request.body["channel_points_voting_enabled"] === true
          ? { channelPointsPerVote: perVote ?? 1 }
          : {})
      }))
      return data([pollJson(yield* request.ctx.world.snapshot, poll)])
    }),

  "end-poll": (request) =>
    Effect.gen(function*() {
      const status = bodyString(request, "status") === "ARCHIVED" ? "ARCHIVED" : "TERMINATED"
      const poll = yield* fromWorld(
        request.ctx.world.endPoll(
          bodyString(request, "broadcaster_id") ?? "",
          bodyString(request, "id") ?? "",
          status
        )
      )
      return data([pollJson(yield* request.ctx.world.snapshot, poll)])
    }),

  "get-predictions": (request) =>
    Effect.gen(function*() {
      const { cursor, data: items } = yield* listOf(
        request,
        request.state.predictions,
        (p) => p.createdAt,
        25
      )
      return page(items.map((p) => predictionJson(request.state, p)), cursor)
    }),

  "create-prediction": (request) =>
    Effect.gen(function*() {
      const window = bodyNumber(request, "prediction_window") ?? 0
      if (window < 30 || window > 1800) {
        return yield* failHelix(400, "The prediction_window field must be between 30 and 1800 seconds.")
      }
      const prediction = yield* fromWorld(request.ctx.world.createPrediction({
        broadcasterId: bodyString(request, "broadcaster_id") ?? "",
        title: yield* title(request, 45),
        outcomes: yield* titles(request, "outcomes", [2, 10], 25),
        predictionWindow: window
      }))
      return data([predictionJson(yield* request.ctx.world.snapshot, prediction)])
    }),

  "end-prediction": (request) =>
    Effect.gen(function*() {
      const raw = bodyString(request, "status")
      const status = raw === "CANCELED" || raw === "LOCKED" ? raw : "RESOLVED"
      const winner = bodyString(request, "winning_outcome_id")
      const prediction = yield* fromWorld(request.ctx.world.endPrediction({
        broadcasterId: bodyString(request, "broadcaster_id") ?? "",
        id: bodyString(request, "id") ?? "",
        status,
        ...(winner === undefined ? {} : { winningOutcomeId: winner })
      }))
      return data([predictionJson(yield* request.ctx.world.snapshot, prediction)])
    })
}
