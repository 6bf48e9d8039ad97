/**
 * The world's channel points: custom rewards (created for affiliates and partners, at most 50 per
 * channel, titles unique; only the app that created a reward may change it or its redemptions) and
 * the redemptions' status.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import type { CustomReward, Redemption } from "./RewardModels.js"
import type { WorldState } from "./State.js"
import { findUser, newUuid, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * The settings of a reward that can be set or changed.
 *
 * @since 0.1.0
 * @category models
 */
export type RewardSettings = Partial<Omit<CustomReward, "id" | "broadcasterId" | "clientId">>

/**
 * The channel points part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly createReward: (
    broadcasterId: string,
    clientId: string,
    settings: RewardSettings & { readonly title: string; readonly cost: number }
  ) => Effect.Effect<CustomReward, WorldError>
  readonly updateReward: (
    broadcasterId: string,
    id: string,
    clientId: string,
    settings: RewardSettings
  ) => Effect.Effect<CustomReward, WorldError>
  readonly deleteReward: (
    broadcasterId: string,
    id: string,
    clientId: string
  ) => Effect.Effect<void, WorldError>
  /** Fulfills or cancels unfulfilled redemptions of a reward; the ones changed. */
  readonly updateRedemptions: (input: {
    readonly broadcasterId: string
    readonly rewardId: string
    readonly ids: ReadonlyArray<string>
    readonly clientId: string
    readonly status: "FULFILLED" | "CANCELED"
  }) => Effect.Effect<ReadonlyArray<Redemption>, WorldError>
}

const titleTaken = (s: WorldState, broadcasterId: string, title: string, except: string) =>
  s.customRewards.some((r) =>
    r.broadcasterId === broadcasterId && r.id !== except && r.title.toLowerCase() === title.toLowerCase()
  )

const createReward = (
  broadcasterId: string,
  clientId: string,
  settings: Parameters<Service["createReward"]>[2]
): Transition<CustomReward> =>
(s) => {
  const owner = findUser(s, broadcasterId)
  if (owner === undefined || owner.broadcasterType === "") {
    return fail("Forbidden", "The broadcaster is not a partner or affiliate.")
  }
  if (s.customRewards.filter((r) => r.broadcasterId === broadcasterId).length >= 50) {
    return fail("InvalidInput", "The channel has the maximum of 50 custom rewards.")
  }
  if (titleTaken(s, broadcasterId, settings.title, "")) {
    return fail("InvalidInput", "CREATE_CUSTOM_REWARD_DUPLICATE_REWARD")
  }
  const [id, s1] = newUuid(s)
  const reward: CustomReward = {
    prompt: "",
    backgroundColor: "#9147FF",
    isEnabled: true,
    isUserInputRequired: false,
    isMaxPerStreamEnabled: false,
    maxPerStream: 0,
    isMaxPerUserPerStreamEnabled: false,
    maxPerUserPerStream: 0,
    isGlobalCooldownEnabled: false,
    globalCooldownSeconds: 0,
    isPaused: false,
    shouldRedemptionsSkipRequestQueue: false,
    ...settings,
    id,
    broadcasterId,
    clientId
  }
  return [reward, { ...s1, customRewards: [...s1.customRewards, reward] }]
}

/** The reward, if it exists and the client may manage it. */
const managed = (
  s: WorldState,
  broadcasterId: string,
  id: string,
  clientId: string
): CustomReward | WorldError => {
  const reward = s.customRewards.find((r) => r.broadcasterId === broadcasterId && r.id === id)
  if (reward === undefined) {
    return fail("NotFound", "The custom reward specified in the id field was not found.")
  }
  if (reward.clientId !== clientId) {
    return fail(
      "Forbidden",
      "The ID in the Client-Id header must match the client ID used to create the custom reward."
    )
  }
  return reward
}

const updateRedemptions =
  (input: Parameters<Service["updateRedemptions"]>[0]): Transition<ReadonlyArray<Redemption>> => (s) => {
    const reward = managed(s, input.broadcasterId, input.rewardId, input.clientId)
    if (!("title" in reward)) return reward
    const changed: Array<Redemption> = []
    const redemptions = s.redemptions.map((r) => {
      if (r.rewardId !== reward.id || r.status !== "UNFULFILLED" || !input.ids.includes(r.id)) return r
      const next: Redemption = { ...r, status: input.status }
      changed.push(next)
      return next
    })
    if (changed.length === 0) return fail("NotFound", "No unfulfilled redemptions with these ids were found.")
    return [changed, { ...s, redemptions }]
  }

/**
 * The channel points operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition }: Store): Service => {
  const changed = (reward: CustomReward, removed = false) =>
    publish(WorldEvent.RewardChanged({ reward, removed }))
  return {
    createReward: (broadcasterId, clientId, settings) =>
      transition(createReward(broadcasterId, clientId, settings)).pipe(Effect.tap((r) => changed(r))),
    updateReward: (broadcasterId, id, clientId, settings) =>
      transition((s): readonly [CustomReward, WorldState] | WorldError => {
        const reward = managed(s, broadcasterId, id, clientId)
        if (!("title" in reward)) return reward
        if (settings.title !== undefined && titleTaken(s, broadcasterId, settings.title, id)) {
          return fail("InvalidInput", "UPDATE_CUSTOM_REWARD_DUPLICATE_REWARD")
        }
        const next: CustomReward = { ...reward, ...settings }
        return [next, { ...s, customRewards: s.customRewards.map((r) => (r === reward ? next : r)) }]
      }).pipe(Effect.tap((r) => changed(r))),
    deleteReward: (broadcasterId, id, clientId) =>
      transition((s): readonly [CustomReward, WorldState] | WorldError => {
        const reward = managed(s, broadcasterId, id, clientId)
        if (!("title" in reward)) return reward
        return [reward, {
          ...s,
          customRewards: s.customRewards.filter((r) => r !== reward),
          redemptions: s.redemptions.filter((r) => r.rewardId !== id)
        }]
      }).pipe(Effect.tap((r) => changed(r, true)), Effect.asVoid),
    updateRedemptions: (input) =>
      transition(updateRedemptions(input)).pipe(
        Effect.tap((all) =>
          Effect.forEach(all, (redemption) => publish(WorldEvent.RedemptionUpdated({ redemption })))
        )
      )
  }
}
