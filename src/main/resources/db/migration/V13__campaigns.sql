-- The personalization campaign for anonymous cards (issue 15): contacts people registered for
-- the anonymous cards they hold, campaigns operators run over them, and each contact's notice.

-- A person's contact for an anonymous card: a phone (verified by a challenge) or an app's push
-- token, with the consent to receive personalization notices. Personal data: the address is
-- encrypted (address_enc, NULL once removed), address_hash is the keyed hash an SMS keyword
-- opt-out finds the phone by. One contact per person and card.
CREATE TABLE campaign_contacts (
    contact_id     bigserial   PRIMARY KEY,
    card_no        bigint      NOT NULL,
    holder_hash    bytea       NOT NULL CHECK (octet_length(holder_hash) = 32),
    channel        text        NOT NULL CHECK (channel IN ('SMS', 'PUSH')),
    address_enc    bytea,
    address_hash   bytea       CHECK (octet_length(address_hash) = 32),
    language       text        NOT NULL CHECK (language IN ('tr', 'en')),
    consent_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    opted_out_at   timestamptz,
    opt_out_source text        CHECK (opt_out_source IN ('LINK', 'KEYWORD', 'REMOVED')),
    UNIQUE (card_no, holder_hash),
    CHECK ((opted_out_at IS NULL) = (opt_out_source IS NULL)),
    CHECK (address_enc IS NOT NULL OR opted_out_at IS NOT NULL)
);
CREATE INDEX campaign_contacts_address_idx ON campaign_contacts (address_hash) WHERE opted_out_at IS NULL;

-- A campaign: its texts (Turkish and English, with the personalization address), channels,
-- target, send rate and quiet hours (Istanbul time), and where it stands.
CREATE TABLE campaigns (
    campaign_id          bigserial   PRIMARY KEY,
    name                 text        NOT NULL,
    template_tr          text        NOT NULL,
    template_en          text        NOT NULL,
    push_title_tr        text        NOT NULL,
    push_title_en        text        NOT NULL,
    personalization_url  text        NOT NULL,
    channels             text[]      NOT NULL,
    active_within_days   integer     CHECK (active_within_days BETWEEN 1 AND 366),
    rate_per_second      integer     NOT NULL CHECK (rate_per_second > 0),
    quiet_from           time,
    quiet_to             time,
    state                text        NOT NULL CHECK (state IN ('DRAFT', 'RUNNING', 'PAUSED', 'DONE')),
    created_at           timestamptz NOT NULL DEFAULT now(),
    created_by           text        NOT NULL,
    started_at           timestamptz,
    finished_at          timestamptz,
    changed_at           timestamptz NOT NULL DEFAULT now(),
    changed_by           text        NOT NULL,
    CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
);

-- Each contact a started campaign targets, at most once (the primary key): PENDING until sent,
-- SENDING while a notice is with a gateway (a node killed then leaves it to be sent again with
-- the same reference, which the gateway recognizes), then SENT, FAILED (refused, or retries
-- exhausted), OPTED_OUT (the person withdrew before their turn) or SKIPPED (the card was
-- personalized meanwhile: the notice has no purpose).
CREATE TABLE campaign_targets (
    campaign_id      bigint      NOT NULL REFERENCES campaigns,
    contact_id       bigint      NOT NULL,
    state            text        NOT NULL DEFAULT 'PENDING'
                                 CHECK (state IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'OPTED_OUT', 'SKIPPED')),
    attempts         smallint    NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT '-infinity',
    last_error       text,
    done_at          timestamptz,
    PRIMARY KEY (campaign_id, contact_id)
);
CREATE INDEX campaign_targets_open_idx ON campaign_targets (campaign_id, contact_id) WHERE state IN ('PENDING', 'SENDING');
CREATE INDEX campaign_targets_state_idx ON campaign_targets (campaign_id, state);
