-- The hotlist for offline validators (GET /v1/hotlist): the cards denied for a reason of their
-- own, read in card order without touching the 34 M rows that are not.
-- Denied whatever the date: blocked, or personalized with a risky holder or no HES code.
CREATE INDEX cards_hotlist_idx ON cards (card_no)
    WHERE blocked OR (kind = 'PERSONALIZED' AND (risky OR NOT hes_linked));
-- Denied from the day their HES code expires (and the cards whose code expired between two
-- versions of a validator's list).
CREATE INDEX cards_hes_expiry_idx ON cards (hes_expires_on, card_no)
    WHERE kind = 'PERSONALIZED' AND hes_linked AND NOT blocked AND NOT risky;
