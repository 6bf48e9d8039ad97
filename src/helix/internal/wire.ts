/**
 * Schema building blocks for Helix's wire format (internal).
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/** A Helix string where `""` means "none". */
export const EmptyAsNone = Schema.OptionFromNonEmptyTrimmedString

/** An RFC 3339 timestamp where `""` means "none" (e.g. `started_at` of an offline channel). */
export const OptionalDate = Schema.transform(Schema.String, Schema.OptionFromSelf(Schema.ValidDateFromSelf), {
  strict: true,
  decode: (s) => {
    if (s.trim() === "") return Option.none()
    const date = new Date(s)
    return Number.isNaN(date.getTime()) ? Option.none() : Option.some(date)
  },
  encode: (d) => Option.match(d, { onNone: () => "", onSome: (date) => date.toISOString() })
})

/** Renames a wire field (snake_case) to a model field. */
export const wire = <S extends Schema.Schema.All>(schema: S, key: string) =>
  Schema.propertySignature(schema).pipe(Schema.fromKey(key))

/** Fills Twitch's `{width}x{height}` URL templates. */
export const fillSize = (template: string, width: number, height: number): string =>
  template.replace("{width}", String(width)).replace("{height}", String(height))

/** A tag list that Twitch may send as `null`: decoded as an array, `[]` for `null`. */
export const Tags = Schema.transform(
  Schema.NullOr(Schema.Array(Schema.String)),
  Schema.Array(Schema.String),
  {
    strict: true,
    decode: (tags) => tags ?? [],
    encode: (tags) => tags
  }
)

/** An optional tag list field, `[]` when missing or `null`. */
export const optionalTags = Schema.optionalWith(Tags, { default: () => [] })

/** Splits a list into batches of at most `size` (Helix takes at most 100 ids per request). */
export const batches = <A>(items: ReadonlyArray<A>, size = 100): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
