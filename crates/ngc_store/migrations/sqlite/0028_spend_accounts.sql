-- Spend into the ledger (issue 12): the expenditure account each imported line is charged to
-- (`expenditure:{service}:{subjective}`, by the expense-code mapping of its import), so the
-- lines behind a summarised journal (one per file, month and account, whose postings name
-- `{import}/{month}` as their source) are found again. NULL for lines imported before the
-- ledger took spend: those were never posted.
ALTER TABLE spend_lines ADD COLUMN account TEXT;
