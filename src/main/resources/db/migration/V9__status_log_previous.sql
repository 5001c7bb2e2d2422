-- Each change-log row also carries the card's decision inputs just before the change, so that a
-- card's state before its first logged change (as bulk-loaded, or as inserted) stays known once
-- the card has changed: the hotlist's changes since a version rebuild every card's membership at
-- that version from the log alone. Null in rows written before this migration (unknown: the
-- hotlist answers in full when it would need one of them).
ALTER TABLE card_status_log
    ADD COLUMN prev_kind           card_kind,
    ADD COLUMN prev_blocked        boolean,
    ADD COLUMN prev_hes_linked     boolean,
    ADD COLUMN prev_hes_expires_on date,
    ADD COLUMN prev_risky          boolean;
