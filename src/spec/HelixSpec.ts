/**
 * Twitch's Helix OpenAPI description with our fixes applied: the one source the generator
 * (`npm run generate`) and the mock Twitch read. The copied spec stays untouched; every place where
 * Twitch answers differently from it is one entry of `helix-overrides.json` (a JSON Patch operation
 * with a `why`), applied here when the module loads. No dependency beyond the two JSON files.
 *
 * @since 0.1.0
 */
import specFile from "./helix-openapi.json" with { type: "json" }
import overridesFile from "./helix-overrides.json" with { type: "json" }

/**
 * A JSON Schema node as the spec uses it (OpenAPI 3.0 subset), plus our `x-` marks.
 *
 * @since 0.1.0
 * @category models
 */
export interface SchemaNode {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<string | number | boolean>
  readonly items?: SchemaNode
  readonly properties?: Readonly<Record<string, SchemaNode>>
  readonly required?: ReadonlyArray<string>
  readonly additionalProperties?: SchemaNode | boolean
  readonly nullable?: boolean
  readonly deprecated?: boolean
  readonly default?: unknown
  readonly minimum?: number
  readonly maximum?: number
  readonly maxItems?: number
  /** Ours: a string where Twitch sends `""` for "none" (an empty timestamp or id). */
  readonly "x-emptyIsNone"?: boolean
}

/**
 * A query parameter of an operation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Parameter {
  readonly name: string
  readonly in: string
  readonly schema: SchemaNode
  readonly required?: boolean
  readonly explode?: boolean
  /** The value must be the token user's id. */
  readonly "x-matchesTokenUser"?: boolean
}

/**
 * A media-typed payload (request body or response).
 *
 * @since 0.1.0
 * @category models
 */
export interface Content {
  readonly content?: Readonly<Record<string, { readonly schema?: SchemaNode }>>
}

/**
 * Array parameters that share one `maxItems` (ours: Twitch counts ids and logins together).
 *
 * @since 0.1.0
 * @category models
 */
export interface SharedLimit {
  readonly params: ReadonlyArray<string>
  readonly maxItems: number
}

/**
 * One Helix operation.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation {
  readonly operationId: string
  readonly tag: string
  /** Token kinds accepted: `app`, `user`, `extension-jwt`; empty where the reference names none. */
  readonly tokens: ReadonlyArray<string>
  /** Any one of `anyOf` suffices (checked for user tokens). */
  readonly scopes: { readonly anyOf?: ReadonlyArray<string> }
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: Content
  readonly responses: Readonly<Record<string, Content>>
  /** Ours: array parameters whose `maxItems` counts them together. */
  readonly "x-maxItemsTogether"?: ReadonlyArray<SharedLimit>
}

/**
 * The whole document.
 *
 * @since 0.1.0
 * @category models
 */
export interface Document {
  readonly source: string
  readonly servers: ReadonlyArray<{ readonly url: string }>
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>
  readonly components: { readonly schemas: Readonly<Record<string, SchemaNode>> }
}

/**
 * One entry of the overrides file: a JSON Patch (RFC 6902) operation and why Twitch needs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Override {
  readonly op: "add" | "replace" | "remove" | "move"
  readonly path: string
  readonly from?: string
  readonly value?: unknown
  readonly why: string
}

/**
 * The spec exactly as copied (before overrides).
 *
 * @since 0.1.0
 * @category data
 */
export const original: Document = specFile

/**
 * The fixes, in the order they are applied.
 *
 * @since 0.1.0
 * @category data
 */
export const overrides: ReadonlyArray<Override> = overridesFile.overrides.map((o) => {
  if (o.op !== "add" && o.op !== "replace" && o.op !== "remove" && o.op !== "move") {
    throw new Error(`helix-overrides.json: unknown op "${o.op}" at ${o.path}`)
  }
  return { ...o, op: o.op }
})

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

const isContainer = (value: Json | undefined): value is Array<Json> | { [key: string]: Json } =>
  typeof value === "object" && value !== null

const tokens = (pointer: string): Array<string> =>
  pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"))

/** The parent container and last key of a pointer; throws when the parent does not exist. */
const locate = (
  root: Json,
  pointer: string
): { parent: Array<Json> | { [key: string]: Json }; key: string } => {
  const parts = tokens(pointer)
  const key = parts.pop()
  let node: Json | undefined = root
  for (const part of parts) {
    node = isContainer(node) ? (Array.isArray(node) ? node[Number(part)] : node[part]) : undefined
  }
  if (key === undefined || !isContainer(node)) {
    throw new Error(`helix-overrides.json: no parent for ${pointer}`)
  }
  return { parent: node, key }
}

const read = (root: Json, pointer: string): Json => {
  const { key, parent } = locate(root, pointer)
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key]
  if (value === undefined) throw new Error(`helix-overrides.json: nothing at ${pointer}`)
  return value
}

const write = (root: Json, pointer: string, value: Json, mustExist: boolean): void => {
  const { key, parent } = locate(root, pointer)
  if (Array.isArray(parent)) {
    if (key === "-") parent.push(value)
    else parent.splice(Number(key), mustExist ? 1 : 0, value)
    return
  }
  if (mustExist && !(key in parent)) throw new Error(`helix-overrides.json: nothing to replace at ${pointer}`)
  parent[key] = value
}

const remove = (root: Json, pointer: string): Json => {
  const value = read(root, pointer)
  const { key, parent } = locate(root, pointer)
  if (Array.isArray(parent)) parent.splice(Number(key), 1)
  else delete parent[key]
  return value
}

const toJson = (value: unknown): Json => JSON.parse(JSON.stringify(value ?? null))

/**
 * Applies overrides to a document (a copy: the input is not changed). Throws naming the entry when
 * a path does not exist, so a spec update that moves a fixed field is noticed at once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const applyOverrides = (document: Document, entries: ReadonlyArray<Override>): Document => {
  const root = toJson(document)
  for (const entry of entries) {
    switch (entry.op) {
      case "add":
        write(root, entry.path, toJson(entry.value), false)
        break
      case "replace":
        write(root, entry.path, toJson(entry.value), true)
        break
      case "remove":
        remove(root, entry.path)
        break
      case "move":
        if (entry.from === undefined) {
          throw new Error(`helix-overrides.json: move without from at ${entry.path}`)
        }
        write(root, entry.path, remove(root, entry.from), false)
        break
    }
  }
  // The JSON round trip above yields the same shape the `Document` type describes.
  const patched: Document = JSON.parse(JSON.stringify(root))
  return patched
}

/**
 * The spec with every override applied: what the generator and the mock read.
 *
 * @since 0.1.0
 * @category data
 */
export const spec: Document = applyOverrides(original, overrides)

/**
 * An operation with where it lives.
 *
 * @since 0.1.0
 * @category models
 */
export interface Located {
  readonly path: string
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly operation: Operation
}

const methods: Readonly<Record<string, Located["method"]>> = {
  get: "GET",
  post: "POST",
  put: "PUT",
  patch: "PATCH",
  delete: "DELETE"
}

/**
 * Every operation of a document, in spec order.
 *
 * @since 0.1.0
 * @category accessors
 */
export const operationsOf = (document: Document): ReadonlyArray<Located> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const upper = Object.hasOwn(methods, method) ? methods[method] : undefined
      if (upper === undefined) throw new Error(`helix spec: unknown method ${method} at ${path}`)
      return { path, method: upper, operation }
    })
  )

/**
 * Every operation of {@link spec}.
 *
 * @since 0.1.0
 * @category data
 */
export const operations: ReadonlyArray<Located> = operationsOf(spec)

/**
 * The schema a `$ref` points at, or the node itself.
 *
 * @since 0.1.0
 * @category accessors
 */
export const resolve = (node: SchemaNode, document: Document = spec): SchemaNode => {
  if (node.$ref === undefined) return node
  const name = node.$ref.split("/").pop() ?? ""
  const target = document.components.schemas[name]
  if (target === undefined) throw new Error(`helix spec: unknown $ref ${node.$ref}`)
  return target
}
