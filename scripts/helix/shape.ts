/**
 * How each Helix operation answers, read from its first 2xx response: a paged list, a list, one
 * document, no content, or text. Shared by the model and operation generators.
 */
import * as HelixSpec from "../../src/spec/HelixSpec.js"
import { pascal } from "./naming.js"

/** Where a model comes from: a component (by name) or an inline object (named after its place). */
export interface Root {
  readonly node: HelixSpec.SchemaNode
  /** The name for an inline object at this place. */
  readonly name: string
}

/** The answer of one operation. */
export type Shape =
  | { readonly _tag: "Paged"; readonly item: Root; readonly document: boolean }
  | { readonly _tag: "Items"; readonly item: Root }
  | {
    readonly _tag: "Value"
    readonly value: Root
    readonly unwrapData: boolean
    /** Whether the answer has a `data` list beside other fields (batches join their lists). */
    readonly dataList: boolean
  }
  | { readonly _tag: "NoContent" }
  | { readonly _tag: "Text" }

/** `GetHypeTrainStatusResponse` -> `HypeTrainStatus`: the stem of inline names under an answer. */
export const stem = (component: string): string =>
  component.replace(/Response$/, "").replace(/^Get(?=[A-Z])/, "")

const componentName = (node: HelixSpec.SchemaNode): string | undefined => node.$ref?.split("/").pop()

/** The shape of an operation's answer. */
export const shapeOf = (located: HelixSpec.Located, document: HelixSpec.Document): Shape => {
  const { operation } = located
  const success = Object.entries(operation.responses).find(([status]) => status.startsWith("2"))
  if (success === undefined) throw new Error(`${operation.operationId}: no 2xx response`)
  const content = success[1].content ?? {}
  if (content["text/calendar"] !== undefined) return { _tag: "Text" }
  const json = content["application/json"]?.schema
  if (json === undefined) return { _tag: "NoContent" }
  const name = componentName(json) ?? `${pascal(operation.operationId)}Response`
  const schema = HelixSpec.resolve(json, document)
  const props = schema.properties ?? {}
  const keys = Object.keys(props)
  const data = props["data"]
  const dataNode = data === undefined ? undefined : HelixSpec.resolve(data, document)
  const hasAfter = (operation.parameters ?? []).some((p) => p.name === "after")
  const inline = `${stem(name)}${pascal("data")}`
  const pagination = props["pagination"]
  // Get Extension Live Channels sends the cursor itself as `pagination` (a string): not pageable by
  // the transport, so it is answered whole and the caller passes `after`.
  const cursorObject = pagination !== undefined && HelixSpec.resolve(pagination, document).type === "object"
  const dataList = dataNode?.type === "array" && dataNode.items !== undefined
  if (dataList && dataNode.items !== undefined) {
    const item = { node: dataNode.items, name: inline }
    if (cursorObject && hasAfter) return { _tag: "Paged", item, document: false }
    if (keys.length === 1) return { _tag: "Items", item }
  }
  // A document per page (Get Channel Stream Schedule: the broadcaster, the vacation, a page of segments).
  if (data !== undefined && dataNode?.type === "object" && cursorObject && hasAfter) {
    return { _tag: "Paged", item: { node: data, name: inline }, document: true }
  }
  if (data !== undefined && keys.length === 1) {
    return { _tag: "Value", value: { node: data, name: inline }, unwrapData: true, dataList: false }
  }
  return { _tag: "Value", value: { node: json, name }, unwrapData: false, dataList }
}

/** The schema of a scalar node: `Date` for date-times, `Int` for integers, `Unknown` when untyped. */
export const scalarExpr = (node: HelixSpec.SchemaNode): string => {
  switch (node.type) {
    case "string":
      return node.format === "date-time" ? "Schema.Date" : "Schema.String"
    case "integer":
      return "Schema.Int"
    case "number":
      return "Schema.Number"
    case "boolean":
      return "Schema.Boolean"
    default:
      return "Schema.Unknown"
  }
}
