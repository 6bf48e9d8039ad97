/**
 * Terminal output for the main job and the `twitcher` CLI: aligned tables, colors when the terminal
 * supports them (none when piped or with `NO_COLOR`), and chat colors in 24-bit where possible.
 *
 * @since 0.1.0
 */

/**
 * How to style output.
 *
 * @since 0.1.0
 * @category models
 */
export interface Style {
  readonly color: boolean
}

/**
 * Colors on when stdout is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb`;
 * `FORCE_COLOR` forces them on.
 *
 * @since 0.1.0
 * @category constructors
 */
export const detect = (stream: { readonly isTTY?: boolean } = process.stdout): Style => {
  const env = process.env
  if (env["FORCE_COLOR"] !== undefined && env["FORCE_COLOR"] !== "0") return { color: true }
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return { color: false }
  return { color: stream.isTTY === true && env["TERM"] !== "dumb" }
}

const sgr = (open: string, close: string) => (style: Style, text: string) =>
  style.color ? `\u001b[${open}m${text}\u001b[${close}m` : text

/**
 * Bold text.
 *
 * @since 0.1.0
 * @category styling
 */
export const bold = sgr("1", "22")

/**
 * Dim text.
 *
 * @since 0.1.0
 * @category styling
 */
export const dim = sgr("2", "22")

/**
 * Green text (success).
 *
 * @since 0.1.0
 * @category styling
 */
export const green = sgr("32", "39")

/**
 * Red text (failure).
 *
 * @since 0.1.0
 * @category styling
 */
export const red = sgr("31", "39")

/**
 * Cyan text (headings, names).
 *
 * @since 0.1.0
 * @category styling
 */
export const cyan = sgr("36", "39")

/**
 * Yellow text (warnings, badges).
 *
 * @since 0.1.0
 * @category styling
 */
export const yellow = sgr("33", "39")

/**
 * Text in a `#RRGGBB` color (a chatter's chat color); unchanged when colors are off or the color is
 * not a valid hex color.
 *
 * @since 0.1.0
 * @category styling
 */
export const hex = (style: Style, color: string | undefined, text: string): string => {
  if (!style.color || color === undefined) return text
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  if (match === null) return text
  const [r, g, b] = [match[1], match[2], match[3]].map((h) => parseInt(h, 16))
  return `\u001b[38;2;${r};${g};${b}m${text}\u001b[39m`
}

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" })

// Emoji shown as emoji (two columns): default emoji presentation, a pictograph with VS16, a
// keycap, or a flag (a pair of regional indicators).
const emojiCluster = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\u20E3|\p{Regional_Indicator}/u
// Clusters that take no column: combining marks, format characters (ZWJ, ZWSP, BOM), controls.
const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]+$/u

// East Asian Wide and Fullwidth code points (Unicode's EastAsianWidth.txt W and F, by block).
const wideRanges: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x3fffd]
]

const isWide = (cp: number): boolean => wideRanges.some(([from, to]) => cp >= from && cp <= to)

/** The columns one grapheme cluster takes on a terminal: 0, 1 or 2. */
const clusterWidth = (cluster: string): number => {
  if (zeroWidth.test(cluster)) return 0
  if (emojiCluster.test(cluster)) return 2
  return isWide(cluster.codePointAt(0) ?? 0) ? 2 : 1
}

/**
 * The width a string takes on screen, without ANSI codes, measured per grapheme cluster as
 * terminals draw them: East Asian wide and fullwidth characters (CJK, kana, Hangul) and emoji take
 * two columns (a ZWJ sequence, a flag or a skin tone is one emoji), combining marks and zero-width
 * characters none.
 *
 * @since 0.1.0
 * @category utils
 */
export const width = (text: string): number => {
  let w = 0
  for (const { segment } of graphemes.segment(text.replace(ansi, ""))) w += clusterWidth(segment)
  return w
}

/**
 * Cuts a string to at most `max` columns, ending with `…` when cut; never inside a grapheme
 * cluster (an emoji sequence, a letter with its accents).
 *
 * @since 0.1.0
 * @category utils
 */
export const truncate = (text: string, max: number): string => {
  if (width(text) <= max) return text
  let out = ""
  let used = 0
  for (const { segment } of graphemes.segment(text)) {
    const w = clusterWidth(segment)
    if (used + w > max - 1) break
    out += segment
    used += w
  }
  return `${out}…`
}

/**
 * A column of a table: a header, a cell per row, alignment and an optional maximum width.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column<A> {
  readonly header: string
  readonly cell: (row: A) => string
  readonly align?: "left" | "right"
  readonly maxWidth?: number
}

/**
 * Renders rows as an aligned table with a header line; one string, lines joined by `\n`.
 *
 * @since 0.1.0
 * @category rendering
 */
export const table = <A>(style: Style, rows: ReadonlyArray<A>, columns: ReadonlyArray<Column<A>>): string => {
  const cells = rows.map((row) =>
    columns.map((c) => (c.maxWidth === undefined ? c.cell(row) : truncate(c.cell(row), c.maxWidth)))
  )
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]))))
  const pad = (text: string, i: number) => {
    const fill = " ".repeat(Math.max(0, widths[i] - width(text)))
    return columns[i].align === "right" ? fill + text : text + fill
  }
  const header = columns.map((c, i) => bold(style, pad(c.header, i))).join("  ").trimEnd()
  const lines = cells.map((r) => r.map(pad).join("  ").trimEnd())
  return [header, ...lines].join("\n")
}

/**
 * A section heading.
 *
 * @since 0.1.0
 * @category rendering
 */
export const heading = (style: Style, text: string): string => `\n${bold(style, cyan(style, `== ${text}`))}`

/**
 * Formats a number with thousands separators.
 *
 * @since 0.1.0
 * @category utils
 */
export const count = (n: number): string => n.toLocaleString("en-US")

// Terminal escape sequences, 7-bit and 8-bit forms: CSI (`ESC [` / U+009B) up to its final byte;
// OSC, DCS, SOS, PM, APC strings up to BEL or ST (or to the end when never terminated); any other
// two-byte escape (`ESC c`, `ESC 7`, ...).
const escapeSequence = new RegExp(
  [
    "(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]",
    "(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d-\\u009f])[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)",
    "\\u001b[ -/]*[0-~]"
  ].join("|"),
  "g"
)

const lineBreakOrTab = /[\t\n\r]/g
// eslint-disable-next-line no-control-regex
const control = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * Makes text from elsewhere (chat messages, names, notices) safe to print on a terminal: removes
 * ANSI/VT escape sequences (colors, cursor moves, screen clears, OSC titles and clipboard writes)
 * and every other C0/C1 control character; tabs and line breaks become spaces. Printable text,
 * emoji included, is kept.
 *
 * @since 0.1.0
 * @category utils
 */
export const sanitize = (text: string): string =>
  text.replace(escapeSequence, "").replace(lineBreakOrTab, " ").replace(control, "")

/**
 * Shows every C0/C1 control character of `text` as a visible `\xNN` escape (ESC as `\x1b`), for
 * output meant to stay close to the bytes received (`chat read --raw`) without letting them act on
 * the terminal.
 *
 * @since 0.1.0
 * @category utils
 */
export const escapeControls = (text: string): string =>
  text.replace(control, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
