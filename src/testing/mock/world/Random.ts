/**
 * The world's deterministic random generator (mulberry32 over a 32-bit state). The default world
 * is drawn from one {@link Generator}; later values (token strings, codes, stream ids) come from
 * {@link randomString} over the state kept in `WorldState.rng`. Same seed, same world, same tokens.
 *
 * @since 0.1.0
 */

/**
 * One mulberry32 step: a float in [0, 1) and the next state.
 *
 * @since 0.1.0
 * @category utils
 */
export const step = (state: number): readonly [number, number] => {
  const next = (state + 0x6D2B79F5) | 0
  let t = next
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next]
}

/**
 * Lower-case letters and digits (token values, codes).
 *
 * @since 0.1.0
 * @category constants
 */
export const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"

/**
 * Lower-case hex digits (`emotesv2_` ids).
 *
 * @since 0.1.0
 * @category constants
 */
export const HEX = "0123456789abcdef"

/**
 * Upper-case letters without `I` and `O` (device user codes).
 *
 * @since 0.1.0
 * @category constants
 */
export const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"

/**
 * `length` characters drawn from `alphabet`, and the state after them.
 *
 * @since 0.1.0
 * @category utils
 */
export const randomString = (state: number, length: number, alphabet: string): readonly [string, number] => {
  let s = state
  let out = ""
  for (let i = 0; i < length; i++) {
    const [r, n] = step(s)
    s = n
    out += alphabet[Math.floor(r * alphabet.length)]
  }
  return [out, s]
}

/**
 * A version-4-shaped UUID (`8-4-4-4-12` hex, as Twitch's poll, reward and redemption ids) drawn
 * from `state`, and the state after it.
 *
 * @since 0.1.0
 * @category utils
 */
export const randomUuid = (state: number): readonly [string, number] => {
  const [hex, next] = randomString(state, 30, HEX)
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-a${hex.slice(15, 18)}-${
    hex.slice(18, 30)
  }`
  return [id, next]
}

/**
 * A local generator for building a world in one go (its state advances with each draw).
 *
 * @since 0.1.0
 * @category models
 */
export interface Generator {
  /** A float in [0, 1). */
  readonly float: () => number
  /** An integer in [min, max]. */
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly string: (length: number, alphabet: string) => string
  readonly uuid: () => string
  /** The state after the draws so far. */
  readonly state: () => number
}

/**
 * A {@link Generator} seeded with `seed`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generator = (seed: number): Generator => {
  let state = seed | 0
  const float = (): number => {
    const [r, n] = step(state)
    state = n
    return r
  }
  return {
    float,
    int: (min: number, max: number): number => min + Math.floor(float() * (max - min + 1)),
    pick: <A>(items: ReadonlyArray<A>): A => items[Math.floor(float() * items.length)],
    string: (length: number, alphabet: string): string => {
      const [s, n] = randomString(state, length, alphabet)
      state = n
      return s
    },
    uuid: (): string => {
      const [id, n] = randomUuid(state)
      state = n
      return id
    },
    state: (): number => state
  }
}
