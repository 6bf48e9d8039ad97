/**
 * Fast decoding of Helix answers. `Schema` stays the source of truth: {@link compile} turns a
 * schema's AST into plain functions once, and a value is decoded by them; whenever they meet
 * anything they do not handle, or the input does not fit, the value is decoded by `Schema` itself,
 * so results and errors are always `Schema`'s. Classes registered with {@link register} are built
 * without running their constructor again (Effect's costs about 2 us per object). Optional fields
 * decoded to an `Option` take the fast path when built with {@link optionalOption} or
 * {@link optionalNullableOption} (`Schema.optionalWith`'s own, known by identity); any other
 * property transformation is run as `Schema` runs it.
 *
 * Effect's parser spends most of its time on machinery (issues, `Either` per step, defaults per
 * construction): about 14-20 us per Get Streams item against 2 us for `JSON.parse`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

const FAIL: unique symbol = Symbol.for("effect-twitcher/FastDecode/fail")

type Decoder = (input: unknown) => unknown

const options: AST.ParseOptions = {}

const classes = new WeakMap<AST.AST, object>()

/** The schemas {@link fast} wraps, by the wrapper's AST: compiled through to the schema inside. */
const wrappers = new WeakMap<AST.AST, AST.AST>()

/**
 * Lets {@link compile} build instances of these `Schema.Class`es by prototype instead of running
 * their constructor: the same own fields and prototype as `new C(props, true)`. Only for classes
 * without instance field initializers of their own (models with methods and getters are fine).
 *
 * @since 0.1.0
 * @category registration
 */
export const register = (
  ...schemas: ReadonlyArray<{ readonly ast: AST.AST; readonly prototype: object }>
): void => {
  for (const schema of schemas) classes.set(schema.ast, schema.prototype)
}

/**
 * The inline check of a primitive keyword (`typeof v === "string"`...), written into generated
 * code instead of a call to its decoder; `undefined` for any other node.
 */
const leafCheck = (ast: AST.AST, value: string): string | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return `typeof ${value} === "string"`
    case "NumberKeyword":
      return `typeof ${value} === "number"`
    case "BooleanKeyword":
      return `typeof ${value} === "boolean"`
    default:
      return undefined
  }
}

/** Generated code that decodes `value` into `target` with decoder `d[i]`, or inline for a leaf. */
const decodeInto = (ast: AST.AST, decoders: string, i: number, value: string, target: string): string => {
  const check = leafCheck(ast, value)
  return check === undefined
    ? `${target} = ${decoders}[${i}](${value}); if (${target} === FAIL) return FAIL`
    : `if (!(${check})) return FAIL; ${target} = ${value}`
}

/** A decoder that runs Effect's own parser for a node the compiler does not handle. */
const viaSchema = (ast: AST.AST): Decoder => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (input) => {
    const result = decode(input)
    return Either.isRight(result) ? result.right : FAIL
  }
}

/**
 * The value of one of `ParseResult`'s results: a `Right`'s value; `FAIL` for a `Left` or an
 * effect that is not an `Either` (asynchronous, or needing a service). Read by tag: this runs for
 * every transformed field, and `Either.isEither`'s symbol lookup showed in profiles.
 */
const settle = (result: unknown): unknown => {
  if (typeof result !== "object" || result === null) return FAIL
  const either = result as { readonly _tag?: unknown; readonly right?: unknown }
  // Only an `Either`'s right side is tagged "Right" among ParseResult's results.
  return either._tag === "Right" ? either.right : FAIL
}

const isRecord = (input: unknown): input is Readonly<Record<PropertyKey, unknown>> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const typeLiteral = (ast: AST.TypeLiteral, go: (ast: AST.AST) => Decoder): Decoder => {
  if (ast.propertySignatures.length === 0 && ast.indexSignatures.length === 0) return viaSchema(ast)
  if (ast.propertySignatures.length > 0 && ast.indexSignatures.length > 0) return viaSchema(ast)
  if (ast.indexSignatures.length > 1) return viaSchema(ast)
  const index = ast.indexSignatures[0]
  if (index !== undefined) {
    if (index.parameter._tag !== "StringKeyword") return viaSchema(ast)
    const value = go(index.type)
    return (input) => {
      if (!isRecord(input)) return FAIL
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(input)) {
        const decoded = value(input[key])
        if (decoded === FAIL) return FAIL
        out[key] = decoded
      }
      return out
    }
  }
  // One function per object shape with constant keys, so V8 keeps the objects fast; the keys are
  // quoted with JSON.stringify and the field decoders are passed in, never spliced into the code.
  const names = ast.propertySignatures.map((ps) => ps.name)
  if (names.some((name) => typeof name !== "string")) return viaSchema(ast)
  const decoders = ast.propertySignatures.map((ps) => go(ps.type))
  const lines = ast.propertySignatures.map((ps, i) => {
    const key = JSON.stringify(ps.name)
    const decode = `${decodeInto(ps.type, "d", i, `input[${key}]`, "v")}; out[${key}] = v`
    return ps.isOptional ? `if (hasOwn.call(input, ${key})) { ${decode} }` : decode
  })
  return specialize(
    ["d"],
    `if (typeof input !== "object" || input === null || Array.isArray(input)) return FAIL
    const out = {}
    let v
    ${lines.join("\n    ")}
    return out`
  )(decoders) ?? viaSchema(ast)
}

/**
 * Builds `(input) => ...` from a body, with `FAIL`, `hasOwn` and the given parameters in scope;
 * `undefined` where generating code is not allowed (a strict CSP, Cloudflare Workers): then
 * Effect's own parser decodes that node.
 */
const specialize =
  (parameters: ReadonlyArray<string>, body: string) =>
  (...args: ReadonlyArray<unknown>): Decoder | undefined => {
    try {
      // The body is assembled above from our own templates and JSON-quoted keys.
      const factory = new Function(
        "FAIL",
        "hasOwn",
        ...parameters,
        `return function decode(input) {\n${body}\n}`
      )
      return factory(FAIL, Object.prototype.hasOwnProperty, ...args)
    } catch {
      return undefined
    }
  }

const stringNames = (ast: AST.TypeLiteral): ReadonlyArray<string> | undefined => {
  if (ast.indexSignatures.length > 0) return undefined
  const names = ast.propertySignatures.map((ps) => ps.name)
  return names.every((n): n is string => typeof n === "string") ? names : undefined
}

/** What an optional-to-`Option` field made by {@link optionalOption} does besides a missing key. */
interface OptionField {
  /** `null` decodes to `None` (else it is a value). */
  readonly dropsNull: boolean
}

/**
 * The decode functions of the optional-to-`Option` fields made by {@link optionalOption} and
 * {@link optionalNullableOption}: `Schema.optionalWith` makes a new one for every field, so one
 * found here is that field's, and does what `optionalWith` does for those options.
 */
const optionFields = new WeakMap<object, OptionField>()

/** `field` (made by `optionalWith(..., { as: "Option" })`), its decode function recorded as one. */
const markOption = <P extends Schema.PropertySignature.All>(field: P, option: OptionField): P => {
  if (field.ast._tag === "PropertySignatureTransformation") optionFields.set(field.ast.decode, option)
  return field
}

/**
 * `Schema.optionalWith(schema, { as: "Option" })`: `None` for a missing key or `undefined`, else
 * `Some` of the value. The same schema, which {@link compile} knows and decodes without Effect's
 * machinery; a field built with `optionalWith` itself (or any other transformation) is decoded
 * through its own transformation, as `Schema` does, only slower.
 *
 * @since 0.1.0
 * @category fields
 */
export const optionalOption = <S extends Schema.Schema.All>(
  schema: S
): Schema.optionalWith<S, { readonly as: "Option" }> =>
  markOption(Schema.optionalWith(schema, { as: "Option" }), { dropsNull: false })

/**
 * `Schema.optionalWith(schema, { as: "Option", nullable: true })`: `None` for a missing key,
 * `null` or `undefined`, else `Some` of the value; known to {@link compile} as
 * {@link optionalOption} is.
 *
 * @since 0.1.0
 * @category fields
 */
export const optionalNullableOption = <S extends Schema.Schema.All>(
  schema: S
): Schema.optionalWith<S, { readonly as: "Option"; readonly nullable: true }> =>
  markOption(Schema.optionalWith(schema, { as: "Option", nullable: true }), { dropsNull: true })

/**
 * The field of `pst` when it is one {@link optionalOption} or {@link optionalNullableOption} made
 * (found by its decode function, not by trying it: a transformation of the user's that agrees on
 * a few values may differ on others), with the Option's value schema; `undefined` for any other
 * transformation, which takes the general path.
 */
const optionField = (
  pst: AST.PropertySignatureTransformation,
  to: AST.AST
): { readonly dropsNull: boolean; readonly value: AST.AST } | undefined => {
  const option = optionFields.get(pst.decode)
  if (option === undefined || to._tag !== "Declaration" || to.typeParameters.length !== 1) return undefined
  const constructor = AST.getAnnotation<{ readonly _tag: string }>(to, AST.TypeConstructorAnnotationId)
  if (!(Option.isSome(constructor) && constructor.value._tag === "effect/Option")) return undefined
  return { dropsNull: option.dropsNull, value: to.typeParameters[0] }
}

/**
 * A struct with renamed or defaulted fields (`Schema.fromKey`, `optionalWith`): Effect decodes the
 * wire object, renames into a new object, then decodes that into a third. This does the three in
 * one pass with the same checks, writing straight into `prototype`'s instance for a registered
 * class. `undefined` when the shape is not one it handles (chained renames depend on order).
 */
const renamedStruct = (
  ast: AST.Transformation,
  go: (ast: AST.AST) => Decoder,
  prototype: object | undefined
): Decoder | undefined => {
  const { from, to, transformation: step } = ast
  if (step._tag !== "TypeLiteralTransformation" || from._tag !== "TypeLiteral" || to._tag !== "TypeLiteral") {
    return undefined
  }
  const wireNames = stringNames(from)
  const typedNames = stringNames(to)
  const psts = step.propertySignatureTransformations
  const froms = new Set<PropertyKey>(psts.map((pst) => pst.from))
  if (wireNames === undefined || typedNames === undefined) return undefined
  if (new Set(psts.map((pst) => pst.to)).size !== psts.length) return undefined
  if (psts.some((pst) => froms.has(pst.to) && pst.to !== pst.from)) return undefined
  const wireIndex = new Map(wireNames.map((name, i) => [name, i]))
  const lines: Array<string> = []
  const options: Array<Decoder> = []
  from.propertySignatures.forEach((ps, i) => {
    const key = JSON.stringify(ps.name)
    const decode = decodeInto(ps.type, "d", i, `input[${key}]`, `w${i}`)
    // Effect decodes a missing required key as `undefined` (and keeps it when that passes).
    lines.push(
      ps.isOptional
        ? `const h${i} = hasOwn.call(input, ${key}); let w${i}; if (h${i}) { ${decode} }`
        : `const h${i} = true; let w${i}; ${decode}`
    )
  })
  lines.push(`const out = proto === undefined ? {} : Object.create(proto)`)
  to.propertySignatures.forEach((ps, j) => {
    const key = JSON.stringify(ps.name)
    const write = (value: string) => `v = t[${j}](${value}); if (v === FAIL) return FAIL; out[${key}] = v`
    const missing = ps.isOptional ? "" : ` else { ${write("undefined")} }`
    const k = psts.findIndex((pst) => pst.to === ps.name)
    const pst = psts[k]
    // A wire value decoded by its field's schema already is what the typed side checks (Effect's
    // decoding ends with its type side): it is written as it is, for a field passed through or
    // renamed (`fromKey`, whose transformation is `identity`) to exactly that type.
    const direct = (i: number | undefined) =>
      i !== undefined && AST.typeAST(from.propertySignatures[i].type) === ps.type
    if (pst !== undefined && pst.decode === identity && typeof pst.from === "string") {
      const i = wireIndex.get(pst.from)
      if (i !== undefined && direct(i)) {
        lines.push(`if (h${i}) { out[${key}] = w${i} }${missing}`)
        return
      }
    }
    if (pst !== undefined) {
      const i = wireIndex.get(String(pst.from))
      const option = i === undefined || typeof pst.from !== "string" ? undefined : optionField(pst, ps.type)
      if (i !== undefined && option !== undefined) {
        // `optionalWith(..., { as: "Option" })`: None for a missing key, undefined (and null where
        // it drops it), else Some of the value decoded by the Option's own schema. Built directly:
        // Effect's path makes two or three Options per field to get there.
        const absent = [`!h${i}`, `w${i} === undefined`, ...(option.dropsNull ? [`w${i} === null`] : [])]
          .join(
            " || "
          )
        options.push(go(option.value))
        lines.push(
          `if (${absent}) { out[${key}] = none() } else { v = ov[${
            options.length - 1
          }](w${i}); if (v === FAIL) return FAIL; out[${key}] = some(v) }`
        )
        return
      }
      const source = i === undefined || typeof pst.from !== "string"
        ? "none()"
        : `h${i} ? some(w${i}) : none()`
      lines.push(`o = p[${k}].decode(${source}); if (o._tag === "Some") { ${write("o.value")} }${missing}`)
      return
    }
    const i = wireIndex.get(String(ps.name))
    if (i !== undefined && !froms.has(ps.name)) {
      lines.push(`if (h${i}) { ${direct(i) ? `out[${key}] = w${i}` : write(`w${i}`)} }${missing}`)
    } else if (!ps.isOptional) lines.push(write("undefined"))
  })
  return specialize(
    ["d", "t", "p", "some", "none", "proto", "ov"],
    `if (typeof input !== "object" || input === null || Array.isArray(input)) return FAIL
    let v, o
    ${lines.join("\n    ")}
    return out`
  )(
    from.propertySignatures.map((ps) => go(ps.type)),
    to.propertySignatures.map((ps) => go(ps.type)),
    psts,
    Option.some,
    Option.none,
    prototype,
    options
  )
}

const transformation = (ast: AST.Transformation, go: (ast: AST.AST) => Decoder): Decoder => {
  const prototype = classes.get(ast)
  if (prototype !== undefined) {
    // A registered class: build the instance as its constructor would (`Data.Class` assigns the
    // decoded fields to a fresh object with the class's prototype).
    if (ast.from._tag === "Transformation") {
      const direct = renamedStruct(ast.from, go, prototype)
      if (direct !== undefined) return direct
    }
    const from = go(ast.from)
    return (input) => {
      const fields = from(input)
      return fields === FAIL ? FAIL : Object.assign(Object.create(prototype), fields)
    }
  }
  const fused = renamedStruct(ast, go, undefined)
  if (fused !== undefined) return fused
  if (ast.transformation._tag === "TypeLiteralTransformation") return viaSchema(ast)
  const from = go(ast.from)
  const to = go(ast.to)
  const step: Decoder = ast.transformation._tag === "ComposeTransformation"
    ? (a) => a
    : ((final) => (a: unknown) => settle(final.decode(a, options, ast, a)))(ast.transformation)
  return (input) => {
    const a = from(input)
    if (a === FAIL) return FAIL
    const b = step(a)
    return b === FAIL ? FAIL : to(b)
  }
}

/** Option and Date declarations in plain code (as Effect's own `declare`s decode them); others by
 * their own decode function. */
const declaration = (ast: AST.Declaration, go: (ast: AST.AST) => Decoder): Decoder => {
  const constructor = AST.getAnnotation<{ readonly _tag: string }>(ast, AST.TypeConstructorAnnotationId)
  const tag = Option.isSome(constructor) ? constructor.value._tag : undefined
  const [parameter] = ast.typeParameters
  if (tag === "effect/Option" && ast.typeParameters.length === 1 && parameter !== undefined) {
    const value = go(parameter)
    return (input) => {
      if (!Option.isOption(input)) return FAIL
      if (Option.isNone(input)) return input
      const decoded = value(input.value)
      // An `Option` whose value decodes to itself is kept (Options are immutable values).
      return decoded === FAIL ? FAIL : decoded === input.value ? input : Option.some(decoded)
    }
  }
  if (tag === "Date" && ast.typeParameters.length === 0) {
    return (input) => input instanceof Date ? input : FAIL
  }
  const decode = ast.decodeUnknown(...ast.typeParameters)
  return (input) => settle(decode(input, options, ast))
}

/**
 * Effect's own schemas that Helix models use on most fields, decoded in one plain function each
 * with the same checks as their chain of nodes (found by identity: an annotated copy is another
 * AST and takes the general path): `Int`, `Date` (a string through `new Date`, a valid date),
 * `DateFromString` and `OptionFromNonEmptyTrimmedString` (`None` for a blank string).
 */
const known = new Map<AST.AST, Decoder>([
  [Schema.Int.ast, (input) => typeof input === "number" && Number.isSafeInteger(input) ? input : FAIL],
  [Schema.Date.ast, (input) => {
    if (typeof input !== "string") return FAIL
    const date = new Date(input)
    return Number.isNaN(date.getTime()) ? FAIL : date
  }],
  [Schema.DateFromString.ast, (input) => typeof input === "string" ? new Date(input) : FAIL],
  [Schema.OptionFromNonEmptyTrimmedString.ast, (input) => {
    if (typeof input !== "string") return FAIL
    const trimmed = input.trim()
    return trimmed === "" ? Option.none() : Option.some(trimmed)
  }]
])

const compileAst = (ast: AST.AST, memo: Map<AST.AST, Decoder>): Decoder => {
  const plain = known.get(ast)
  if (plain !== undefined) return plain
  const cached = memo.get(ast)
  if (cached !== undefined) return cached
  // A schema met again while compiling itself (recursive, through Suspend) calls the finished
  // decoder through this box.
  const box: { decode: Decoder } = { decode: () => FAIL }
  memo.set(ast, (input) => box.decode(input))
  box.decode = node(ast, (child) => compileAst(child, memo))
  memo.set(ast, box.decode)
  return box.decode
}

const node = (ast: AST.AST, go: (ast: AST.AST) => Decoder): Decoder => {
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? input : FAIL
    case "NumberKeyword":
      return (input) => typeof input === "number" ? input : FAIL
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? input : FAIL
    case "UndefinedKeyword":
      return (input) => input === undefined ? input : FAIL
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "Literal":
      return (input) => input === ast.literal ? input : FAIL
    case "Union": {
      const members = ast.types.map(go)
      return (input) => {
        for (const member of members) {
          const decoded = member(input)
          if (decoded !== FAIL) return decoded
        }
        return FAIL
      }
    }
    case "Refinement": {
      const from = go(ast.from)
      return (input) => {
        const a = from(input)
        return a === FAIL || Option.isSome(ast.filter(a, options, ast)) ? FAIL : a
      }
    }
    case "TupleType": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return viaSchema(ast)
      const item = go(ast.rest[0].type)
      return (input) => {
        if (!Array.isArray(input)) return FAIL
        const out = new Array<unknown>(input.length)
        for (let i = 0; i < input.length; i++) {
          const decoded = item(input[i])
          if (decoded === FAIL) return FAIL
          out[i] = decoded
        }
        return out
      }
    }
    case "TypeLiteral":
      return typeLiteral(ast, go)
    case "Transformation":
      return transformation(ast, go)
    case "Declaration": {
      const inner = wrappers.get(ast)
      return inner === undefined ? declaration(ast, go) : go(inner)
    }
    case "Suspend": {
      let inner: Decoder | undefined
      return (input) => (inner ??= go(ast.f()))(input)
    }
    default:
      return viaSchema(ast)
  }
}

/**
 * The fast decoder of a schema: `Some` of what `Schema.decodeUnknown` would give, or `None` when
 * the fast path did not decode it (then decode with `Schema` for the value or the error). A
 * schema whose decoding needs a service or is asynchronous is never decoded here (`None`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const compile = <A, I, R>(schema: Schema.Schema<A, I, R>): (input: unknown) => Option.Option<A> => {
  const decode = compileAst(schema.ast, new Map())
  return (input) => {
    const out = decode(input)
    // What the compiled functions return is what the schema's own parser returns for the same
    // input (each node mirrors one of Effect's), so it is an `A`; the property tests check it.
    return out === FAIL ? Option.none() : Option.some(out as A)
  }
}

const decoders = new WeakMap<
  Schema.Schema.Any,
  (input: unknown) => Effect.Effect<unknown, unknown, unknown>
>()

/**
 * Decodes with the fast decoder of `schema`, falling back to `Schema.decodeUnknown` for the value
 * or the error when it does not decode: the same results and failures as
 * `Schema.decodeUnknown(schema)`. The decoder is compiled once per schema and kept.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown = <A, I, R>(
  schema: Schema.Schema<A, I, R>
): (input: unknown) => Effect.Effect<A, ParseResult.ParseError, R> => {
  const found = decoders.get(schema)
  // Kept by the schema itself: the decoder stored for it decodes to its `A`.
  if (found !== undefined) return found as (input: unknown) => Effect.Effect<A, ParseResult.ParseError, R>
  const fastDecode = compile(schema)
  const slow = Schema.decodeUnknown(schema)
  const decode = (input: unknown): Effect.Effect<A, ParseResult.ParseError, R> => {
    const out = fastDecode(input)
    return Option.isSome(out) ? Effect.succeed(out.value) : slow(input)
  }
  decoders.set(schema, decode)
  return decode
}

/**
 * `schema` with the fast decoder in front: decodes to the same values, fails with the same issues
 * (those come from `schema` itself), encodes with `schema`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fast = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, unknown> => {
  let decode: ((input: unknown) => Option.Option<A>) | undefined
  const declared = Schema.declare<A, unknown, readonly [Schema.Schema<A, I>]>([schema], {
    decode: (s) => (input) => {
      decode ??= compile(s)
      const out = decode(input)
      return Option.isSome(out) ? ParseResult.succeed(out.value) : ParseResult.decodeUnknown(s)(input)
    },
    encode: (s) => (input) => ParseResult.encodeUnknown(s)(input)
  })
  wrappers.set(declared.ast, schema.ast)
  return declared
}
