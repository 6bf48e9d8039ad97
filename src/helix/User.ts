/**
 * The `User` of Get Users.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FastDecode from "./FastDecode.js"
import { EmptyAsNone, wire } from "./internal/wire.js"

/**
 * A Twitch user.
 *
 * @since 0.1.0
 * @category models
 */
export class User extends Schema.Class<User>("effect-twitcher/User")({
  id: Schema.String,
  login: Schema.String,
  displayName: wire(Schema.String, "display_name"),
  /** `""`, `admin`, `global_mod` or `staff`. */
  type: Schema.String,
  /** `""`, `affiliate` or `partner`. */
  broadcasterType: wire(Schema.String, "broadcaster_type"),
  description: Schema.String,
  profileImageUrl: wire(Schema.String, "profile_image_url"),
  offlineImageUrl: wire(EmptyAsNone, "offline_image_url"),
  /** Deprecated by Twitch ("any data in this field is not valid"); kept for completeness. */
  viewCount: FastDecode.optionalOption(Schema.Number).pipe(Schema.fromKey("view_count")),
  /** Only for the token's own user with `user:read:email`. */
  email: FastDecode.optionalOption(Schema.String),
  createdAt: wire(Schema.Date, "created_at")
}) {
  /** Whether the user is a partner or affiliate. */
  get isPartner(): boolean {
    return this.broadcasterType === "partner"
  }
  /** The email as an `Option` with empty strings removed. */
  get knownEmail(): Option.Option<string> {
    return Option.filter(this.email, (e) => e !== "")
  }
}
