-- What the order types of issue 16 add to an order. An iceberg's peak (FIX MaxFloor) and a GTD
-- order's expire time cannot change by a replace: they are on the order, 0 where they do not
-- apply. A held stop's stop price can: it is on the order's ACCEPTED and REPLACED events, NULL on
-- the others and for orders that are not stops, and the order's is the last one given.
ALTER TABLE orders ADD COLUMN display_qty BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN expire_time BIGINT NOT NULL DEFAULT 0;
ALTER TABLE order_events ADD COLUMN stop_price BIGINT;
