/**
 * `api list` (every Helix operation: id, method, path, group, token kinds, scopes) and
 * `api <operation-id> [--query name=value]... [--body JSON]` (any operation by its spec
 * `operationId`, through the generated operation and the operation runner, so token and scope
 * checks, batches, pages and per-endpoint limits apply as in code). `api call <operation-id>` is
 * the same; {@link expand} lets the `call` be left out.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { OperationRunner } from "../../helix/OperationRunner.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as ApiParams from "./apiParams.js"
import * as Catalog from "./catalog.js"
import { helixLayer } from "./helix.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

// ---------------------------------------------------------------------------------------------
// api list

const tokenText = (entry: Catalog.Entry) => entry.operation.tokens.join(", ") || "none"

/** A parameter: its name, whether it is required, and whether the token's user fills it when left out. */
const fieldJson = (entry: Catalog.Entry, field: Catalog.Field) => ({
  name: field.name,
  required: field.required && !entry.operation.tokenUser.includes(field.name),
  token_user: entry.operation.tokenUser.includes(field.name)
})

const listJson = (entry: Catalog.Entry) => ({
  id: entry.id,
  method: entry.operation.method,
  path: entry.operation.path,
  group: entry.group,
  service_method: entry.method,
  tokens: entry.operation.tokens,
  scopes: entry.operation.scopes,
  answer: Catalog.answerOf(entry.operation),
  query: entry.query.map((f) => fieldJson(entry, f)),
  body: entry.body.map((f) => fieldJson(entry, f))
})

const matches = (entry: Catalog.Entry, words: ReadonlyArray<string>, group: Option.Option<string>) => {
  if (Option.isSome(group) && entry.group.toLowerCase() !== group.value.toLowerCase()) return false
  const text = [entry.id, entry.operation.path, entry.group, entry.method, ...entry.operation.scopes]
    .join(" ")
    .toLowerCase()
  return words.every((w) => text.includes(w.toLowerCase()))
}

const apiList = Command.make(
  "list",
  {
    json: O.json,
    group: Options.text("group").pipe(
      Options.withDescription("Only this Twitch group: Moderation, Chat, \"Channel Points\"... (any case)"),
      Options.optional
    ),
    words: Args.text({ name: "word" }).pipe(
      Args.repeated,
      Args.withDescription("Only operations whose id, path, group, method or scopes contain every word")
    )
  },
  (o) =>
    Effect.gen(function*() {
      const found = Catalog.entries.filter((e) => matches(e, o.words, o.group))
      if (o.json) {
        for (const entry of found) yield* Render.json(listJson(entry))
        return
      }
      if (found.length === 0) {
        const groups = [...new Set(Catalog.entries.map((e) => e.group))].join(", ")
        return yield* Console.error(`No operation matches. Groups: ${groups}.`)
      }
      const tty = yield* Tty
      yield* Console.log(Output.table(tty.style, found, [
        { header: "OPERATION ID", cell: (e) => e.id },
        { header: "METHOD", cell: (e) => e.operation.method },
        { header: "PATH", cell: (e) => e.operation.path },
        { header: "GROUP", cell: (e) => e.group },
        { header: "TOKENS", cell: tokenText },
        { header: "SCOPES (any one)", cell: (e) => e.operation.scopes.join(" ") || "-" }
      ]))
      yield* Console.error(
        `${found.length} of ${Catalog.entries.length} operations. Call one: twitcher api <operation-id> --query name=value --body JSON`
      )
    })
).pipe(Command.withDescription("Every Helix operation: id, method, path, group, token kinds, scopes"))

// ---------------------------------------------------------------------------------------------
// api <operation-id>

/** What an operation answered, in wire form (Twitch's own field names). */
type Answer =
  | { readonly _tag: "List"; readonly items: ReadonlyArray<unknown>; readonly paged: boolean }
  | { readonly _tag: "Document"; readonly value: unknown }
  | { readonly _tag: "NoContent" }
  | { readonly _tag: "Text"; readonly text: string }

const encode = <A, I>(schema: Schema.Schema<A, I>, value: A) => Effect.orDie(Schema.encode(schema)(value))

/** A `{data: X}` document is shown as its `X`, like the lists. */
const unwrap = (document: unknown): unknown =>
  Predicate.isRecord(document) && Object.keys(document).length === 1 && "data" in document
    ? document["data"]
    : document

/** Calls the operation through the runner and encodes its answer back to wire names. */
const call = (entry: Catalog.Entry, params: unknown, limit: number) =>
  Effect.gen(function*() {
    const runner = yield* OperationRunner
    const operation = entry.operation
    switch (operation._tag) {
      case "Paged": {
        const items = yield* Stream.runCollect(Stream.take(runner.paged(operation)(params), limit))
        const encoded = yield* encode(Schema.Array(operation.item), Chunk.toReadonlyArray(items))
        return { _tag: "List", items: encoded, paged: true } satisfies Answer
      }
      case "Items": {
        const items = yield* runner.items(operation)(params)
        return {
          _tag: "List",
          items: yield* encode(Schema.Array(operation.item), items),
          paged: false
        } satisfies Answer
      }
      case "Value": {
        const value = yield* runner.value(operation)(params)
        return { _tag: "Document", value: unwrap(yield* encode(operation.response, value)) } satisfies Answer
      }
      case "NoContent":
        yield* runner.noContent(operation)(params)
        return { _tag: "NoContent" } satisfies Answer
      case "Text":
        return { _tag: "Text", text: yield* runner.text(operation)(params) } satisfies Answer
    }
  })

const print = (
  entry: Catalog.Entry,
  answer: Answer,
  o: { readonly json: boolean; readonly limit: number }
) => {
  switch (answer._tag) {
    case "List": {
      const printed = o.json ? Render.json(answer.items) : Console.log(JSON.stringify(answer.items, null, 2))
      const note = answer.paged && answer.items.length === o.limit
        ? Console.error(`Showing the first ${o.limit} items (--limit ${o.limit}); there may be more.`)
        : Effect.void
      return Effect.zipRight(printed, note)
    }
    case "Document":
      return o.json ? Render.json(answer.value) : Console.log(JSON.stringify(answer.value, null, 2))
    case "NoContent":
      return o.json ?
        Render.json(null) :
        Console.log(
          `Done: ${entry.id} (${entry.operation.method} ${entry.operation.path}) answered 204 No Content.`
        )
    case "Text":
      return o.json ? Render.json(answer.text) : Console.log(answer.text.replace(/\r?\n$/, ""))
  }
}

/** `a`, `a or b`, `a, b or c`. */
const oneOf = (words: ReadonlyArray<string>) =>
  words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`

/** The entry of an id, or a usage error naming the nearest ids. */
const entryOf = (id: string): Effect.Effect<Catalog.Entry, CliError> => {
  const entry = Catalog.find(id)
  if (entry !== undefined) return Effect.succeed(entry)
  const near = Catalog.nearest(id)
  return Effect.fail(
    new CliError({
      reason: "BadInput",
      detail: `Unknown operation "${id}".${
        near.length === 0 ? "" : ` Did you mean ${oneOf(near.map((n) => `"${n}"`))}?`
      } \`twitcher api list\` lists them all.`
    })
  )
}

/**
 * `--limit` as the page size when the caller did not choose one: no more items fetched than shown
 * (never more than the operation's largest page).
 */
const withPageSize = (entry: Catalog.Entry, pairs: ReadonlyArray<string>, limit: number) => {
  const first = entry.query.find((f) => f.name === "first")
  if (entry.operation._tag !== "Paged" || first === undefined) return pairs
  if (pairs.some((p) => p.startsWith("first="))) return pairs
  const max = Option.getOrUndefined(entry.operation.pageSize) ?? first.schema.maximum
  return max === undefined ? pairs : [...pairs, `first=${Math.min(limit, max)}`]
}

const apiCall = Command.make(
  "call",
  {
    ...O.common,
    json: Options.boolean("json").pipe(
      Options.withDescription("Print the answer as one JSON document, with Twitch's field names")
    ),
    query: Options.text("query").pipe(
      Options.withPseudoName("name=value"),
      Options.repeated,
      Options.withDescription(
        "A query parameter, by Twitch's name (repeat the name for a list: --query id=1 --query id=2)"
      )
    ),
    body: Options.text("body").pipe(
      Options.withPseudoName("JSON"),
      Options.optional,
      Options.withDescription("The JSON body, by Twitch's field names: '{\"data\": {\"user_id\": \"123\"}}'")
    ),
    limit: O.integer("limit", { min: 1 }).pipe(
      Options.withDefault(100),
      Options.withDescription("Paged operations: how many items at most (pages are fetched as needed)")
    ),
    id: Args.text({ name: "operation-id" }).pipe(
      Args.withDescription("The spec's operationId, e.g. get-users, ban-user (see `twitcher api list`)")
    )
  },
  (o) =>
    Effect.gen(function*() {
      const entry = yield* entryOf(o.id)
      if (entry.operation.tokens.length === 1 && entry.operation.tokens[0] === "extension-jwt") {
        return yield* new CliError({
          reason: "Failed",
          detail:
            `${entry.id} needs an extension JWT signed with the extension's secret, which twitcher does not hold: call ${entry.method} from code with ExtensionAuth.layerSigned.`
        })
      }
      const params = yield* ApiParams.parse(
        entry,
        withPageSize(entry, o.query, o.limit),
        Option.getOrUndefined(o.body)
      )
      const answer = yield* Effect.provide(call(entry, params, o.limit), helixLayer(o))
      yield* print(entry, answer, o)
    })
).pipe(
  Command.withDescription(
    "Call any Helix operation by its operation id (`twitcher api <operation-id>` works too) and print its answer"
  )
)

const apiCommands = [apiList, apiCall] as const

const api = Command.make("api").pipe(
  Command.withDescription(
    "Any Helix operation by its id: `api list` to find one, `api <operation-id>` to call it"
  ),
  Command.withSubcommands(apiCommands)
)

/**
 * `api <operation-id> ...` is `api call <operation-id> ...`: a word after `api` that is not one of
 * its commands (nor an option) is an operation id.
 */
export const expand = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const [first, second] = argv
  if (first !== "api" || second === undefined || second.startsWith("-")) return argv
  if (apiCommands.some((c) => Help.leaf(c).name === second)) return argv
  return ["api", "call", ...argv.slice(1)]
}

/** The api command. */
export const commands = [api] as const

/** Its help node. */
export const nodes: ReadonlyArray<Help.Node> = [Help.family(api, apiCommands)]
