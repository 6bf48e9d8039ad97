/**
 * Writes one service module per Twitch group (a `Context.Tag`, `make`, `layer`) and the index with
 * the table of every service's methods and a layer providing all of them.
 */
import { doc, quote } from "./naming.js"
import type { Method, Service } from "./operations.js"

const runnerCall: Record<Method["shape"], string> = {
  Paged: "paged",
  Items: "items",
  Value: "value",
  NoContent: "noContent",
  Text: "text"
}

/** A paged operation's one-page method: its Stream method's name with `Page`. */
const pageName = (m: Method) => `${m.name}Page`

/** One service module. A paged operation has two methods: every item as a Stream, and one page. */
export const serviceCode = (service: Service): string => {
  const names = service.methods.flatMap((m) => (m.shape === "Paged" ? [m.name, pageName(m)] : [m.name]))
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice !== undefined) throw new Error(`${service.name}: two methods named ${twice}`)
  const members = service.methods.flatMap((m) => {
    const method = `    readonly ${m.name}: OperationRunner.${
      m.optionalParams ? "OptionalMethod" : "Method"
    }<typeof Operations.${m.descriptor}>`
    if (m.shape !== "Paged") return [doc(m.summary, "    ") + method]
    const page = doc([
      m.summary[0] ?? "",
      "One page as an Effect (the cursor of the next, Twitch's `total`); pass a page's cursor for the next."
    ], "    ") +
      `    readonly ${pageName(m)}: OperationRunner.${
        m.optionalParams ? "OptionalPageMethod" : "PageMethod"
      }<typeof Operations.${m.descriptor}>`
    return [doc(m.summary, "    ") + method, page]
  })
  const impl = service.methods.flatMap((m) => {
    const method = m.optionalParams
      ? `    ${m.name}: (params = {}) => run.${runnerCall[m.shape]}(Operations.${m.descriptor})(params)`
      : `    ${m.name}: run.${runnerCall[m.shape]}(Operations.${m.descriptor})`
    if (m.shape !== "Paged") return [method]
    const page = m.optionalParams
      ? `    ${pageName(m)}: (params = {}, cursor) => run.page(Operations.${m.descriptor})(params, cursor)`
      : `    ${pageName(m)}: run.page(Operations.${m.descriptor})`
    return [method, page]
  })
  const tag = service.name
  return `import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as OperationRunner from "../OperationRunner.js"
import * as Operations from "./Operations.js"

${
    doc([`The ${service.group} operations of Helix, one method each.`, "", "@since 0.1.0", "@category tags"])
  }export class ${tag} extends Context.Tag(${
    quote(`effect-twitcher/helix/${tag}`)
  })<${tag}, ${tag}.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace ${tag} {
${doc([`What ${tag} offers.`, "", "@since 0.1.0", "@category models"], "  ")}  export interface Service {
${members.join("\n")}
  }
}

${
    doc([`Builds ${tag} over the operation runner.`, "", "@since 0.1.0", "@category constructors"])
  }export const make: Effect.Effect<${tag}.Service, never, OperationRunner.OperationRunner> = Effect.map(
  OperationRunner.OperationRunner,
  (run) =>
    ${tag}.of({
${impl.join(",\n")}
    })
)

${
    doc([`The ${tag} layer.`, "", "@since 0.1.0", "@category layers"])
  }export const layer: Layer.Layer<${tag}, never, OperationRunner.OperationRunner> = Layer.effect(${tag}, make)
`
}

/** The index: every service, its methods by operation id, and one layer with all. */
export const indexCode = (services: ReadonlyArray<Service>): string => {
  const imports = services.map((s) => `import * as ${s.name} from "./${s.name}.js"`)
  const table = services.map((s) =>
    `  {\n    group: ${quote(s.group)},\n    tag: ${s.name}.${s.name},\n    methods: {\n${
      s.methods.map((m) => `      ${quote(m.operationId)}: ${quote(m.name)}`).join(",\n")
    }\n    }\n  }`
  )
  const union = services.map((s) => `${s.name}.${s.name}`).join("\n  | ")
  return `import * as Layer from "effect/Layer"
import type * as OperationRunner from "../OperationRunner.js"
${imports.join("\n")}

${
    doc([
      "Every generated service with its methods by spec `operationId`.",
      "",
      "@since 0.1.0",
      "@category data"
    ])
  }export const services = [
${table.join(",\n")}
] as const

${doc(["All generated services.", "", "@since 0.1.0", "@category models"])}export type Services =
  | ${union}

${
    doc([
      "Every generated service in one layer (needs the operation runner).",
      "",
      "@since 0.1.0",
      "@category layers"
    ])
  }export const layer: Layer.Layer<Services, never, OperationRunner.OperationRunner> = Layer.mergeAll(
  ${services.map((s) => `${s.name}.layer`).join(",\n  ")}
)
`
}
