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
  }
]

const pattern = (path: string) => new RegExp(`^${path.replace(/\./g, "\\.").replace(/\*/g, "\\d+")}$`)

/** The schema node at a path of an operation's 2xx answer. */
const nodeAt = (gap: Gap): HelixSpec.SchemaNode | undefined => {
  const operation = HelixSpec.operations.find((o) => o.operation.operationId === gap.operationId)?.operation
  const status = Object.keys(operation?.responses ?? {}).find((s) => s.startsWith("2"))
  let node = operation === undefined || status === undefined
    ? undefined
    : SpecCheck.responseSchema(operation, Number(status))
  for (const part of gap.path.split(".")) {
    if (node === undefined) return undefined
    const schema = HelixSpec.resolve(node)
    node = part === "*" ? schema.items : schema.properties?.[part]
  }
  return node
}

/** What the spec says of the gap's value, or nothing when it accepts it. */
const messageOf = (gap: Gap): string | undefined => {
  const node = nodeAt(gap)
  return node === undefined ? undefined : SpecCheck.check(node, gap.value, { closed: true })[0]?.message
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
 * The entries the spec no longer refuses (or whose place is gone): to be removed.
 *
 * @since 0.1.0
 * @category checks
 */
export const stale = (): ReadonlyArray<Gap> => gaps.filter((gap) => messageOf(gap) === undefined)
