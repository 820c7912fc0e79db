-- Official finance returns per English authority and year (£ in pence), for the resilience
-- indicators and the comparison of each authority with its class.
CREATE TABLE authority_years (
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    class TEXT NOT NULL,
    year TEXT NOT NULL,
    net_revenue_expenditure BIGINT NOT NULL,
    earmarked_reserves BIGINT NOT NULL,
    unallocated_reserves BIGINT NOT NULL,
    council_tax_requirement BIGINT NOT NULL,
    social_care_spend BIGINT NOT NULL,
    government_grant BIGINT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (code, year)
);
