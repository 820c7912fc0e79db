-- spend_lines stored in the order of its key (issue 12): on SQLite, 0033 rebuilds the table
-- WITHOUT ROWID, kept as the B-tree of (import, position). PostgreSQL keeps a table apart from
-- its indexes and has no such table; the version is here so that both databases number their
-- migrations alike. Nothing changes.
SELECT 1;
