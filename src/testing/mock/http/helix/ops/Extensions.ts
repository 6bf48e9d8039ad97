/**
 * Extensions: the calls an extension's backend makes with its JWT (configuration segments,
 * required configuration, PubSub and chat messages, secrets, Get Extensions), the app-token calls
 * of its own client (Bits products) and the public ones (live channels, released extensions).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Extension, ExtensionSecret } from "../../../world/ExtensionModels.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate, type Reply } from "../../shared.js"
import {
  bodyBoolean,
  bodyRecord,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  json,
  noContent,
  queryBool,
  queryInt,
  required
} from "../Handler.js"
import { index, liveStreams } from "../Wire.js"

const extensionJson = (s: WorldState, e: Extension) => {
  const view = (path: string) => `https://${e.id}.ext-twitch.tv/${e.id}/${e.version}/${path}`
  return {
    author_name: index(s).users.get(e.ownerId)?.displayName ?? "",
    bits_enabled: e.bitsEnabled,
    can_install: false,
    configuration_location: "hosted",
    description: e.description,
    eula_tos_url: "",
    has_chat_support: e.hasChatSupport,
    icon_url: view("icon.png"),
    icon_urls: {
      "100x100": view("icon-100.png"),
      "24x24": view("icon-24.png"),
      "300x200": view("icon-300.png")
    },
    id: e.id,
    name: e.name,
    privacy_policy_url: "",
    request_identity_link: false,
    screenshot_urls: [],
    state: "Released",
    subscriptions_support_level: "none",
    summary: e.description,
    support_email: "",
    version: e.version,
    viewer_summary: e.description,
    views: {
      mobile: { viewer_url: view("mobile.html") },
      panel: { viewer_url: view("panel.html"), height: 300, can_link_external_content: false },
      video_overlay: { viewer_url: view("overlay.html"), can_link_external_content: false },
      component: {
        viewer_url: view("component.html"),
        aspect_ratio_x: 2500,
        aspect_ratio_y: 3000,
        autoscale: true,
        scale_pixels: 1024,
        target_height: 5333,
        can_link_external_content: false
      },
      config: { viewer_url: view("config.html"), can_link_external_content: false }
    },
    allowlisted_config_urls: [],
    allowlisted_panel_urls: []
  }
}

/** The extension a JWT call names, which must be the JWT's own. */
const jwtExtension = (request: HelixRequest, extensionId: string): Effect.Effect<Extension, Reply> => {
  const own = Option.match(request.caller.extension, {
    onNone: () => request.caller.clientId,
    onSome: (x) => x.extensionId
  })
  if (own !== extensionId) {
    return failHelix(401, "The extension_id must be the extension the JWT was signed for.")
  }
  const extension = request.state.extensions.find((e) => e.id === extensionId)
  return extension === undefined ? failHelix(404, "The extension was not found.") : Effect.succeed(extension)
}

/** The extension of an app-token call, whose client id must be the extension's. */
const appExtension = (request: HelixRequest): Effect.Effect<Extension, Reply> => {
  const extension = request.state.extensions.find((e) => e.id === request.caller.clientId)
  return extension === undefined
    ? failHelix(401, "The client ID in the app access token must be an extension's client ID.")
    : Effect.succeed(extension)
}

const secretsJson = (secrets: ReadonlyArray<ExtensionSecret>) => [{
  format_version: 1,
  secrets: secrets.map((x) => ({ content: x.content, active_at: x.activeAt, expires_at: x.expiresAt }))
}]

const productJson = (
  p: {
    readonly sku: string
    readonly cost: number
    readonly inDevelopment: boolean
    readonly displayName: string
    readonly expiration: string
    readonly isBroadcast: boolean
  }
) => ({
  sku: p.sku,
  cost: { amount: p.cost, type: "bits" },
  in_development: p.inDevelopment,
  display_name: p.displayName,
  expiration: p.expiration === "" ? "2099-12-31T00:00:00Z" : p.expiration,
  is_broadcast: p.isBroadcast
})

/** The PubSub targets a JWT may send to a channel, checked against its claims. */
const pubsubAllowed = (request: HelixRequest, targets: ReadonlyArray<string>, channel: string) =>
  Option.exists(
    request.caller.extension,
    (x) =>
      targets.every((t) => x.pubsubSend.includes(t) || x.pubsubSend.includes("*")) &&
      Option.exists(x.channelId, (c) => c === channel || c === "all")
  )

/**
 * The extension-JWT handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const jwtHandlers: Handlers = {
  "get-extension-configuration-segment": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, required(request, "extension_id"))
      const segments = request.query.getAll("segment")
      const broadcasterId = request.query.get("broadcaster_id") ?? ""
      if (segments.some((x) => x !== "global") && broadcasterId === "") {
        return yield* failHelix(
          400,
          "The broadcaster_id query parameter is required for the broadcaster and developer segments."
        )
      }
      const found = request.state.extensionConfigurations.filter((c) =>
        c.extensionId === extension.id && segments.includes(c.segment) &&
        (c.segment === "global" || c.broadcasterId === broadcasterId)
      )
      return data(found.map((c) => ({
        segment: c.segment,
        ...(c.broadcasterId === "" ? {} : { broadcaster_id: c.broadcasterId }),
        content: c.content,
        version: c.version
      })))
    }),

  "set-extension-configuration-segment": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, bodyString(request, "extension_id") ?? "")
      const segment = bodyString(request, "segment")
      const broadcasterId = bodyString(request, "broadcaster_id") ?? ""
      if (segment !== "global" && broadcasterId === "") {
        return yield* failHelix(
          400,
          "The broadcaster_id field is required for the broadcaster and developer segments."
        )
      }
      const content = bodyString(request, "content") ?? ""
      if (content.length > 5 * 1024) return yield* failHelix(400, "The content field may have at most 5 KB.")
      yield* request.ctx.world.setConfiguration({
        extensionId: extension.id,
        segment: segment === "broadcaster" || segment === "developer" ? segment : "global",
        broadcasterId: segment === "global" ? "" : broadcasterId,
        content,
        version: bodyString(request, "version") ?? ""
      })
      return noContent
    }),

  "set-extension-required-configuration": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, bodyString(request, "extension_id") ?? "")
      yield* fromWorld(request.ctx.world.setRequiredConfiguration({
        extensionId: extension.id,
        broadcasterId: required(request, "broadcaster_id"),
        version: bodyString(request, "extension_version") ?? "",
        configuration: bodyString(request, "required_configuration") ?? ""
      }))
      return noContent
    }),

  "send-extension-pubsub-message": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, request.caller.clientId)
      const raw = request.body["target"]
      const targets = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === "string") : []
      const global = bodyBoolean(request, "is_global_broadcast") === true
      const broadcasterId = bodyString(request, "broadcaster_id") ?? ""
      if (!pubsubAllowed(request, targets, global ? "all" : broadcasterId)) {
        return yield* failHelix(401, "The JWT's pubsub_perms and channel_id do not allow this message.")
      }
      const message = bodyString(request, "message") ?? ""
      if (Buffer.byteLength(message, "utf8") > 5 * 1024) {
        return yield* failHelix(422, "The message may have at most 5 KB.")
      }
      yield* request.ctx.world.sendExtensionMessage({
        extensionId: extension.id,
        broadcasterId: global ? "all" : broadcasterId,
        kind: "pubsub",
        targets,
        message
      })
      return noContent
    }),

  "get-extension-secrets": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, request.caller.clientId)
      return data(secretsJson(request.state.extensionSecrets.filter((x) => x.extensionId === extension.id)))
    }),

  "create-extension-secret": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, required(request, "extension_id"))
      const delay = queryInt(request, "delay", 300)
      if (delay < 300) return yield* failHelix(400, "The delay query parameter must be at least 300 seconds.")
      return data(secretsJson(yield* fromWorld(request.ctx.world.createSecret(extension.id, delay))))
    }),

  "send-extension-chat-message": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, bodyString(request, "extension_id") ?? "")
      if (!extension.hasChatSupport) return yield* failHelix(400, "The extension does not support chat.")
      if (bodyString(request, "extension_version") !== extension.version) {
        return yield* failHelix(400, "The extension_version is not the extension's version.")
      }
      const text = bodyString(request, "text") ?? ""
      if (text === "" || [...text].length > 280) {
        return yield* failHelix(400, "The text field must have 1 to 280 characters.")
      }
      yield* request.ctx.world.sendExtensionMessage({
        extensionId: extension.id,
        broadcasterId: required(request, "broadcaster_id"),
        kind: "chat",
        targets: [],
        message: text
      })
      return noContent
    }),

  "get-extensions": (request) =>
    Effect.gen(function*() {
      const extension = yield* jwtExtension(request, required(request, "extension_id"))
      const version = request.query.get("extension_version")
      return data(
        version === undefined || version === extension.version
          ? [extensionJson(request.state, extension)]
          : []
      )
    })
}

/**
 * The OAuth-token extension handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  ...jwtHandlers,

  "get-extension-live-channels": (request) =>
    Effect.gen(function*() {
      const extensionId = required(request, "extension_id")
      if (!request.state.extensions.some((e) => e.id === extensionId)) {
        return yield* failHelix(404, "The extension was not found.")
      }
      const users = new Set(
        request.state.activeExtensions.filter((a) => a.extensionId === extensionId).map((a) => a.userId)
      )
      const ix = index(request.state)
      const live = liveStreams(request.state).filter((x) => users.has(x.userId))
      const { cursor, data: items } = yield* paginate(request.query, live, {
        defaultFirst: 20,
        allowBefore: false
      })
      return json({
        data: items.map((x) => ({
          broadcaster_id: x.userId,
          broadcaster_name: ix.users.get(x.userId)?.displayName ?? "",
          game_name: ix.games.get(x.gameId)?.name ?? "",
          game_id: x.gameId,
          title: x.title
        })),
        ...(cursor === undefined ? {} : { pagination: cursor })
      })
    }),

  "get-released-extensions": (request) => {
    const extension = request.state.extensions.find((e) => e.id === required(request, "extension_id"))
    const version = request.query.get("extension_version")
    if (extension === undefined || (version !== undefined && version !== extension.version)) {
      return failHelix(404, "The extension was not found.")
    }
    return Effect.succeed(data([extensionJson(request.state, extension)]))
  },

  "get-extension-bits-products": (request) =>
    Effect.gen(function*() {
      const extension = yield* appExtension(request)
      const all = queryBool(request, "should_include_all") === true
      const found = request.state.bitsProducts.filter((p) =>
        p.extensionId === extension.id &&
        (all || (!p.inDevelopment && (p.expiration === "" || Date.parse(p.expiration) > request.now)))
      )
      return data(found.map(productJson))
    }),

  "update-extension-bits-product": (request) =>
    Effect.gen(function*() {
      const extension = yield* appExtension(request)
      const sku = bodyString(request, "sku") ?? ""
      if (!/^[A-Za-z0-9_.\-~]{1,255}$/.test(sku)) {
        return yield* failHelix(400, "The sku field is not a valid SKU.")
      }
      const amount = bodyRecord(request, "cost")["amount"]
      if (typeof amount !== "number" || amount < 1) {
        return yield* failHelix(400, "The cost.amount field must be at least 1.")
      }
      const product = yield* request.ctx.world.upsertBitsProduct({
        extensionId: extension.id,
        sku,
        cost: amount,
        displayName: bodyString(request, "display_name") ?? sku,
        inDevelopment: bodyBoolean(request, "in_development") ?? false,
        expiration: bodyString(request, "expiration") ?? "",
        isBroadcast: bodyBoolean(request, "is_broadcast") ?? false
      })
      return data([productJson(product)])
    })
}
