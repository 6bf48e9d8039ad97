/**
 * The EventSub facts the mock enforces and builds payloads from, read from `src/spec/eventsub.json`
 * (decoded once, when the module loads): every subscription type and version with its condition,
 * authorization rules and event field tree, and the WebSocket, webhook and cost limits.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import factsFile from "../../../spec/eventsub.json" with { type: "json" }

/**
 * One node of an event's field tree: `{type, nullable?, optional?, enum?, format?, fields?, items?}`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Field {
  readonly type: "string" | "integer" | "number" | "boolean" | "object" | "array"
  readonly nullable?: boolean | undefined
  readonly optional?: boolean | undefined
  readonly enum?: ReadonlyArray<string> | undefined
  readonly format?: string | undefined
  readonly fields?: Readonly<Record<string, Field>> | undefined
  readonly items?: Field | undefined
}

/**
 * The schema of {@link Field} (recursive; keys the mock does not use are ignored).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Field: Schema.Schema<Field> = Schema.Struct({
  type: Schema.Literal("string", "integer", "number", "boolean", "object", "array"),
  nullable: Schema.optional(Schema.Boolean),
  optional: Schema.optional(Schema.Boolean),
  enum: Schema.optional(Schema.Array(Schema.String)),
  format: Schema.optional(Schema.String),
  fields: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.suspend(() => Field) })),
  items: Schema.optional(Schema.suspend(() => Field))
})

/**
 * Who must have authorized what for a subscription type (`auth` in the facts).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Auth = Schema.Struct({
  /** All groups needed, any one scope within a group. */
  requiredScopes: Schema.optional(Schema.Array(Schema.Array(Schema.String))),
  authorizationRequired: Schema.optional(Schema.Boolean),
  /** `app`: app token only. */
  token: Schema.optional(Schema.String),
  userTokenMustMatchCondition: Schema.optional(Schema.String),
  websocketTokenUserMustMatch: Schema.optional(Schema.String),
  webhookScopeGrantedBy: Schema.optional(Schema.String),
  /** `chatting_user`: the scopes come from the condition's `user_id`. */
  scopesFrom: Schema.optional(Schema.String),
  moderatorMustModerateBroadcaster: Schema.optional(Schema.Boolean),
  tokenClientIdMustMatchCondition: Schema.optional(Schema.String),
  /** `conduit.shard.disabled`: a `conduit_id` in the condition must be one of the token's client's. */
  conduitOwnerMustBeClient: Schema.optional(Schema.Boolean),
  appToken: Schema.optional(Schema.Struct({
    moderatorScopes: Schema.optional(Schema.Array(Schema.String)),
    chattingUserScopes: Schema.optional(Schema.Array(Schema.String)),
    broadcasterScopes: Schema.optional(Schema.Array(Schema.String)),
    broadcasterScopesAlternative: Schema.optional(Schema.String)
  }))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Auth = typeof Auth.Type

/**
 * One subscription type and version.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubscriptionType = Schema.Struct({
  type: Schema.String,
  version: Schema.String,
  name: Schema.String,
  /** Condition field names (every value is a string). */
  condition: Schema.Record({ key: Schema.String, value: Schema.String }),
  conditionRequired: Schema.Array(Schema.String),
  /** Exactly one of these is required (`channel.raid`). */
  conditionRequireOneOf: Schema.optional(Schema.Array(Schema.String)),
  requestExtraFields: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Struct({ required: Schema.optional(Schema.Boolean) }) })
  ),
  auth: Auth,
  event: Schema.Record({ key: Schema.String, value: Field }),
  webhookOnly: Schema.optional(Schema.Boolean),
  beta: Schema.optional(Schema.Boolean),
  /** Batched types carry `events: [{id, data}]` instead of `event`. */
  batched: Schema.optional(Schema.Boolean),
  payloadKey: Schema.optional(Schema.String),
  /** Where Twitch's reference and its examples disagree (only the condition's names are used). */
  docsConflicts: Schema.optional(Schema.Array(Schema.Struct({
    path: Schema.String,
    referenceTable: Schema.optional(Schema.Array(Schema.String)),
    examples: Schema.optional(Schema.Array(Schema.String))
  })))
})

/**
 * @since 0.1.0
 * @category models
 */
export type SubscriptionType = typeof SubscriptionType.Type

const Limits = Schema.Struct({
  keepaliveTimeoutSecondsMin: Schema.Int,
  keepaliveTimeoutSecondsMax: Schema.Int,
  defaultKeepaliveTimeoutSeconds: Schema.Int,
  reconnectGraceSeconds: Schema.Int,
  maxConnectionsWithEnabledSubscriptions: Schema.Int,
  maxEnabledSubscriptionsPerConnection: Schema.Int,
  maxTotalCost: Schema.Int
})

const ConduitLimits = Schema.Struct({
  maxEnabledConduitsPerClient: Schema.Int,
  maxShardsPerConduit: Schema.Int,
  websocketShardAssignWithinSecondsAfterWelcome: Schema.Int,
  conduitDeletedAfterHoursWithAllShardsDisabled: Schema.Int
})

const File = Schema.Struct({
  subscriptionTypes: Schema.Array(SubscriptionType),
  websocket: Schema.Struct({ limits: Limits }),
  conduits: Schema.Struct({ limits: ConduitLimits }),
  webhook: Schema.Struct({
    secret: Schema.Struct({ minLength: Schema.Int, maxLength: Schema.Int }),
    replayProtection: Schema.Struct({ rejectIfTimestampOlderThanMinutes: Schema.Int })
  }),
  subscriptionObject: Schema.Struct({
    statusEnum: Schema.Array(Schema.String),
    costRules: Schema.Struct({
      sameTypeAndConditionMax: Schema.Int,
      examplesShowWebhookMaxTotalCost: Schema.Int
    })
  })
})

const facts = Schema.decodeUnknownSync(File)(factsFile)

/**
 * Every subscription type and version (82), in the facts file's order.
 *
 * @since 0.1.0
 * @category constants
 */
export const subscriptionTypes: ReadonlyArray<SubscriptionType> = facts.subscriptionTypes

const byKey = new Map(subscriptionTypes.map((t) => [`${t.type}@${t.version}`, t]))

/**
 * The facts of a type and version, if Twitch has that combination.
 *
 * @since 0.1.0
 * @category lookups
 */
export const find = (type: string, version: string): SubscriptionType | undefined =>
  byKey.get(`${type}@${version}`)

/**
 * The versions Twitch has of a type (empty for an unknown type).
 *
 * @since 0.1.0
 * @category lookups
 */
export const versionsOf = (type: string): ReadonlyArray<SubscriptionType> =>
  subscriptionTypes.filter((t) => t.type === type)

/**
 * The WebSocket limits: keepalive bounds and default, reconnect grace, connections, subscriptions
 * per connection, total cost.
 *
 * @since 0.1.0
 * @category constants
 */
export const websocketLimits: typeof Limits.Type = facts.websocket.limits

/**
 * The conduit limits: conduits per client (5), shards per conduit (20,000), the 10 s a WebSocket
 * session has to be assigned to a shard after its welcome, and the 72 h after which a conduit whose
 * shards are all disabled is deleted.
 *
 * @since 0.1.0
 * @category constants
 */
export const conduitLimits: typeof ConduitLimits.Type = facts.conduits.limits

/**
 * Webhook secret length bounds and the replay window (minutes).
 *
 * @since 0.1.0
 * @category constants
 */
export const webhookRules = {
  secretMinLength: facts.webhook.secret.minLength,
  secretMaxLength: facts.webhook.secret.maxLength,
  replayWindowMinutes: facts.webhook.replayProtection.rejectIfTimestampOlderThanMinutes
}

/**
 * Every subscription status Twitch reports.
 *
 * @since 0.1.0
 * @category constants
 */
export const statuses: ReadonlyArray<string> = facts.subscriptionObject.statusEnum

/**
 * How often the same type and condition may be subscribed (3), and the webhook/conduit cost limit
 * Twitch's examples show (10,000).
 *
 * @since 0.1.0
 * @category constants
 */
export const costRules = {
  sameTypeAndConditionMax: facts.subscriptionObject.costRules.sameTypeAndConditionMax,
  webhookMaxTotalCost: facts.subscriptionObject.costRules.examplesShowWebhookMaxTotalCost
}

/**
 * Condition names Twitch's examples use where its reference table names another field (e.g.
 * `broadcaster_user_id` for `channel.ad_break.begin`'s `broadcaster_id`): example name to reference
 * name. Twitch accepts the examples' names, so the mock takes both.
 *
 * @since 0.1.0
 * @category lookups
 */
export const conditionAliases = (spec: SubscriptionType): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  for (const conflict of spec.docsConflicts ?? []) {
    if (conflict.path !== "condition") continue
    conflict.examples?.forEach((name, i) => {
      const reference = conflict.referenceTable?.[i]
      if (reference !== undefined && spec.condition[name] === undefined) out[name] = reference
    })
  }
  return out
}
