/**
 * The playlist area's requests (GQL, usher, the emote CDN) on the library's one HTTP pipeline:
 * one time limit per call, URLs recorded without their query (usher's carries the playback
 * token and signature), error bodies read like every other area's. Not exported from the package.
 *
 * @since 0.1.0
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import * as HttpPipeline from "../../internal/http/pipeline.js"

export type { Answer } from "../../internal/http/failure.js"
export { httpError, parseErrorBody } from "../../internal/http/failure.js"
export { withoutQuery } from "../../internal/http/redact.js"

/**
 * The pipeline of one of the area's services (`gql`, `usher`, `emotes`): no retries, `timeout`
 * per call, URLs recorded as their path.
 *
 * @since 0.1.0
 * @internal
 */
export const pipeline = (
  client: HttpClient.HttpClient,
  area: "gql" | "usher" | "emotes",
  timeout: Duration.DurationInput
): HttpPipeline.Pipeline =>
  HttpPipeline.make(client, {
    area,
    timeout,
    urls: "path",
    ...(area === "emotes" ? { body: "bytes" } : {}),
    // GQL calls may carry a Client-Integrity token.
    ...(area === "gql" ? { secretHeaders: ["client-integrity"] } : {})
  })
