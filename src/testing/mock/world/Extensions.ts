/**
 * The world's extensions: configuration segments, required configurations, JWT secrets (a new one
 * becomes active after a delay, the old ones stay valid a while longer), PubSub and chat messages
 * (events only), Bits products, drops entitlements and the extensions users activate.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import type {
  ActiveExtension,
  BitsProduct,
  DropsEntitlement,
  ExtensionConfiguration,
  ExtensionSecret
} from "./ExtensionModels.js"
import { rfc3339 } from "./Fixtures.js"
import { ALNUM } from "./Random.js"
import type { WorldState } from "./State.js"
import { newString, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * The outcome of updating drops entitlements, by status.
 *
 * @since 0.1.0
 * @category models
 */
export type EntitlementUpdate = ReadonlyArray<{
  readonly status: "SUCCESS" | "INVALID_ID" | "NOT_FOUND" | "UNAUTHORIZED" | "UPDATE_FAILED"
  readonly ids: ReadonlyArray<string>
}>

/**
 * The extensions part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly setConfiguration: (configuration: ExtensionConfiguration) => Effect.Effect<void>
  readonly setRequiredConfiguration: (input: {
    readonly extensionId: string
    readonly broadcasterId: string
    readonly version: string
    readonly configuration: string
  }) => Effect.Effect<void, WorldError>
  /** A new secret, active after `delaySeconds` (the current ones expire `delaySeconds` + 5 min from now). */
  readonly createSecret: (
    extensionId: string,
    delaySeconds: number
  ) => Effect.Effect<ReadonlyArray<ExtensionSecret>, WorldError>
  readonly sendExtensionMessage: (input: {
    readonly extensionId: string
    readonly broadcasterId: string
    readonly kind: "pubsub" | "chat"
    readonly targets: ReadonlyArray<string>
    readonly message: string
  }) => Effect.Effect<void>
  readonly upsertBitsProduct: (product: BitsProduct) => Effect.Effect<BitsProduct>
  readonly updateEntitlements: (
    userId: string | undefined,
    ids: ReadonlyArray<string>,
    status: DropsEntitlement["fulfillmentStatus"]
  ) => Effect.Effect<EntitlementUpdate>
  /** Replaces the user's active extensions. */
  readonly setActiveExtensions: (
    userId: string,
    active: ReadonlyArray<Omit<ActiveExtension, "userId">>
  ) => Effect.Effect<void, WorldError>
}

const createSecret =
  (extensionId: string, delaySeconds: number): Transition<ReadonlyArray<ExtensionSecret>> => (s, now) => {
    if (!s.extensions.some((e) => e.id === extensionId)) {
      return fail("NotFound", "The extension was not found.")
    }
    const [raw, s1] = newString(s, 32, ALNUM)
    const activeAt = now + delaySeconds * 1000
    const retire = rfc3339(activeAt + 300_000)
    const fresh: ExtensionSecret = {
      extensionId,
      content: Buffer.from(raw, "utf8").toString("base64"),
      activeAt: rfc3339(activeAt),
      expiresAt: rfc3339(activeAt + 365 * 86_400_000)
    }
    const secrets = s1.extensionSecrets.map((x) =>
      x.extensionId === extensionId && x.expiresAt > retire ? { ...x, expiresAt: retire } : x
    )
    const all = [...secrets, fresh]
    return [all.filter((x) => x.extensionId === extensionId), { ...s1, extensionSecrets: all }]
  }

const updateEntitlements = (
  userId: string | undefined,
  ids: ReadonlyArray<string>,
  status: DropsEntitlement["fulfillmentStatus"]
) =>
(s: WorldState, now: number): readonly [EntitlementUpdate, WorldState] => {
  const found = new Map(s.entitlements.map((e) => [e.id, e]))
  const outcome = (id: string) => {
    const entitlement = found.get(id)
    if (entitlement === undefined) return /^[0-9a-f-]{36}$/.test(id) ? "NOT_FOUND" : "INVALID_ID"
    return userId !== undefined && entitlement.userId !== userId ? "UNAUTHORIZED" : "SUCCESS"
  }
  const groups = new Map<EntitlementUpdate[number]["status"], Array<string>>()
  for (const id of ids) groups.set(outcome(id), [...(groups.get(outcome(id)) ?? []), id])
  const done = new Set(groups.get("SUCCESS") ?? [])
  const entitlements = s.entitlements.map((e) =>
    done.has(e.id) ? { ...e, fulfillmentStatus: status, lastUpdated: rfc3339(now) } : e
  )
  return [[...groups].map(([st, list]) => ({ status: st, ids: list })), { ...s, entitlements }]
}

/**
 * The extensions operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition, update }: Store): Service => ({
  setConfiguration: (configuration) =>
    update((s) =>
      [undefined, {
        ...s,
        extensionConfigurations: [
          ...s.extensionConfigurations.filter((c) =>
            !(c.extensionId === configuration.extensionId && c.segment === configuration.segment &&
              c.broadcasterId === configuration.broadcasterId)
          ),
          configuration
        ]
      }] as const
    ),
  setRequiredConfiguration: (input) =>
    transition((s): readonly [void, WorldState] | WorldError => {
      const extension = s.extensions.find((e) => e.id === input.extensionId)
      if (extension === undefined) return fail("NotFound", "The extension was not found.")
      if (extension.version !== input.version) {
        return fail("InvalidInput", "The extension_version is not the extension's version.")
      }
      const next = {
        ...extension,
        requiredConfigurations: {
          ...extension.requiredConfigurations,
          [input.broadcasterId]: input.configuration
        }
      }
      return [undefined, { ...s, extensions: s.extensions.map((e) => (e === extension ? next : e)) }]
    }),
  createSecret: (extensionId, delaySeconds) => transition(createSecret(extensionId, delaySeconds)),
  sendExtensionMessage: (input) => Effect.asVoid(publish(WorldEvent.ExtensionMessageSent(input))),
  upsertBitsProduct: (product) =>
    update((s) =>
      [product, {
        ...s,
        bitsProducts: [
          ...s.bitsProducts.filter((p) => !(p.extensionId === product.extensionId && p.sku === product.sku)),
          product
        ]
      }] as const
    ),
  updateEntitlements: (userId, ids, status) => update(updateEntitlements(userId, ids, status)),
  setActiveExtensions: (userId, active) =>
    transition((s): readonly [void, WorldState] | WorldError => {
      const unknown = active.find((a) => !s.extensions.some((e) => e.id === a.extensionId))
      if (unknown !== undefined) {
        return fail("NotFound", `The extension ${unknown.extensionId} was not found.`)
      }
      return [undefined, {
        ...s,
        activeExtensions: [
          ...s.activeExtensions.filter((a) => a.userId !== userId),
          ...active.map((a) => ({ ...a, userId }))
        ]
      }]
    })
})
