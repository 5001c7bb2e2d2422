package istanbul.hes.citizen.store;

/** The outcome of a link: {@code created} false when the same code was already linked to this card (idempotent repeat). */
public record Linked(HesLink link, boolean created) {}
