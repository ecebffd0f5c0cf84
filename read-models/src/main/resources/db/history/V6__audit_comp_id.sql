-- The CompID an audit record names (AuditRecorded.compId, journal schema version 6): the FIX
-- session's SenderCompID on LOGON, SEQUENCE_RESERVED and SESSION_CLAIMED, `query` for a password
-- refused at the query side; empty for the other records, the other activity lines, and the rows
-- written before this column (delete the store to rebuild them from the journal).
ALTER TABLE activity ADD COLUMN comp_id VARCHAR(32) NOT NULL DEFAULT '';
