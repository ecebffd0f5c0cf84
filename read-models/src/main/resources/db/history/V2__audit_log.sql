-- The audit log (/api/v1/audit) reads the activity lines of kind AUDIT of every account in journal order.
CREATE INDEX activity_by_kind ON activity (kind, sequence, line);
