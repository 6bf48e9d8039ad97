import { describe, expect, it } from "@effect/vitest"
import { httpError, parseErrorBody, responseError, stepOf } from "../../../src/internal/http/failure.js"
import { hasSecretParam, redactUrl, withoutQuery } from "../../../src/internal/http/redact.js"

const answer = (status: number, text: string) => ({
  status,
  headers: {},
  text,
  info: () => ({ method: "GET", url: "https://api.twitch.tv/helix/x" })
})

describe("HTTP failure mapping", () => {
  it("reads every Twitch error body shape", () => {
    expect(parseErrorBody(`{"error":"Bad Request","status":400,"message":"bad id"}`)).toEqual({
      error: "Bad Request",
      message: "bad id"
    })
    expect(parseErrorBody(`{"errors":[{"message":"a"},{"message":"b"}]}`)).toEqual({ message: "a; b" })
    expect(
      parseErrorBody(`[{"error":"Content Restricted","error_code":"content_geoblocked","type":"error"}]`)
    )
      .toEqual({ error: "Content Restricted", errorCode: "content_geoblocked" })
    expect(parseErrorBody("  <html>busy</html> ")).toEqual({ message: "<html>busy</html>" })
    expect(parseErrorBody("")).toEqual({})
    expect(parseErrorBody("42")).toEqual({})
  })

  it("maps 401 and scope 403s to NotAuthorized, the rest to HttpError with usher's code first", () => {
    const invalid = responseError(answer(401, `{"message":"Invalid OAuth token"}`))
    expect(invalid._tag === "NotAuthorized" && invalid.reason).toBe("InvalidToken")
    const scope = responseError(answer(403, `{"message":"Missing scope: moderator:read:chatters"}`))
    expect(scope._tag === "NotAuthorized" && scope.scope).toBe("moderator:read:chatters")
    const forbidden = responseError(answer(403, `{"error":"Forbidden","message":"not a mod"}`))
    expect(forbidden._tag === "HttpError" && forbidden.twitchMessage).toBe("not a mod")
    const geo = httpError(answer(403, `[{"error":"Content Restricted","error_code":"content_geoblocked"}]`))
    expect([geo.error, geo.twitchMessage]).toEqual(["content_geoblocked", "Content Restricted"])
  })

  it("names the step of a cause from its code, system call or message", () => {
    expect(stepOf("ENOTFOUND", "getaddrinfo", "")).toBe("DNS")
    expect(stepOf("ECONNREFUSED", "connect", "")).toBe("Connect")
    expect(stepOf("ERR_SSL_WRONG_VERSION_NUMBER", undefined, "")).toBe("TLS")
    expect(stepOf("ECONNRESET", undefined, "Client network socket disconnected before secure TLS connection"))
      .toBe("TLS")
    expect(stepOf("DEPTH_ZERO_SELF_SIGNED_CERT", undefined, "self-signed certificate")).toBe("TLS")
    expect(stepOf("UND_ERR_SOCKET", undefined, "other side closed")).toBe("Reset")
    expect(stepOf("UND_ERR_HEADERS_TIMEOUT", undefined, "")).toBe("Timeout")
    expect(stepOf(undefined, undefined, "something odd")).toBe("Other")
  })

  it("redacts secret query parameters and nothing else", () => {
    const url = "https://usher.ttvnw.net/api/v2/channel/hls/x.m3u8?sig=abc123&token=%7B%22a%22%3A1%7D&p=42"
    expect(redactUrl(url)).toBe(
      "https://usher.ttvnw.net/api/v2/channel/hls/x.m3u8?sig=<redacted>&token=<redacted>&p=42"
    )
    expect(redactUrl("http://localhost:3000/?code=c0de&state=s7&scope=chat%3Aread")).toBe(
      "http://localhost:3000/?code=<redacted>&state=<redacted>&scope=chat%3Aread"
    )
    expect(redactUrl("GET https://x/?client_secret=s&refresh_token=r&access_token=a&nauthsig=n failed"))
      .toBe(
        "GET https://x/?client_secret=<redacted>&refresh_token=<redacted>&access_token=<redacted>&nauthsig=<redacted> failed"
      )
    // Names that merely end like a secret parameter are kept.
    expect(redactUrl("https://x/helix/users?login=code&broadcaster_state=a")).toBe(
      "https://x/helix/users?login=code&broadcaster_state=a"
    )
    expect(hasSecretParam(url)).toBe(true)
    expect(hasSecretParam(url)).toBe(true)
    expect(hasSecretParam("https://api.twitch.tv/helix/streams?first=100")).toBe(false)
    expect(withoutQuery(url)).toBe("https://usher.ttvnw.net/api/v2/channel/hls/x.m3u8")
  })
})
