/**
 * What the EventSub generator does where Twitch's reference contradicts itself: one decision per
 * `docsConflicts` entry of src/spec/eventsub.json, keyed `type@version path`. The generator fails
 * when an entry has no decision here, so a new conflict in a refreshed facts file is decided, not
 * guessed. The reasons are in docs/eventsub-decisions.md.
 */

/** How a field is decoded where the reference and the examples disagree. */
export type FieldDecision =
  /** An integer that may come as a numeric string. */
  | "IntOrString"
  /** A boolean that may come as `"true"`/`"false"`. */
  | "BooleanOrString"
  /** A string (an id) that may come as a number. */
  | "StringOrNumber"
  /** A message object that may come as plain text: the text becomes `{ text, fragments: [] }`. */
  | "MessageOrText"
  /** A list that may come as one object: always a list. */
  | "OneOrMany"
  /** The facts file already resolved it (`used`): its field tree is followed as is. */
  | "AsResolved"

/** How the condition is sent where the reference table and the examples disagree. */
export interface ConditionDecision {
  /** Wire name -> the name sent instead. */
  readonly rename: Readonly<Record<string, string>>
}

/** Field decisions, by `type@version path`. */
export const fieldDecisions: Readonly<Record<string, FieldDecision>> = {
  "automod.message.hold@1 event.message": "MessageOrText",
  "automod.message.update@1 event.message": "MessageOrText",
  "channel.ad_break.begin@1 event.duration_seconds": "IntOrString",
  "channel.ad_break.begin@1 event.is_automatic": "BooleanOrString",
  "channel.chat.notification@1 event.message.text": "AsResolved",
  "channel.chat.notification@1 event.charity_donation": "AsResolved",
  "channel.chat.notification@1 event.message.fragments.[].cheermote.prefix": "AsResolved",
  "channel.prediction.progress@1 event.outcomes.[].top_predictors.[].user_id": "StringOrNumber",
  "channel.prediction.lock@1 event.outcomes.[].top_predictors.[].user_id": "StringOrNumber",
  "channel.prediction.end@1 event.outcomes.[].top_predictors.[].user_id": "StringOrNumber",
  "channel.suspicious_user.message@1 event.message.fragments.[].cheermote.bits": "IntOrString",
  "channel.suspicious_user.message@1 event.message.fragments.[].cheermote.tier": "IntOrString",
  "drop.entitlement.grant@1 event.data": "OneOrMany"
}

/** Condition decisions, by `type@version`. */
export const conditionDecisions: Readonly<Record<string, ConditionDecision>> = {
  "channel.ad_break.begin@1": { rename: { broadcaster_id: "broadcaster_user_id" } }
}

/** Conflicts about the request that need nothing from the models, with what is sent. */
export const requestDecisions: Readonly<Record<string, string>> = {
  "channel.moderate@2 request.version": "version \"2\" is sent (overview table and webhook example)"
}
