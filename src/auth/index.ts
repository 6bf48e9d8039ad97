/**
 * Auth: the token `Ref` layer, login flows and validation.
 *
 * @since 0.1.0
 */
export * as AccessToken from "./AccessToken.js"
export * as IdServer from "./IdServer.js"
export * as Login from "./Login.js"
export * as LoginServer from "./LoginServer.js"
export * as OAuth from "./OAuth.js"
export * as TokenStore from "./TokenStore.js"
export * as TwitchAuth from "./TwitchAuth.js"
