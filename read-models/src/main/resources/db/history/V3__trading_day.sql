-- The daily rows belong to the exchange's trading day (dev.bourse.readmodels.TradingDay), not the
-- UTC calendar day: a day ends at the journal's whole-exchange DayEnded. daily_summary is keyed by
-- the trading day's number; trading_days names each day by its date (days since 1970-01-01, only
-- growing, one day per date), which is what ?date= and /api/v1/daily-summary look up. The daily
-- candle is the daily_summary row, so the candles table keeps the intraday intervals only.
--
-- Rows written before this migration were by calendar day: each such day becomes a trading day
-- whose number and date are its epoch day, and the sink continues the latest one. (Delete the
-- store to rebuild every day from the journal by trading day.)

ALTER TABLE daily_summary RENAME COLUMN epoch_day TO trading_day;

CREATE TABLE trading_days (
    trading_day BIGINT PRIMARY KEY,
    trade_date  INTEGER NOT NULL
);
CREATE INDEX trading_days_by_date ON trading_days (trade_date);
INSERT INTO trading_days (trading_day, trade_date) SELECT DISTINCT trading_day, trading_day FROM daily_summary;

DELETE FROM candles WHERE interval_seconds = 86400;

-- The sink's current trading day: its number and its date (-1 before the first entry).
ALTER TABLE sink_checkpoint ADD COLUMN trading_day BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sink_checkpoint ADD COLUMN trade_date BIGINT NOT NULL DEFAULT -1;
UPDATE sink_checkpoint SET
    trading_day = COALESCE((SELECT MAX(trading_day) FROM daily_summary), 1),
    trade_date = CASE WHEN position < 0 THEN -1
        ELSE COALESCE((SELECT MAX(trading_day) FROM daily_summary), entry_timestamp / 86400000000000) END
    WHERE id = 1;
