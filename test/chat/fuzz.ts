/**
 * Generators for fuzzing the parsers: lines of random characters, and real lines edited at random
 * (characters inserted, removed, overwritten, a tag's value replaced, the line rotated). The edits
 * also insert numbers and lists (as in emotes and badges), and pieces of
 * the other seed lines (a command, a tag, a number, a channel), as a fuzzer's dictionary does, so
 * that a tag of one message or the command of another reaches paths that random characters
 * rarely reach. Measured with V8 block coverage of `src/chat` over three seeds: 30k lines reach
 * all of `parseIrcLine` that 100k lines of the earlier character-only edits reached, and 45k
 * (with `emoteLines`) more blocks of `parseTwitchLine` than those 100k did.
 */
import * as FastCheck from "effect/FastCheck"

/** A string of `min` to `max` characters from `chars`. */
const text = (chars: FastCheck.Arbitrary<string>, min: number, max: number): FastCheck.Arbitrary<string> =>
  FastCheck.array(chars, { minLength: min, maxLength: max }).map((cs) => cs.join(""))

/** The pieces of `lines` between IRC's and Twitch's separators, each piece once. */
const pieces = (lines: ReadonlyArray<string>): ReadonlyArray<string> => {
  const found = new Set<string>()
  for (const line of lines) {
    for (const piece of line.split(/(?=[ ;@:!,/=])/)) if (piece.length > 0) found.add(piece)
  }
  return [...found]
}

/** The characters of tag values that hold numbers, ranges and lists (emotes, badges, flags). */
const numeric = FastCheck.constantFrom("0", "1", "9", "-", ":", ",", "/", ".", "_", " ", "=", ";")

/** `line` with the value of its `at`-th tag (counting from 0, wrapping) replaced by `value`. */
const tagValue = (line: string, at: number, value: string): string => {
  const end = line.startsWith("@") ? line.indexOf(" ") : -1
  if (end < 0) return line
  const starts: Array<number> = []
  for (let i = line.indexOf("="); i >= 0 && i < end; i = line.indexOf("=", i + 1)) starts.push(i + 1)
  if (starts.length === 0) return line
  const start = starts[at % starts.length]
  const semi = line.indexOf(";", start)
  const stop = semi >= 0 && semi < end ? semi : end
  return line.slice(0, start) + value + line.slice(stop)
}

/**
 * One of `seeds` with up to `edits` edits at random places, each inserting, removing or
 * overwriting random characters or a piece of any seed, or rotating the line.
 */
export const mutated = (
  seeds: ReadonlyArray<string>,
  chars: FastCheck.Arbitrary<string>,
  edits: number
): FastCheck.Arbitrary<string> => {
  const insert = FastCheck.oneof(
    { arbitrary: text(chars, 0, 8), weight: 2 },
    { arbitrary: text(numeric, 0, 12), weight: 1 },
    { arbitrary: FastCheck.constantFrom(...pieces(seeds)), weight: 1 }
  )
  return FastCheck.tuple(
    FastCheck.constantFrom(...seeds),
    FastCheck.array(FastCheck.tuple(FastCheck.nat(), FastCheck.nat(4), insert), { maxLength: edits })
  ).map(([seed, changes]) => {
    let line = seed
    for (const [at, kind, piece] of changes) {
      const i = line.length === 0 ? 0 : at % (line.length + 1)
      if (kind === 0) line = line.slice(0, i) + piece + line.slice(i)
      else if (kind === 1) line = line.slice(0, i) + line.slice(i + 1 + piece.length)
      else if (kind === 2) line = line.slice(0, i) + piece + line.slice(i + piece.length)
      else if (kind === 3) line = tagValue(line, at, piece)
      else line = line.slice(i) + line.slice(0, i)
    }
    return line
  })
}

/** A range of an emote: positions near the start of a short text, sometimes past its end. */
const range = FastCheck.tuple(FastCheck.nat(24), FastCheck.nat(6)).map(([start, length]) =>
  `${start}-${start + length}`
)

/**
 * `template` (a PRIVMSG with an `emotes` tag) with a generated emote list and a text of ASCII,
 * accented letters, emoji and lone surrogates: the paths of emote decoding that edits of a real
 * line rarely reach (ranges in code points over UTF-16 text, overlaps, unsorted lists).
 */
export const emoteLines = (template: string): FastCheck.Arbitrary<string> => {
  const spec = FastCheck.array(
    FastCheck.tuple(
      FastCheck.constantFrom("25", "1902", "emotesv2_abc"),
      FastCheck.array(range, { minLength: 1, maxLength: 3 })
    ),
    { maxLength: 3 }
  ).map((emotes) => emotes.map(([id, ranges]) => `${id}:${ranges.join(",")}`).join("/"))
  const letters = FastCheck.constantFrom("a", "K", " ", "é", "😂", "👍🏽", "\uD83D", "\uDE02", "ß")
  const body = FastCheck.array(letters, { maxLength: 24 }).map((cs) => cs.join(""))
  const tags = template.indexOf(" ")
  const trailing = template.indexOf(" :", tags + 1)
  return FastCheck.tuple(spec, body).map(([emotes, textPart]) =>
    template.slice(0, tags).replace(/emotes=[^;]*/, `emotes=${emotes}`) + template.slice(tags, trailing) +
    " :" +
    textPart
  )
}
