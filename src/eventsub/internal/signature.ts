/**
 * Twitch's webhook signature: `sha256=` and the lowercase hex HMAC-SHA256, keyed with the
 * subscription's secret, of the message id, the timestamp and the raw body bytes, concatenated in
 * that order. Compared in constant time.
 */
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"

/** The signature header value Twitch sends for a message. */
export const sign = (
  secret: Redacted.Redacted<string>,
  messageId: string,
  timestamp: string,
  body: Uint8Array
): string =>
  `sha256=${
    Crypto.createHmac("sha256", Redacted.value(secret)).update(messageId).update(timestamp).update(body)
      .digest("hex")
  }`

/** Whether `header` is the signature of the message (constant time for headers of the right length). */
export const verify = (
  secret: Redacted.Redacted<string>,
  messageId: string,
  timestamp: string,
  body: Uint8Array,
  header: string
): boolean => {
  const expected = Buffer.from(sign(secret, messageId, timestamp, body), "utf8")
  const given = Buffer.from(header.toLowerCase(), "utf8")
  return given.length === expected.length && Crypto.timingSafeEqual(given, expected)
}

/** Whether a secret is one Twitch takes: 10 to 100 ASCII characters. */
export const validSecret = (secret: Redacted.Redacted<string>): boolean =>
  /^[\x20-\x7e]{10,100}$/.test(Redacted.value(secret))
