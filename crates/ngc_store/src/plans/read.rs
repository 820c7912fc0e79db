//! Reading a stored plan back into the domain's `Plan`, on a pool connection or inside a
//! write transaction (to compare before replacing).

use crate::tx::{TxInner, WriteTx};
use crate::{Backend, Store, StoreError};
use ngc_domain::finance::mtfp::{
    Assumptions, BaseLine, CouncilTaxBase, FundingLine, Plan, Pressure, Uncertainty,
};
use ngc_domain::finance::reserves::Reserve;
use ngc_domain::finance::savings::{DeliveryUpdate, Evidence, Saving};
use ngc_domain::finance::scenario::{Override, Scenario};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use sqlx::{PgConnection, SqliteConnection};
use std::collections::BTreeMap;
use std::str::FromStr;

/// One connection of either backend.
enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Runs `$body` with `$c` bound to the connection, typed for each backend.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Sqlite(inner) => {
                let $c = &mut **inner;
                $body
            }
            Conn::Postgres(inner) => {
                let $c = &mut **inner;
                $body
            }
        }
    };
}

fn parse<T: FromStr>(value: &str, column: &str) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    crate::organisations::decode(value, column)
}

fn pct(value: &str, column: &str) -> Result<Decimal, StoreError> {
    parse(value, column)
}

fn year(value: &str) -> Result<FinancialYear, StoreError> {
    parse(value, "year")
}

type PlanRow = (String, String, String, String, i32, i64, String, String);
type AssumptionRow = (String, String, String, String, String, String, String);
type PressureRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);
type SavingRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

const PLAN: &str = "SELECT o.slug, p.name, p.authority_class, p.first_year, p.years, p.band_d, p.tax_base, \
    p.minimum_reserve_pct FROM plans p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1";
const BASE: &str =
    "SELECT service, subjective, amount FROM plan_base_lines WHERE plan_id = $1 ORDER BY id";
const ASSUMPTIONS: &str = "SELECT year, pay_award_pct, general_inflation_pct, social_care_inflation_pct, \
    tax_base_growth_pct, council_tax_increase_pct, asc_precept_pct FROM plan_assumptions \
    WHERE plan_id = $1 ORDER BY id";
const DEMOGRAPHY: &str =
    "SELECT year, service, pct FROM plan_demography WHERE plan_id = $1 ORDER BY id";
const PRESSURES: &str = "SELECT id, reference, kind, service, description, low_pct, high_pct \
    FROM plan_pressures WHERE plan_id = $1 ORDER BY id";
const PRESSURE_AMOUNTS: &str = "SELECT a.pressure_id, a.year, a.amount FROM plan_pressure_amounts a \
    JOIN plan_pressures p ON p.id = a.pressure_id WHERE p.plan_id = $1";
const FUNDING: &str =
    "SELECT source, year, amount FROM plan_funding WHERE plan_id = $1 ORDER BY id";
const SAVINGS: &str = "SELECT id, reference, title, service, category, owner, rag, delivered_to_date, \
    evidence_kind, evidence_reference FROM plan_savings WHERE plan_id = $1 ORDER BY id";
const SAVING_AMOUNTS: &str = "SELECT a.saving_id, a.year, a.amount FROM plan_saving_amounts a \
    JOIN plan_savings s ON s.id = a.saving_id WHERE s.plan_id = $1";
const DELIVERY: &str = "SELECT s.reference, d.year, d.month, d.delivered, d.rag, d.note \
    FROM plan_delivery_updates d JOIN plan_savings s ON s.id = d.saving_id WHERE s.plan_id = $1 ORDER BY d.id";
const RESERVES: &str =
    "SELECT id, name, kind, opening FROM plan_reserves WHERE plan_id = $1 ORDER BY id";
const OVERRIDES: &str = "SELECT scenario, change FROM plan_scenario_overrides WHERE plan_id = $1 \
    ORDER BY id";
const RESERVE_USE: &str = "SELECT u.reserve_id, u.year, u.amount FROM plan_reserve_use u \
    JOIN plan_reserves r ON r.id = u.reserve_id WHERE r.plan_id = $1";

fn amounts_by(
    rows: Vec<(i64, String, i64)>,
) -> Result<BTreeMap<i64, BTreeMap<FinancialYear, Money>>, StoreError> {
    let mut out: BTreeMap<i64, BTreeMap<FinancialYear, Money>> = BTreeMap::new();
    for (owner, y, amount) in rows {
        out.entry(owner)
            .or_default()
            .insert(year(&y)?, Money::pence(amount));
    }
    Ok(out)
}

async fn read(conn: &mut Conn<'_>, id: i64) -> Result<Plan, StoreError> {
    let head: PlanRow = on_conn!(conn, c => sqlx::query_as(PLAN).bind(id).fetch_one(c).await)?;
    let base: Vec<(String, String, i64)> =
        on_conn!(conn, c => sqlx::query_as(BASE).bind(id).fetch_all(c).await)?;
    let assumptions: Vec<AssumptionRow> =
        on_conn!(conn, c => sqlx::query_as(ASSUMPTIONS).bind(id).fetch_all(c).await)?;
    let demography: Vec<(String, String, String)> =
        on_conn!(conn, c => sqlx::query_as(DEMOGRAPHY).bind(id).fetch_all(c).await)?;
    let pressures: Vec<PressureRow> =
        on_conn!(conn, c => sqlx::query_as(PRESSURES).bind(id).fetch_all(c).await)?;
    let pressure_amounts = amounts_by(
        on_conn!(conn, c => sqlx::query_as(PRESSURE_AMOUNTS).bind(id).fetch_all(c).await)?,
    )?;
    let funding: Vec<(String, String, i64)> =
        on_conn!(conn, c => sqlx::query_as(FUNDING).bind(id).fetch_all(c).await)?;
    let savings: Vec<SavingRow> =
        on_conn!(conn, c => sqlx::query_as(SAVINGS).bind(id).fetch_all(c).await)?;
    let saving_amounts = amounts_by(
        on_conn!(conn, c => sqlx::query_as(SAVING_AMOUNTS).bind(id).fetch_all(c).await)?,
    )?;
    let delivery: Vec<(String, String, i32, i64, String, String)> =
        on_conn!(conn, c => sqlx::query_as(DELIVERY).bind(id).fetch_all(c).await)?;
    let reserves: Vec<(i64, String, String, i64)> =
        on_conn!(conn, c => sqlx::query_as(RESERVES).bind(id).fetch_all(c).await)?;
    let reserve_use =
        amounts_by(on_conn!(conn, c => sqlx::query_as(RESERVE_USE).bind(id).fetch_all(c).await)?)?;
    let overrides: Vec<(String, String)> =
        on_conn!(conn, c => sqlx::query_as(OVERRIDES).bind(id).fetch_all(c).await)?;
    let mut scenarios: Vec<Scenario> = Vec::new();
    for (name, change) in overrides {
        let o: Override = serde_json::from_str(&change).map_err(|e| {
            StoreError::Database(sqlx::Error::Decode(
                format!("plan_scenario_overrides.change: {e}").into(),
            ))
        })?;
        match scenarios.iter_mut().find(|s| s.name == name) {
            Some(s) => s.overrides.push(o),
            None => scenarios.push(Scenario {
                name,
                overrides: vec![o],
            }),
        }
    }

    let (organisation, name, class, first_year, years, band_d, tax_base, minimum) = head;
    let mut plan_assumptions = Vec::with_capacity(assumptions.len());
    for (y, pay, general, care, base_growth, ct, asc) in assumptions {
        let y = year(&y)?;
        let mut demography_pct = BTreeMap::new();
        for (dy, service, p) in &demography {
            if year(dy)? == y {
                demography_pct.insert(
                    parse(service, "plan_demography.service")?,
                    pct(p, "plan_demography.pct")?,
                );
            }
        }
        plan_assumptions.push(Assumptions {
            year: y,
            pay_award_pct: pct(&pay, "pay_award_pct")?,
            general_inflation_pct: pct(&general, "general_inflation_pct")?,
            social_care_inflation_pct: pct(&care, "social_care_inflation_pct")?,
            demography_pct,
            tax_base_growth_pct: pct(&base_growth, "tax_base_growth_pct")?,
            council_tax_increase_pct: pct(&ct, "council_tax_increase_pct")?,
            asc_precept_pct: pct(&asc, "asc_precept_pct")?,
        });
    }
    let pressures = pressures
        .into_iter()
        .map(|(pid, reference, kind, service, description, low, high)| {
            let uncertainty = match (low, high) {
                (Some(l), Some(h)) => Some(Uncertainty {
                    low_pct: pct(&l, "low_pct")?,
                    high_pct: pct(&h, "high_pct")?,
                }),
                _ => None,
            };
            Ok(Pressure {
                reference,
                kind: parse(&kind, "plan_pressures.kind")?,
                service: parse(&service, "plan_pressures.service")?,
                description,
                amounts: pressure_amounts.get(&pid).cloned().unwrap_or_default(),
                uncertainty,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let savings = savings
        .into_iter()
        .map(
            |(sid, reference, title, service, category, owner, rag, delivered, ev_kind, ev_ref)| {
                let evidence = match (ev_kind, ev_ref) {
                    (Some(k), Some(r)) => Some(Evidence {
                        kind: parse(&k, "evidence_kind")?,
                        reference: r,
                    }),
                    _ => None,
                };
                Ok(Saving {
                    reference,
                    title,
                    service: parse(&service, "plan_savings.service")?,
                    category: parse(&category, "plan_savings.category")?,
                    amounts: saving_amounts.get(&sid).cloned().unwrap_or_default(),
                    owner,
                    rag: parse(&rag, "plan_savings.rag")?,
                    delivered_to_date: Money::pence(delivered),
                    evidence,
                })
            },
        )
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Plan {
        organisation,
        name,
        authority_class: parse(&class, "plans.authority_class")?,
        first_year: year(&first_year)?,
        years: u16::try_from(years).map_err(|_| StoreError::invalid("years", "out of range"))?,
        base: base
            .into_iter()
            .map(|(s, j, a)| {
                Ok(BaseLine {
                    service: parse(&s, "service")?,
                    subjective: parse(&j, "subjective")?,
                    amount: Money::pence(a),
                })
            })
            .collect::<Result<_, StoreError>>()?,
        assumptions: plan_assumptions,
        pressures,
        funding: funding
            .into_iter()
            .map(|(s, y, a)| {
                Ok(FundingLine {
                    source: parse(&s, "source")?,
                    year: year(&y)?,
                    amount: Money::pence(a),
                })
            })
            .collect::<Result<_, StoreError>>()?,
        council_tax: CouncilTaxBase {
            band_d: Money::pence(band_d),
            tax_base: pct(&tax_base, "tax_base")?,
        },
        savings,
        delivery: delivery
            .into_iter()
            .map(|(reference, y, month, delivered, rag, note)| {
                Ok(DeliveryUpdate {
                    reference,
                    year: year(&y)?,
                    month: u8::try_from(month)
                        .map_err(|_| StoreError::invalid("month", "out of range"))?,
                    delivered: Money::pence(delivered),
                    rag: parse(&rag, "rag")?,
                    note,
                })
            })
            .collect::<Result<_, StoreError>>()?,
        reserves: reserves
            .into_iter()
            .map(|(rid, name, kind, opening)| {
                Ok(Reserve {
                    name,
                    kind: parse(&kind, "plan_reserves.kind")?,
                    opening: Money::pence(opening),
                    planned_use: reserve_use.get(&rid).cloned().unwrap_or_default(),
                })
            })
            .collect::<Result<_, StoreError>>()?,
        minimum_reserve_pct: pct(&minimum, "minimum_reserve_pct")?,
        scenarios,
    })
}

impl Store {
    pub(crate) async fn read_plan(&self, id: i64) -> Result<Plan, StoreError> {
        match self.backend() {
            Backend::Sqlite(p) => {
                let mut c = p.acquire().await?;
                read(&mut Conn::Sqlite(&mut c), id).await
            }
            Backend::Postgres(p) => {
                let mut c = p.acquire().await?;
                read(&mut Conn::Postgres(&mut c), id).await
            }
        }
    }
}

impl WriteTx {
    pub(crate) async fn read_plan(&mut self, id: i64) -> Result<Plan, StoreError> {
        match self.inner() {
            TxInner::Sqlite(t) => read(&mut Conn::Sqlite(t), id).await,
            TxInner::Postgres(t) => read(&mut Conn::Postgres(t), id).await,
        }
    }
}
