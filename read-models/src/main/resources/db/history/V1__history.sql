-- The query side's history: everything the journal says that is not hot state. One schema for
-- both stores (SQLite embedded, PostgreSQL): portable types only, and upserts in the
-- INSERT ... ON CONFLICT form both understand. Written only by the history sink, in batches,
-- each committed together with sink_checkpoint, so a replay after a crash writes nothing twice.
-- Prices and amounts are fixed-point longs (price units of 1e-4), timestamps epoch nanoseconds.
-- (sequence, line) orders the rows of one account as the journal does: line counts the rows a
-- journal entry produced, in the order it produced them.

CREATE TABLE sink_checkpoint (
    id              INTEGER PRIMARY KEY,
    position        BIGINT NOT NULL,
    sequence        BIGINT NOT NULL,
    entries         BIGINT NOT NULL,
    events          BIGINT NOT NULL,
    entry_timestamp BIGINT NOT NULL,
    oldest_live_order BIGINT NOT NULL
);
INSERT INTO sink_checkpoint (id, position, sequence, entries, events, entry_timestamp, oldest_live_order)
    VALUES (1, -1, 0, 0, 0, 0, 9223372036854775807);

CREATE TABLE instruments (
    instrument_id    INTEGER PRIMARY KEY,
    symbol           VARCHAR(16) NOT NULL,
    tick_size        BIGINT NOT NULL,
    lot_size         BIGINT NOT NULL,
    min_quantity     BIGINT NOT NULL,
    max_quantity     BIGINT NOT NULL,
    max_notional     BIGINT NOT NULL,
    reference_price  BIGINT NOT NULL,
    price_band_bps   INTEGER NOT NULL,
    status           SMALLINT NOT NULL,
    updated_sequence BIGINT NOT NULL
);

CREATE TABLE accounts (
    account_id       BIGINT PRIMARY KEY,
    created_sequence BIGINT NOT NULL
);

-- An order's fixed attributes; its state is the fold of its order_events. closed_sequence is set
-- when the batch that accepted the order also filled or canceled it; an order closed by a later
-- batch is in order_closes instead (rows are only ever inserted: no updates). After a restart the
-- sink's live orders are the orders from sink_checkpoint.oldest_live_order on that are in neither.
CREATE TABLE orders (
    order_id          BIGINT PRIMARY KEY,
    account_id        BIGINT NOT NULL,
    instrument_id     INTEGER NOT NULL,
    session_id        INTEGER NOT NULL,
    side              SMALLINT NOT NULL,
    ord_type          SMALLINT NOT NULL,
    time_in_force     SMALLINT NOT NULL,
    post_only         SMALLINT NOT NULL,
    stp_mode          SMALLINT NOT NULL,
    cl_ord_id         VARCHAR(20) NOT NULL,
    created_sequence  BIGINT NOT NULL,
    created_timestamp BIGINT NOT NULL,
    closed_sequence   BIGINT
);
CREATE INDEX orders_by_account ON orders (account_id, order_id);

-- Every change of every order: type 1 accepted, 2 fill, 3 canceled, 4 replaced. price/quantity:
-- accepted and replaced the order's, fill the trade's, canceled the order's price and the
-- quantity removed. reason: canceled the cancel reason, replaced 1 if priority was kept, fill 1
-- if the order was the maker. These are also the account's activity lines for its orders, and
-- its fills are the account's executions.
CREATE TABLE order_events (
    order_id     BIGINT NOT NULL,
    sequence     BIGINT NOT NULL,
    line         INTEGER NOT NULL,
    account_id   BIGINT NOT NULL,
    event_time   BIGINT NOT NULL,
    type         SMALLINT NOT NULL,
    price        BIGINT NOT NULL,
    quantity     BIGINT NOT NULL,
    leaves_qty   BIGINT NOT NULL,
    cum_qty      BIGINT NOT NULL,
    cum_notional BIGINT NOT NULL,
    trade_id     BIGINT NOT NULL,
    reason       SMALLINT NOT NULL,
    cl_ord_id    VARCHAR(20) NOT NULL,
    PRIMARY KEY (order_id, sequence, line)
);
CREATE INDEX order_events_by_account ON order_events (account_id, sequence, line);
CREATE INDEX order_events_by_cl_ord_id ON order_events (account_id, cl_ord_id) WHERE type IN (1, 4);
-- An account's executions: the fills of its orders.
CREATE INDEX order_events_fills ON order_events (account_id, sequence, line) WHERE type = 2;

-- Orders filled or canceled by a later batch than the one that accepted them.
CREATE TABLE order_closes (
    order_id        BIGINT PRIMARY KEY,
    closed_sequence BIGINT NOT NULL
);

-- Public trade prints.
CREATE TABLE trades (
    instrument_id  INTEGER NOT NULL,
    trade_id       BIGINT NOT NULL,
    sequence       BIGINT NOT NULL,
    event_time     BIGINT NOT NULL,
    price          BIGINT NOT NULL,
    quantity       BIGINT NOT NULL,
    taker_side     SMALLINT NOT NULL,
    maker_order_id BIGINT NOT NULL,
    taker_order_id BIGINT NOT NULL,
    PRIMARY KEY (instrument_id, trade_id)
);

-- The rest of an account's activity report: account created, deposits and withdrawals, order and
-- cancel rejects, mass cancels, command rejects, audit records (kind as in the CSV report).
CREATE TABLE activity (
    account_id    BIGINT NOT NULL,
    sequence      BIGINT NOT NULL,
    line          INTEGER NOT NULL,
    event_time    BIGINT NOT NULL,
    kind          SMALLINT NOT NULL,
    order_id      BIGINT NOT NULL,
    cl_ord_id     VARCHAR(64) NOT NULL,
    instrument_id INTEGER NOT NULL,
    side          SMALLINT NOT NULL,
    price         BIGINT NOT NULL,
    quantity      BIGINT NOT NULL,
    detail        VARCHAR(200) NOT NULL,
    balance       BIGINT NOT NULL,
    PRIMARY KEY (account_id, sequence, line)
);

-- OHLCV per instrument and interval (1, 60, 3600, 86400 s). The sink adds each batch's trades
-- to a candle: open stays, close is the latest trade, high/low widen, sums add.
CREATE TABLE candles (
    instrument_id    INTEGER NOT NULL,
    interval_seconds INTEGER NOT NULL,
    start_nanos      BIGINT NOT NULL,
    open_price       BIGINT NOT NULL,
    high_price       BIGINT NOT NULL,
    low_price        BIGINT NOT NULL,
    close_price      BIGINT NOT NULL,
    volume           BIGINT NOT NULL,
    notional         BIGINT NOT NULL,
    trade_count      BIGINT NOT NULL,
    PRIMARY KEY (instrument_id, interval_seconds, start_nanos)
);

-- Per instrument and UTC day (days since 1970-01-01): the day's prices and volume, and how many
-- orders were accepted, canceled, replaced and rejected.
CREATE TABLE daily_summary (
    instrument_id   INTEGER NOT NULL,
    epoch_day       INTEGER NOT NULL,
    open_price      BIGINT NOT NULL,
    high_price      BIGINT NOT NULL,
    low_price       BIGINT NOT NULL,
    close_price     BIGINT NOT NULL,
    volume          BIGINT NOT NULL,
    notional        BIGINT NOT NULL,
    trade_count     BIGINT NOT NULL,
    orders_accepted BIGINT NOT NULL,
    orders_canceled BIGINT NOT NULL,
    orders_replaced BIGINT NOT NULL,
    orders_rejected BIGINT NOT NULL,
    PRIMARY KEY (instrument_id, epoch_day)
);
