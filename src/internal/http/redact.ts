/**
 * Keeping secrets out of what the HTTP pipeline records: query parameters that carry a code, a
 * state, a token or a signature are replaced by `<redacted>` wherever a URL is written down (span
 * attributes, log lines, error messages).
 *
 * @since 0.1.0
 * @internal
 */

/**
 * The query parameters whose values are secrets: OAuth codes, states and tokens, client secrets,
 * and the playback token and signature of usher URLs (`token`/`sig` live, `nauth`/`nauthsig` VOD).
 *
 * @since 0.1.0
 * @category constants
 */
export const secretParams: ReadonlyArray<string> = [
  "code",
  "state",
  "token",
  "sig",
  "client_secret",
  "refresh_token",
  "access_token",
  "id_token",
  "device_code",
  "nauth",
  "nauthsig"
]

const secretParam = new RegExp(`([?&#](?:${secretParams.join("|")})=)[^&#\\s"']*`, "gi")

/**
 * A text (a URL, or a message that may quote one) with the value of every secret query parameter
 * replaced by `<redacted>`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactUrl = (text: string): string =>
  text.includes("=") ? text.replace(secretParam, "$1<redacted>") : text

/**
 * Whether a URL carries a secret query parameter (then the platform must not trace it).
 *
 * @since 0.1.0
 * @category redaction
 */
export const hasSecretParam = (url: string): boolean => {
  secretParam.lastIndex = 0
  const found = secretParam.test(url)
  secretParam.lastIndex = 0
  return found
}

/**
 * A URL without its query string and fragment.
 *
 * @since 0.1.0
 * @category redaction
 */
export const withoutQuery = (url: string): string => {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}
