/**
 * Places where Twitch answers differently from the spec and `src/spec/helix-overrides.json` has no
 * fix yet: the mock answers as Twitch does, and the answer check lets exactly these mismatches
 * through. Each entry is meant to become an override; once the spec accepts the value Twitch
 * sends, {@link stale} names the entry and a test fails until it is removed here.
 *
 * @since 0.1.0
 */
import * as HelixSpec from "../../../../spec/HelixSpec.js"
import * as SpecCheck from "./SpecCheck.js"

/**
 * A known difference: an operation, a path in its 2xx answer (`*` for any array index), a value
 * Twitch sends there, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Gap {
  readonly operationId: string
  readonly path: string
  readonly value: unknown
  readonly why: string
}

/**
 * The known differences.
 *
 * @since 0.1.0
 * @category constants
 */
export const gaps: ReadonlyArray<Gap> = [
  {
    operationId: "get-emote-sets",
    path: "data.*.emote_type",
    value: "globals",
    why: "Get Emote Sets answers the global set (emote_set_id 0) with emote_type \"globals\" (and " +
      "\"smilies\"); the spec's enum lists only the channel types."
  },
  ...(["get-shield-mode-status", "update-shield-mode-status"] as const).map((operationId) => ({
    operationId,
    path: "data.*.last_activated_at",
    value: "",
    why: "A channel that never activated shield mode answers last_activated_at \"\"."
  })),
  {
    operationId: "get-channel-guest-star-settings",
    path: "group_layout",
    value: "HORIZONTAL_LAYOUT",
    why: "Update Channel Guest Star Settings accepts HORIZONTAL_LAYOUT and VERTICAL_LAYOUT, and the " +
      "settings then answer them; the answer's enum lists only TILED_LAYOUT and SCREENSHARE_LAYOUT."
  },
  ...(["create-channel-stream-schedule-segment", "update-channel-stream-schedule-segment"] as const).map((
    operationId
  ) => ({
    operationId,
    path: "data.vacation",
    value: null,
    why: "Without a vacation Twitch answers vacation: null here too (the override made it nullable " +
      "only for Get Channel Stream Schedule)."
  })),
  {
    operationId: "get-channel-stream-schedule",
    path: "pagination",
    value: {},
    why: "Get Channel Stream Schedule sends pagination next to data, not inside it."
  }
]

/**
 * A field the spec marks `x-matchesTokenUser` that Twitch does not compare with the token's user
 * (the mock does not either).
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenUserGap {
  readonly operationId: string
  readonly name: string
  readonly why: string
}

/**
 * The known wrong `x-matchesTokenUser` marks.
 *
 * @since 0.1.0
 * @category constants
 */
export const tokenUserGaps: ReadonlyArray<TokenUserGap> = [
  {
    operationId: "resolve-unban-requests",
    name: "unban_request_id",
    why:
      "unban_request_id is the id of the unban request, not a user id; only moderator_id must be the token's user."
  }
]

/**
 * Whether the mock skips the token-user check of a field.
 *
 * @since 0.1.0
 * @category checks
 */
export const skipsTokenUser = (operationId: string, name: string): boolean =>
  tokenUserGaps.some((gap) => gap.operationId === operationId && gap.name === name)

const pattern = (path: string) => new RegExp(`^${path.replace(/\./g, "\\.").replace(/\*/g, "\\d+")}$`)

/** The schema node at a path of an operation's 2xx answer. */
const nodeAt = (operationId: string, path: ReadonlyArray<string>): HelixSpec.SchemaNode | undefined => {
  const operation = HelixSpec.operations.find((o) => o.operation.operationId === operationId)?.operation
  const status = Object.keys(operation?.responses ?? {}).find((s) => s.startsWith("2"))
  let node = operation === undefined || status === undefined
    ? undefined
    : SpecCheck.responseSchema(operation, Number(status))
  for (const part of path) {
    if (node === undefined) return undefined
    const schema = HelixSpec.resolve(node)
    node = part === "*" ? schema.items : schema.properties?.[part]
  }
  return node
}

/** What the spec says of the gap's value (or of its field, when the spec lacks it), or nothing. */
const messageOf = (gap: Gap): string | undefined => {
  const parts = gap.path.split(".")
  const node = nodeAt(gap.operationId, parts)
  if (node !== undefined) return SpecCheck.check(node, gap.value, { closed: true })[0]?.message
  const parent = nodeAt(gap.operationId, parts.slice(0, -1))
  const key = parts[parts.length - 1]
  const schema = parent === undefined ? undefined : HelixSpec.resolve(parent)
  return schema?.properties !== undefined && !(key in schema.properties) &&
      schema.additionalProperties === undefined
    ? "is not in the spec"
    : undefined
}

/**
 * Whether an issue of an operation's answer is a known difference.
 *
 * @since 0.1.0
 * @category checks
 */
export const isKnown = (operationId: string, issue: SpecCheck.Issue): boolean =>
  gaps.some((gap) =>
    gap.operationId === operationId && pattern(gap.path).test(issue.path) && issue.message === messageOf(gap)
  )

/**
 * The entries the spec no longer refuses (or whose place is gone), and the token-user marks the
 * spec no longer has: to be removed.
 *
 * @since 0.1.0
 * @category checks
 */
export const stale = (): ReadonlyArray<Gap | TokenUserGap> => [
  ...gaps.filter((gap) => messageOf(gap) === undefined),
  ...tokenUserGaps.filter((gap) =>
    !HelixSpec.operations.some((o) =>
      o.operation.operationId === gap.operationId &&
      (o.operation.parameters ?? []).some((p) => p.name === gap.name && p["x-matchesTokenUser"] === true)
    )
  )
]
