/**
 * Auth: the token `Ref` layer, login flows and validation.
 *
 * @since 0.1.0
 */
export * as AccessToken from "./AccessToken.js"
export * as TwitchAuth from "./TwitchAuth.js"
