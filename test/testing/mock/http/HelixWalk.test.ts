/**
 * The walk of issue #11's "done means": every operation of the Helix spec, called through its
 * generated service method against one mock Twitch, decodes a 2xx answer that the mock checked
 * against the spec's response schema (`checkAnswers`), and the two operations Twitch removed
 * answer 410. The plan below names the parameters of each call (drawn from the seeded world and
 * the writes before it); an operation of the spec without a plan, or a plan for an operation the
 * spec lacks, fails the walk. The walk runs in the plan's order, so reads after writes see them.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../../src/auth/TwitchAuth.js"
import * as ExtensionAuth from "../../../../src/helix/ExtensionAuth.js"
import * as Generated from "../../../../src/helix/generated/index.js"
import * as Helix from "../../../../src/helix/Helix.js"
import * as HelixSpec from "../../../../src/spec/HelixSpec.js"
import * as Control from "../../../../src/testing/mock/Control.js"
import * as Router from "../../../../src/testing/mock/http/helix/Router.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../../../src/TwitchConfig.js"
import * as EventSubClient from "../eventsub/client.js"

type S = MockWorld.WorldState

/** Which token a call carries: the every-scope user token, the app token, or the extension's app token. */
type Token = "user" | "app" | "extensionApp"

/** What the EventSub server holds (its sessions, subscriptions and conduits are not in the world). */
interface EventSubFacts {
  /** The id of a WebSocket session the walk keeps open. */
  readonly sessionId: string
  readonly subscriptionIds: ReadonlyArray<string>
  readonly conduitIds: ReadonlyArray<string>
}

interface Step {
  readonly id: string
  readonly token?: Token
  readonly params: (s: S, eventSub: EventSubFacts) => unknown
}

const me = MockWorld.defaultUserId
const second = MockWorld.secondUserId
const ext = MockWorld.extensionClientId
const user = (s: S, k: number) => s.users[k].id
const fromEnd = (s: S, k: number) => s.users[s.users.length - k].id
const myVods = (s: S) => s.vods.filter((v) => v.userId === me)
const myClips = (s: S) => s.clips.filter((c) => c.broadcasterId === me)
const session = (s: S) =>
  s.guestStarSessions.find((x) => x.broadcasterId === me && x.endedAt === "")?.id ?? ""
const guestStar = (s: S) => ({ broadcasterId: me, moderatorId: me, sessionId: session(s) })
const soon = (days: number) => new Date(Date.now() + days * 86_400_000)

/** Every operation, in the order of the walk. */
const plan: ReadonlyArray<Step> = [
  // Ads, analytics, Bits
  { id: "get-ad-schedule", params: () => ({ broadcasterId: me }) },
  { id: "start-commercial", params: () => ({ broadcasterId: me, length: 60 }) },
  { id: "snooze-next-ad", params: () => ({ broadcasterId: me }) },
  { id: "get-extension-analytics", params: () => ({ extensionId: ext }) },
  { id: "get-game-analytics", params: (s) => ({ gameId: s.games[0].id }) },
  { id: "get-bits-leaderboard", params: () => ({ count: 3, period: "all" }) },
  { id: "get-cheermotes", params: (s) => ({ broadcasterId: user(s, 2) }) },
  { id: "get-extension-transactions", token: "extensionApp", params: () => ({ extensionId: ext }) },
  // Channels, content classification
  { id: "get-channel-information", params: (s) => ({ broadcasterId: [me, user(s, 2)] }) },
  {
    id: "modify-channel-information",
    params: () => ({ title: "Walking the spec", tags: ["English", "Walk"] })
  },
  { id: "get-channel-editors", params: () => ({}) },
  { id: "get-followed-channels", params: () => ({ first: 5 }) },
  { id: "get-channel-followers", params: () => ({ broadcasterId: me }) },
  { id: "get-content-classification-labels", params: () => ({}) },
  // Channel points
  { id: "get-custom-reward", params: () => ({}) },
  { id: "create-custom-rewards", params: () => ({ title: "Walk reward", cost: 42 }) },
  {
    id: "update-custom-reward",
    params: (s) => ({ id: s.customRewards.find((r) => r.title === "Walk reward")?.id, isPaused: true })
  },
  {
    id: "get-custom-reward-redemption",
    params: (s) => ({ rewardId: s.redemptions[0].rewardId, status: "UNFULFILLED" })
  },
  {
    id: "update-redemption-status",
    params: (s) => ({ id: [s.redemptions[0].id], rewardId: s.redemptions[0].rewardId, status: "FULFILLED" })
  },
  {
    id: "delete-custom-reward",
    params: (s) => ({ id: s.customRewards.find((r) => r.title === "Walk reward")?.id })
  },
  // Charity, goals, hype train
  { id: "get-charity-campaign", params: () => ({}) },
  { id: "get-charity-campaign-donations", params: () => ({}) },
  { id: "get-creator-goals", params: () => ({}) },
  { id: "get-hype-train-status", params: () => ({ broadcasterId: me }) },
  // Chat
  { id: "get-chatters", params: () => ({ broadcasterId: me }) },
  { id: "get-channel-emotes", params: (s) => ({ broadcasterId: user(s, 2) }) },
  { id: "get-global-emotes", params: () => ({}) },
  {
    id: "get-emote-sets",
    params: (s) => ({ emoteSetId: [s.emotes.find((e) => e.type === "subscriptions")?.setId ?? ""] })
  },
  { id: "get-channel-chat-badges", params: (s) => ({ broadcasterId: user(s, 2) }) },
  { id: "get-global-chat-badges", params: () => ({}) },
  { id: "get-chat-settings", params: () => ({ broadcasterId: me, moderatorId: me }) },
  { id: "update-chat-settings", params: () => ({ broadcasterId: me, slowMode: true, slowModeWaitTime: 10 }) },
  { id: "get-shared-chat-session", params: () => ({ broadcasterId: me }) },
  { id: "get-user-emotes", params: () => ({}) },
  {
    id: "send-chat-announcement",
    params: () => ({ broadcasterId: me, message: "The walk is on", color: "purple" })
  },
  { id: "send-a-shoutout", params: (s) => ({ fromBroadcasterId: me, toBroadcasterId: user(s, 2) }) },
  {
    id: "send-chat-message",
    params: () => ({ broadcasterId: me, senderId: me, message: "hello from the walk" })
  },
  { id: "get-user-chat-color", params: () => ({ userId: [me, second] }) },
  { id: "update-user-chat-color", params: () => ({ color: "blue_violet" }) },
  // Clips and videos
  { id: "create-clip", params: () => ({ broadcasterId: me, title: "Walk clip" }) },
  { id: "get-clips", params: () => ({ broadcasterId: me }) },
  {
    id: "create-clip-from-vod",
    params: (s) => ({
      editorId: me,
      broadcasterId: me,
      vodId: myVods(s)[0].id,
      vodOffset: 600,
      title: "From the VOD"
    })
  },
  {
    id: "get-clips-download",
    params: (s) => ({ editorId: me, broadcasterId: me, clipId: myClips(s).slice(0, 2).map((c) => c.id) })
  },
  { id: "get-videos", params: () => ({ userId: me }) },
  // Conduits and EventSub
  { id: "get-conduits", token: "app", params: () => ({}) },
  { id: "create-conduits", token: "app", params: () => ({ shardCount: 2 }) },
  { id: "update-conduits", token: "app", params: (_, e) => ({ id: e.conduitIds[0], shardCount: 3 }) },
  { id: "get-conduit-shards", token: "app", params: (_, e) => ({ conduitId: e.conduitIds[0] }) },
  {
    id: "update-conduit-shards",
    token: "app",
    params: (_, e) => ({
      conduitId: e.conduitIds[0],
      shards: [{
        id: "0",
        transport: {
          method: "webhook",
          callback: "https://example.invalid/eventsub",
          secret: "0123456789abc"
        }
      }]
    })
  },
  { id: "delete-conduit", token: "app", params: (_, e) => ({ id: e.conduitIds[0] }) },
  {
    id: "create-eventsub-subscription",
    params: (_, eventSub) => ({
      type: "channel.follow",
      version: "2",
      condition: { broadcaster_user_id: me, moderator_user_id: me },
      transport: { method: "websocket", sessionId: eventSub.sessionId }
    })
  },
  { id: "get-eventsub-subscriptions", params: () => ({ type: "channel.follow" }) },
  { id: "delete-eventsub-subscription", params: (_, eventSub) => ({ id: eventSub.subscriptionIds[0] }) },
  // Entitlements
  { id: "get-drops-entitlements", params: () => ({}) },
  {
    id: "update-drops-entitlements",
    params: (s) => ({ entitlementIds: s.entitlements.map((e) => e.id), fulfillmentStatus: "FULFILLED" })
  },
  // Extensions
  { id: "get-extension-configuration-segment", params: () => ({ extensionId: ext, segment: "global" }) },
  {
    id: "set-extension-configuration-segment",
    params: () => ({
      extensionId: ext,
      segment: "broadcaster",
      broadcasterId: me,
      content: "{}",
      version: "2"
    })
  },
  {
    id: "set-extension-required-configuration",
    params: () => ({
      broadcasterId: me,
      extensionId: ext,
      extensionVersion: MockWorld.extensionVersion,
      requiredConfiguration: "ok"
    })
  },
  {
    id: "send-extension-pubsub-message",
    params: () => ({ target: ["broadcast"], broadcasterId: me, message: "hi" })
  },
  { id: "get-extension-live-channels", params: () => ({ extensionId: ext }) },
  { id: "get-extension-secrets", params: () => ({}) },
  {
    id: "send-extension-chat-message",
    params: () => ({
      broadcasterId: me,
      text: "hello",
      extensionId: ext,
      extensionVersion: MockWorld.extensionVersion
    })
  },
  { id: "get-extensions", params: () => ({ extensionId: ext }) },
  { id: "get-released-extensions", params: () => ({ extensionId: ext }) },
  { id: "create-extension-secret", params: () => ({ extensionId: ext, delay: 300 }) },
  { id: "get-extension-bits-products", token: "extensionApp", params: () => ({ shouldIncludeAll: true }) },
  {
    id: "update-extension-bits-product",
    token: "extensionApp",
    params: () => ({ sku: "sku_walk", cost: { amount: 250, type: "bits" }, displayName: "Walk" })
  },
  // Games, search, streams
  { id: "get-top-games", params: () => ({ first: 5 }) },
  { id: "get-games", params: (s) => ({ id: [s.games[0].id] }) },
  { id: "search-categories", params: () => ({ query: "chess" }) },
  { id: "search-channels", params: () => ({ query: MockWorld.defaultUserLogin }) },
  { id: "get-streams", params: () => ({ first: 5 }) },
  { id: "get-followed-streams", params: () => ({}) },
  { id: "get-stream-key", params: () => ({}) },
  { id: "create-stream-marker", params: () => ({ userId: me, description: "walk marker" }) },
  { id: "get-stream-markers", params: () => ({ userId: me }) },
  // Guest Star
  { id: "get-channel-guest-star-settings", params: () => ({ broadcasterId: me }) },
  { id: "update-channel-guest-star-settings", params: () => ({ broadcasterId: me, slotCount: 5 }) },
  { id: "get-guest-star-session", params: () => ({ broadcasterId: me }) },
  { id: "get-guest-star-invites", params: guestStar },
  { id: "send-guest-star-invite", params: (s) => ({ ...guestStar(s), guestId: user(s, 4) }) },
  { id: "delete-guest-star-invite", params: (s) => ({ ...guestStar(s), guestId: user(s, 4) }) },
  { id: "assign-guest-star-slot", params: (s) => ({ ...guestStar(s), guestId: user(s, 3), slotId: "2" }) },
  {
    id: "update-guest-star-slot",
    params: (s) => ({ ...guestStar(s), sourceSlotId: "2", destinationSlotId: "3" })
  },
  {
    id: "update-guest-star-slot-settings",
    params: (s) => ({ ...guestStar(s), slotId: "3", isAudioEnabled: false })
  },
  { id: "delete-guest-star-slot", params: (s) => ({ ...guestStar(s), guestId: user(s, 3), slotId: "3" }) },
  { id: "end-guest-star-session", params: (s) => ({ broadcasterId: me, sessionId: session(s) }) },
  { id: "create-guest-star-session", params: () => ({ broadcasterId: me }) },
  // Moderation
  {
    id: "check-automod-status",
    params: () => ({ data: [{ msgId: "a", msgText: "hello" }, { msgId: "b", msgText: "no spoiler please" }] })
  },
  {
    id: "manage-held-automod-messages",
    params: (s) => ({ userId: me, msgId: s.heldMessages[0].id, action: "ALLOW" })
  },
  { id: "get-automod-settings", params: () => ({ broadcasterId: me }) },
  { id: "update-automod-settings", params: () => ({ broadcasterId: me, overallLevel: 2 }) },
  { id: "get-banned-users", params: () => ({}) },
  {
    id: "ban-user",
    params: (s) => ({ broadcasterId: me, data: { userId: user(s, 12), duration: 600, reason: "walk" } })
  },
  { id: "unban-user", params: (s) => ({ broadcasterId: me, userId: fromEnd(s, 5) }) },
  { id: "get-unban-requests", params: () => ({ broadcasterId: me, status: "pending" }) },
  {
    id: "resolve-unban-requests",
    params: (s) => ({ broadcasterId: me, unbanRequestId: s.unbanRequests[0].id, status: "approved" })
  },
  { id: "get-blocked-terms", params: () => ({ broadcasterId: me }) },
  { id: "add-blocked-term", params: () => ({ broadcasterId: me, text: "walkword" }) },
  {
    id: "remove-blocked-term",
    params: (s) => ({ broadcasterId: me, id: s.blockedTerms.find((t) => t.text === "walkword")?.id })
  },
  { id: "delete-chat-messages", params: () => ({ broadcasterId: me, messageId: "walk-message" }) },
  { id: "get-moderated-channels", params: () => ({}) },
  { id: "get-moderators", params: () => ({}) },
  { id: "add-channel-moderator", params: (s) => ({ userId: user(s, 20) }) },
  { id: "remove-channel-moderator", params: (s) => ({ userId: user(s, 20) }) },
  { id: "get-vips", params: () => ({}) },
  { id: "add-channel-vip", params: (s) => ({ userId: user(s, 21) }) },
  { id: "remove-channel-vip", params: (s) => ({ userId: user(s, 21), broadcasterId: me }) },
  { id: "update-shield-mode-status", params: () => ({ broadcasterId: me, isActive: true }) },
  { id: "get-shield-mode-status", params: () => ({ broadcasterId: me }) },
  {
    id: "warn-chat-user",
    params: (s) => ({ broadcasterId: me, moderatorId: me, data: { userId: user(s, 13), reason: "be nice" } })
  },
  {
    id: "add-suspicious-status-to-chat-user",
    params: (s) => ({ broadcasterId: me, moderatorId: me, userId: user(s, 14), status: "ACTIVE_MONITORING" })
  },
  {
    id: "remove-suspicious-status-from-chat-user",
    params: (s) => ({ broadcasterId: me, moderatorId: me, userId: user(s, 14) })
  },
  // Polls, predictions, raids
  { id: "get-polls", params: () => ({}) },
  {
    id: "create-poll",
    params: () => ({
      broadcasterId: me,
      title: "Walk?",
      choices: [{ title: "Yes" }, { title: "No" }],
      duration: 60
    })
  },
  {
    id: "end-poll",
    params: (s) => ({
      broadcasterId: me,
      id: s.polls.find((p) => p.status === "ACTIVE")?.id,
      status: "TERMINATED"
    })
  },
  { id: "get-predictions", params: () => ({}) },
  {
    id: "create-prediction",
    params: () => ({
      broadcasterId: me,
      title: "Walk done?",
      outcomes: [{ title: "Yes" }, { title: "No" }],
      predictionWindow: 60
    })
  },
  {
    id: "end-prediction",
    params: (s) => {
      const open = s.predictions.find((p) => p.status === "ACTIVE")
      return { broadcasterId: me, id: open?.id, status: "RESOLVED", winningOutcomeId: open?.outcomes[0].id }
    }
  },
  { id: "start-a-raid", params: (s) => ({ toBroadcasterId: user(s, 5) }) },
  { id: "cancel-a-raid", params: () => ({}) },
  // Schedule
  { id: "get-channel-stream-schedule", params: () => ({ broadcasterId: me }) },
  { id: "get-channel-icalendar", params: () => ({ broadcasterId: me }) },
  {
    id: "update-channel-stream-schedule",
    params: () => ({
      isVacationEnabled: true,
      vacationStartTime: soon(30),
      vacationEndTime: soon(37),
      timezone: "UTC"
    })
  },
  {
    id: "create-channel-stream-schedule-segment",
    params: () => ({ startTime: soon(3), timezone: "UTC", duration: "120", title: "Walk stream" })
  },
  {
    id: "update-channel-stream-schedule-segment",
    params: (s) => ({ id: s.scheduleSegments.find((x) => x.title === "Walk stream")?.id, isCanceled: true })
  },
  {
    id: "delete-channel-stream-schedule-segment",
    params: (s) => ({ id: s.scheduleSegments.find((x) => x.title === "Walk stream")?.id })
  },
  // Subscriptions, tags, teams
  { id: "get-broadcaster-subscriptions", params: () => ({}) },
  { id: "check-user-subscription", params: (s) => ({ broadcasterId: user(s, 2) }) },
  { id: "get-all-stream-tags", params: () => ({}) },
  { id: "get-stream-tags", params: () => ({ broadcasterId: me }) },
  { id: "get-channel-teams", params: () => ({ broadcasterId: me }) },
  { id: "get-teams", params: (s) => ({ name: s.teams[0].name }) },
  // Users
  { id: "get-users", params: () => ({ login: [MockWorld.defaultUserLogin] }) },
  { id: "update-user", params: () => ({ description: "walked every operation" }) },
  { id: "get-authorization-by-user", token: "app", params: () => ({ userId: [me] }) },
  { id: "block-user", params: (s) => ({ targetUserId: user(s, 15), sourceContext: "chat", reason: "spam" }) },
  { id: "get-user-block-list", params: () => ({ broadcasterId: me }) },
  { id: "unblock-user", params: (s) => ({ targetUserId: user(s, 15) }) },
  { id: "get-user-extensions", params: () => ({}) },
  { id: "get-user-active-extensions", params: () => ({}) },
  {
    id: "update-user-extensions",
    params: () => ({
      data: { panel: { "2": { active: true, id: ext, version: MockWorld.extensionVersion } } }
    })
  },
  { id: "send-whisper", params: () => ({ toUserId: second, message: "walk whisper" }) },
  { id: "delete-videos", params: (s) => ({ id: [myVods(s)[1].id] }) }
]

const allScopes = [...MockWorld.allScopes]
const tokens: Readonly<Record<Token, AccessToken.AccessToken>> = {
  user: AccessToken.make(MockWorld.defaultUserToken, { kind: "user", scopes: allScopes, userId: me }),
  app: AccessToken.make(MockWorld.appToken, { kind: "app" }),
  extensionApp: AccessToken.make(MockWorld.extensionAppToken, { kind: "app" })
}

/** The Helix services for a client id, against the running mock. */
const services = (mock: MockTwitch.MockTwitch.Service, clientId: string) =>
  Layer.build(
    Helix.layer().pipe(
      Layer.provideMerge(TwitchAuth.layerStatic(tokens.user)),
      Layer.provideMerge(
        Layer.succeed(TwitchConfig.TwitchConfig, { ...MockTwitch.twitchConfig(mock), clientId })
      ),
      Layer.provideMerge(
        ExtensionAuth.layerSigned({
          clientId: ext,
          secret: Redacted.make(MockWorld.extensionSecret),
          ownerId: me
        })
      ),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )

const isStream = (u: unknown): u is Stream.Stream<unknown, unknown> =>
  Predicate.hasProperty(u, Stream.StreamTypeId)
const isEffect = (u: unknown): u is Effect.Effect<unknown, unknown> => Effect.isEffect(u)

/** Calls one operation through its generated service method in a context; its failure, if any. */
const call = (context: Context.Context<never>, operationId: string, params: unknown) =>
  Effect.gen(function*() {
    const entry = Generated.services.find((x) => Object.hasOwn(x.methods, operationId))
    const name = Object.entries(entry?.methods ?? {}).find(([id]) => id === operationId)?.[1]
    const service: unknown = entry === undefined ? undefined : context.unsafeMap.get(entry.tag.key)
    const method: unknown = name === undefined || !Predicate.isObject(service)
      ? undefined
      : Reflect.get(service, name)
    if (typeof method !== "function") return `${operationId}: no service method`
    const result: unknown = Reflect.apply(method, service, [params])
    const run = isStream(result) ? Stream.runDrain(result) : isEffect(result) ? result : Effect.void
    const outcome = yield* Effect.either(run)
    return outcome._tag === "Left" ? `${operationId}: ${String(outcome.left)}` : undefined
  })

describe("the mock Twitch answers every Helix operation", () => {
  it("the walk plans every operation of the spec, once", () => {
    const planned = plan.map((step) => step.id)
    expect(new Set(planned).size).toBe(planned.length)
    expect([...planned].sort()).toEqual(HelixSpec.operations.map((o) => o.operation.operationId).sort())
  })

  it.scopedLive(
    "through the generated services: a checked 2xx for each (410 for the removed ones)",
    () =>
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const main = yield* services(mock, MockWorld.defaultClientId)
        const extension = yield* services(mock, ext)
        const failures: Array<string> = []
        const gone: Array<string> = []
        const { sessionId } = yield* EventSubClient.session(mock.eventSub.wsUrl)
        for (const step of plan) {
          const token = step.token ?? "user"
          const context = token === "extensionApp" ? extension : main
          yield* Effect.flatMap(
            Effect.provide(TwitchAuth.TwitchAuth, context),
            (auth) => auth.set(tokens[token])
          )
          const subscriptionIds = (yield* mock.eventSub.control.subscriptions).map((sub) => sub.id)
          const conduitIds = (yield* mock.eventSub.control.conduits).map((conduit) => conduit.id)
          const params = step.params(yield* mock.world.snapshot, { sessionId, subscriptionIds, conduitIds })
          const failure = yield* call(context, step.id, params)
          if (Router.gone.has(step.id)) {
            if (failure?.includes("410") === true) gone.push(step.id)
            else failures.push(`${step.id}: expected 410, got ${failure ?? "a success"}`)
          } else if (failure !== undefined) {
            failures.push(failure)
          }
        }
        expect(failures).toEqual([])
        expect(gone.sort()).toEqual([...Router.gone].sort())
        // Every call reached the mock: none was refused before its request.
        const unreached: Array<string> = []
        for (const { method, operation, path } of HelixSpec.operations) {
          const count = yield* mock.control.counter(Control.routeCounter(method, `/helix${path}`))
          if (count === 0) unreached.push(operation.operationId)
        }
        expect(unreached).toEqual([])
      }).pipe(
        Effect.provide(MockTwitch.layer({ irc: false, liveTokenUser: true, http: { checkAnswers: true } }))
      ),
    { timeout: 60_000 }
  )
})
