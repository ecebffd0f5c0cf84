-- A client's cancel names the order by a ClOrdID of its own (FIX 11 of the OrderCancelRequest), and
-- the engine then treats that id as the order's: it refuses it for a new order and answers a cancel
-- naming it about this order. The order's CANCELED event with reason USER (1) carries it from this
-- version on (rows written before carry the order's own ClOrdID), and the lookup by ClOrdID reads
-- those events too.
DROP INDEX order_events_by_cl_ord_id;
CREATE INDEX order_events_by_cl_ord_id ON order_events (account_id, cl_ord_id) WHERE type IN (1, 4) OR (type = 3 AND reason = 1);
