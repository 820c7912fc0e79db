-- Named variants of a plan: each override a row, in order.
CREATE TABLE plan_scenario_overrides (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    scenario TEXT NOT NULL,
    position INTEGER NOT NULL,
    change TEXT NOT NULL,
    UNIQUE (plan_id, scenario, position)
);
