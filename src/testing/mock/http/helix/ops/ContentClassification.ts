/**
 * Content classification labels: Twitch's six labels, in English (the mock has no other locale).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { data, type Handlers } from "../Handler.js"

const labels: ReadonlyArray<readonly [string, string, string]> = [
  [
    "DebatedSocialIssuesAndPolitics",
    "Politics and Sensitive Social Issues",
    "Discussions or debates about politics or sensitive social issues such as elections, civic integrity, military conflict, and civil rights in a polarizing manner."
  ],
  [
    "DrugsIntoxication",
    "Drugs, Intoxication, or Excessive Tobacco Use",
    "Excessive tobacco glorification or promotion, any marijuana consumption/use, legal drug and alcohol induced intoxication, discussions of illegal drugs."
  ],
  [
    "Gambling",
    "Gambling",
    "Participating in online or in-person gambling, poker or fantasy sports, that involve the exchange of real money."
  ],
  ["MatureGame", "Mature-rated game", "Games that are rated Mature or less suitable for a younger audience."],
  [
    "ProfanityVulgarity",
    "Significant Profanity or Vulgarity",
    "Prolonged, and repeated use of obscenities, profanities, and vulgarities, especially as a regular part of speech."
  ],
  [
    "SexualThemes",
    "Sexual Themes",
    "Content that focuses on sexualized physical attributes and activities, sexual topics, or experiences."
  ],
  [
    "ViolentGraphic",
    "Violent and Graphic Depictions",
    "Simulations and/or depictions of realistic violence, gore, extreme injury, or death."
  ]
]

/**
 * The content classification labels handler.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-content-classification-labels": () =>
    Effect.succeed(data(labels.map(([id, name, description]) => ({ id, description, name }))))
}
