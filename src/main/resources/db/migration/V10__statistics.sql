-- Operator statistics (statistics package). Every card gets a dense index, 0, 1, 2, … in the
-- order cards were created, never reused or changed: the position of the card's bit in the sets
-- of cards that tapped on a day. The map carries it, so a tap marks its card's bit with no lookup
-- of its own. Existing cards are numbered in card-number order.
CREATE SEQUENCE card_index_seq AS integer MINVALUE 0 START 0;
ALTER TABLE cards ADD COLUMN card_index integer;
UPDATE cards SET card_index = numbered.i
  FROM (SELECT card_no, (row_number() OVER (ORDER BY card_no) - 1)::integer AS i FROM cards) numbered
 WHERE cards.card_no = numbered.card_no;
SELECT setval('card_index_seq', coalesce((SELECT max(card_index) + 1 FROM cards), 0), false);
ALTER TABLE cards ALTER COLUMN card_index SET DEFAULT nextval('card_index_seq');
ALTER TABLE cards ALTER COLUMN card_index SET NOT NULL;
ALTER TABLE cards ADD CONSTRAINT cards_card_index_key UNIQUE (card_index);
ALTER SEQUENCE card_index_seq OWNED BY cards.card_index;

-- The change log carries the index too (a node catching up from the log fills its map from it).
ALTER TABLE card_status_log ADD COLUMN card_index integer;
UPDATE card_status_log log SET card_index = cards.card_index FROM cards WHERE cards.card_no = log.card_no;

-- Sets of cards: 0 = tapped, 1 = tapped while personalized, 2 = denied HES_RISK (the people the
-- Ministry of Interior hears about). Istanbul dates.
--
-- What nodes flush: the card indexes each node saw for the first time since its last flush, one
-- row per node, day and set. Append-only and small (new cards only, never a bitmap rewrite).
CREATE TABLE statistics_card_deltas (
    day         date        NOT NULL,
    card_set    smallint    NOT NULL CHECK (card_set BETWEEN 0 AND 2),
    node        text        NOT NULL,
    flushed_at  timestamptz NOT NULL DEFAULT now(),
    indexes     integer[]   NOT NULL
);
CREATE INDEX statistics_card_deltas_day_idx ON statistics_card_deltas (day, card_set);

-- Once nobody wrote to an ended day for statistics.compactAfterSeconds, one node compacts its
-- deltas into bitmaps: chunk c holds the cards with index 65536·c … 65536·c + 65535, the card
-- 65536·c + o in bit 7 - o % 8 of byte o / 8 (bit_count counts the cards). The month's rows are
-- the OR of its days' rows, so that a year is 12 months of rows, not 365 days of them.
CREATE TABLE statistics_day_cards (
    day       date       NOT NULL,
    card_set  smallint   NOT NULL CHECK (card_set BETWEEN 0 AND 2),
    chunk     integer    NOT NULL CHECK (chunk >= 0),
    bits      bytea      NOT NULL CHECK (octet_length(bits) = 8192),
    PRIMARY KEY (day, card_set, chunk)
);
CREATE TABLE statistics_month_cards (
    month     date       NOT NULL CHECK (extract(day FROM month) = 1),
    card_set  smallint   NOT NULL CHECK (card_set BETWEEN 0 AND 2),
    chunk     integer    NOT NULL CHECK (chunk >= 0),
    bits      bytea      NOT NULL CHECK (octet_length(bits) = 8192),
    PRIMARY KEY (month, card_set, chunk)
);
-- The distinct cards of each compacted day and set, kept as the bitmaps are written: a year of
-- daily figures reads 1,095 numbers, not 1,095 × 523 bitmap rows.
CREATE TABLE statistics_day_counts (
    day       date     NOT NULL,
    card_set  smallint NOT NULL CHECK (card_set BETWEEN 0 AND 2),
    cards     bigint   NOT NULL CHECK (cards >= 0),
    PRIMARY KEY (day, card_set)
);
CREATE TABLE statistics_compacted_days (
    day           date        PRIMARY KEY,
    compacted_at  timestamptz NOT NULL DEFAULT now(),
    by_node       text        NOT NULL
);

-- Taps per day by decision, reason and the rule's mode, summed over the nodes (each flush adds its counts).
CREATE TABLE statistics_day_taps (
    day       date   NOT NULL,
    decision  text   NOT NULL CHECK (decision IN ('ALLOW', 'DENY')),
    reason    text   NOT NULL CHECK (reason ~ '^[A-Z_]{1,32}$'),
    mode      text   NOT NULL CHECK (mode IN ('ENFORCE', 'MONITOR', 'OFF')),
    taps      bigint NOT NULL CHECK (taps >= 0),
    PRIMARY KEY (day, decision, reason, mode)
);

-- The population as it stood: one row per day, taken once by one node after the day ended
-- (within a flush interval of midnight while nodes run), so a past day's figures never change;
-- the row of today is refreshed every statistics.populationRefreshSeconds and marked live.
CREATE TABLE statistics_day_population (
    day              date        PRIMARY KEY,
    live             boolean     NOT NULL,
    taken_at         timestamptz NOT NULL DEFAULT now(),
    cards            bigint      NOT NULL,
    personalized     bigint      NOT NULL,
    hes_linked       bigint      NOT NULL,
    hes_expired      bigint      NOT NULL,
    risky_holders    bigint      NOT NULL,
    suspended_cards  bigint      NOT NULL,
    blocked          bigint      NOT NULL
);
