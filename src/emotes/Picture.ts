/**
 * How a picture is asked for: its scale (1 to 4, the sizes every emote service knows by some name)
 * and the theme of the background it is drawn on. Each source maps them to its own names: Twitch
 * emotes `1.0`/`2.0`/`3.0`, badges `1x`/`2x`/`4x`, cheermotes `1`...`4`, BTTV `1x`-`3x`, FFZ
 * `1`/`2`/`4`, 7TV `1x`-`4x`; a scale a source lacks falls back to its nearest smaller one.
 *
 * @since 0.1.0
 */

/**
 * A picture scale: 1 (28 px for Twitch emotes, 18 px for badges), 2, 3 or 4 (the largest).
 *
 * @since 0.1.0
 * @category models
 */
export type Scale = 1 | 2 | 3 | 4

/**
 * The background a picture is drawn for (Twitch emotes and cheermotes have both).
 *
 * @since 0.1.0
 * @category models
 */
export type Theme = "dark" | "light"

/**
 * The scale and theme of every picture a resolver links to. Defaults: scale 1, dark.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly scale?: Scale | undefined
  readonly theme?: Theme | undefined
}

/**
 * The URL at `scale` from a partial table of URLs by scale: the asked one, else the nearest
 * smaller, else the nearest larger; `undefined` for an empty table.
 *
 * @since 0.1.0
 * @category utils
 */
export const pick = (
  urls: Readonly<Partial<Record<Scale, string>>>,
  scale: Scale
): string | undefined => {
  const order: ReadonlyArray<Scale> = [scale, ...([4, 3, 2, 1] as const).filter((s) => s < scale), 1, 2, 3, 4]
  for (const s of order) {
    const url = urls[s]
    if (url !== undefined) return url
  }
  return undefined
}
