/**
 * The world's polls and predictions: one active poll and one active (or locked) prediction per
 * channel at a time, as Twitch allows; ending them as Twitch's statuses say.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import { rfc3339 } from "./Fixtures.js"
import type { Poll, Prediction } from "./PollModels.js"
import type { WorldState } from "./State.js"
import { newUuid, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * The polls and predictions part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly createPoll: (input: {
    readonly broadcasterId: string
    readonly title: string
    readonly choices: ReadonlyArray<string>
    readonly duration: number
    readonly channelPointsPerVote?: number
  }) => Effect.Effect<Poll, WorldError>
  readonly endPoll: (
    broadcasterId: string,
    id: string,
    status: "TERMINATED" | "ARCHIVED"
  ) => Effect.Effect<Poll, WorldError>
  readonly createPrediction: (input: {
    readonly broadcasterId: string
    readonly title: string
    readonly outcomes: ReadonlyArray<string>
    readonly predictionWindow: number
  }) => Effect.Effect<Prediction, WorldError>
  readonly endPrediction: (input: {
    readonly broadcasterId: string
    readonly id: string
    readonly status: "RESOLVED" | "CANCELED" | "LOCKED"
    readonly winningOutcomeId?: string
  }) => Effect.Effect<Prediction, WorldError>
}

/**
 * A poll as it reads at `now`: an active poll whose time is up is `COMPLETED`.
 *
 * @since 0.1.0
 * @category utils
 */
export const pollAt = (poll: Poll, now: number): Poll => {
  const end = Date.parse(poll.startedAt) + poll.duration * 1000
  return poll.status === "ACTIVE" && now >= end
    ? { ...poll, status: "COMPLETED", endedAt: rfc3339(end) }
    : poll
}

const draw = (s: WorldState, count: number): readonly [ReadonlyArray<string>, WorldState] => {
  let state = s
  const ids: Array<string> = []
  for (let i = 0; i < count; i++) {
    const [id, next] = newUuid(state)
    ids.push(id)
    state = next
  }
  return [ids, state]
}

const createPoll = (input: Parameters<Service["createPoll"]>[0]): Transition<Poll> => (s, now) => {
  if (s.polls.some((p) => p.broadcasterId === input.broadcasterId && pollAt(p, now).status === "ACTIVE")) {
    return fail("InvalidInput", "The broadcaster already has an active poll.")
  }
  const [[id, ...choiceIds], s1] = draw(s, input.choices.length + 1)
  const poll: Poll = {
    id,
    broadcasterId: input.broadcasterId,
    title: input.title,
    choices: input.choices.map((title, k) => ({ id: choiceIds[k], title, votes: 0, channelPointsVotes: 0 })),
    channelPointsVotingEnabled: input.channelPointsPerVote !== undefined,
    channelPointsPerVote: input.channelPointsPerVote ?? 0,
    status: "ACTIVE",
    duration: input.duration,
    startedAt: rfc3339(now),
    endedAt: ""
  }
  return [poll, { ...s1, polls: [...s1.polls, poll] }]
}

const endPoll =
  (broadcasterId: string, id: string, status: "TERMINATED" | "ARCHIVED"): Transition<Poll> => (s, now) => {
    const found = s.polls.find((p) => p.broadcasterId === broadcasterId && p.id === id)
    if (found === undefined) return fail("InvalidInput", "The poll specified in the id field was not found.")
    const poll = pollAt(found, now)
    if (status === "TERMINATED" && poll.status !== "ACTIVE") {
      return fail("InvalidInput", "The poll is not active.")
    }
    const ended: Poll = { ...poll, status, endedAt: poll.endedAt === "" ? rfc3339(now) : poll.endedAt }
    return [ended, { ...s, polls: s.polls.map((p) => (p === found ? ended : p)) }]
  }

const open = (p: Prediction) => p.status === "ACTIVE" || p.status === "LOCKED"

const createPrediction =
  (input: Parameters<Service["createPrediction"]>[0]): Transition<Prediction> => (s, now) => {
    if (s.predictions.some((p) => p.broadcasterId === input.broadcasterId && open(p))) {
      return fail("InvalidInput", "The broadcaster already has a prediction that is active or locked.")
    }
    const [[id, ...outcomeIds], s1] = draw(s, input.outcomes.length + 1)
    const prediction: Prediction = {
      id,
      broadcasterId: input.broadcasterId,
      title: input.title,
      outcomes: input.outcomes.map((title, k) => ({
        id: outcomeIds[k],
        title,
        color: k === 0 ? "BLUE" : "PINK",
        users: 0,
        channelPoints: 0
      })),
      predictionWindow: input.predictionWindow,
      status: "ACTIVE",
      winningOutcomeId: "",
      createdAt: rfc3339(now),
      endedAt: "",
      lockedAt: ""
    }
    return [prediction, { ...s1, predictions: [...s1.predictions, prediction] }]
  }

const endPrediction =
  (input: Parameters<Service["endPrediction"]>[0]): Transition<Prediction> => (s, now) => {
    const found = s.predictions.find((p) => p.broadcasterId === input.broadcasterId && p.id === input.id)
    if (found === undefined) {
      return fail("NotFound", "The prediction specified in the id field was not found.")
    }
    if (!open(found)) return fail("InvalidInput", "The prediction is already resolved or canceled.")
    if (input.status === "LOCKED" && found.status !== "ACTIVE") {
      return fail("InvalidInput", "The prediction is already locked.")
    }
    const winner = input.winningOutcomeId ?? ""
    if (input.status === "RESOLVED" && !found.outcomes.some((o) => o.id === winner)) {
      return fail("InvalidInput", "The winning_outcome_id field must name one of the prediction's outcomes.")
    }
    const at = rfc3339(now)
    const next: Prediction = input.status === "LOCKED"
      ? { ...found, status: "LOCKED", lockedAt: at }
      : {
        ...found,
        status: input.status,
        winningOutcomeId: input.status === "RESOLVED" ? winner : "",
        endedAt: at,
        lockedAt: found.lockedAt === "" ? at : found.lockedAt
      }
    return [next, { ...s, predictions: s.predictions.map((p) => (p === found ? next : p)) }]
  }

/**
 * The polls and predictions operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition }: Store): Service => ({
  createPoll: (input) =>
    transition(createPoll(input)).pipe(Effect.tap((poll) => publish(WorldEvent.PollChanged({ poll })))),
  endPoll: (broadcasterId, id, status) =>
    transition(endPoll(broadcasterId, id, status)).pipe(
      Effect.tap((poll) => publish(WorldEvent.PollChanged({ poll })))
    ),
  createPrediction: (input) =>
    transition(createPrediction(input)).pipe(
      Effect.tap((prediction) => publish(WorldEvent.PredictionChanged({ prediction })))
    ),
  endPrediction: (input) =>
    transition(endPrediction(input)).pipe(
      Effect.tap((prediction) => publish(WorldEvent.PredictionChanged({ prediction })))
    )
})
