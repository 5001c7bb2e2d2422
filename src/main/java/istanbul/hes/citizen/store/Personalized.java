package istanbul.hes.citizen.store;

/**
 * The outcome of a personalization: the card is registered to the caller. {@code alreadyOwned}
 * when it already was (a repeat: the contact data and consents were refreshed, nothing else).
 */
public record Personalized(long card, boolean alreadyOwned) {}
