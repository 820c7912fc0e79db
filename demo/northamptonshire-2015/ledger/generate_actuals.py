#!/usr/bin/env python3
"""Generates Northamptonshire's modelled 2016-17 figures for the demo (see README.md here).

Writes, beside this script:
  budget-2016-17.csv      the 2016-17 revenue budget lines (`ngc import budget`), from the plan
  actuals-2016-17.csv     a general-ledger extract, Apr 2016 .. Mar 2017 (`ngc import actuals`)
  actuals-mapping.toml    its mapping: the LGSS income subjective is income
  spend-2016-17.csv       spend over £500 for 2016-17 (`ngc import spend`)

Every figure is modelled. Python 3 standard library only; deterministic: the same inputs and
SEED give the same bytes. Run it from anywhere: `python3 generate_actuals.py`.
"""

from decimal import Decimal as D, ROUND_HALF_UP, ROUND_FLOOR
from pathlib import Path
import csv
import datetime
import io
import random

SEED = 20170331
HERE = Path(__file__).resolve().parent
PLAN = HERE.parent / "plans" / "mtfp-2015-20"
YEAR = "2016-17"
PLAN_YEARS = ["2015-16", "2016-17"]
ORG = "northamptonshire"
PENNY = D("0.01")

# The plan's net budget requirement for 2016-17, as `ngc mtfp report` gives it (pinned in
# plans/mtfp-2015-20/README.md: resources 404,660,671.65 + gap 17,001,666.23).
NBR_2016_17 = D("421662337.88")

# LGSS's recharge statement for 2016-17 (`ngc shared-services statement --partnership lgss
# --year 2016-17`, from shared-services/lgss.csv): the county's net charge, and the other
# partners' net charges, which the county (the lead) takes as income. `ngc demo` posts the
# same figures with `ngc ledger post-recharges`; the CLI test checks they agree.
LGSS_NET_CHARGE = D("26690998.05")
LGSS_PARTNERS = {"cambridgeshire": D("23414006.86"), "milton-keynes": D("13594058.09")}

LABEL = {
    "adult_social_care": "Adult social care",
    "childrens_social_care": "Children's social care",
    "education": "Education",
    "highways_and_transport": "Highways and transport",
    "public_health": "Public health",
    "cultural": "Cultural and related",
    "environmental_and_regulatory": "Environmental and regulatory",
    "planning_and_development": "Planning and development",
    "fire_and_rescue": "Fire and rescue",
    "central_services": "Central services",
    "other": "Other",
}
SUBJECTIVE = {
    "employees": "Employees",
    "running_costs": "Running costs",
    "third_party_payments": "Third-party payments",
    "income": "Income",
}
SOCIAL_CARE = ("adult_social_care", "childrens_social_care")

# The year's outturn against budget by service line (positive: overspent), and how it
# builds: `ramp` grows month on month (demand-led), `flat` is the same each month. The
# demand-led services carry Northamptonshire's real story: children's placements and agency
# social workers, and adults' care packages, overspending more every month.
VARIANCE = {
    "childrens_social_care": [
        ("third_party_payments", D("7400000"), "ramp", 1),
        ("employees", D("1800000"), "ramp", 1),
    ],
    "adult_social_care": [("third_party_payments", D("5600000"), "ramp", 3)],
    "education": [("third_party_payments", D("600000"), "flat", 1)],
    "highways_and_transport": [("running_costs", D("250000"), "flat", 1)],
    "central_services": [("employees", D("-900000"), "flat", 1)],
    "fire_and_rescue": [("employees", D("-150000"), "flat", 1)],
    "cultural": [("employees", D("-100000"), "flat", 1)],
    "environmental_and_regulatory": [("third_party_payments", D("-300000"), "flat", 1)],
    "other": [("running_costs", D("-400000"), "flat", 1)],
}
# Month-to-month noise on lines without a stated variance, as a share of the month's budget
# (it sums to nothing over the year).
JITTER = D("0.004")


def money(x):
    return D(x).quantize(PENNY, rounding=ROUND_HALF_UP)


def read(name):
    with open(PLAN / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def split(total, weights):
    """`total` in pence split by weights, largest remainder (ties to the earlier part)."""
    pence = int(total * 100)
    sign = -1 if pence < 0 else 1
    pence = abs(pence)
    wsum = sum(weights)
    raw = [D(pence) * D(w) / D(wsum) for w in weights]
    parts = [int(r.to_integral_value(rounding=ROUND_FLOOR)) for r in raw]
    left = pence - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [D(sign * p) / 100 for p in parts]


def budget_2016_17():
    """The 2016-17 budget by (service, subjective), amounts positive (income too), from the
    plan: the 2014-15 base with two years of the plan's pay and price inflation (the plan's
    own rule and rounding), plus its named pressures and less its savings for 2015-16 and
    2016-17 by service line (pressures go on third-party payments, else running costs; income
    savings raise income, others come off third-party payments, else running costs). The
    lines' net is the plan's net budget requirement for 2016-17 to the penny (checked)."""
    running = {}
    for r in read("base_budget.csv"):
        key = (r["service"], r["subjective"])
        running[key] = running.get(key, D(0)) + D(r["amount"])
    assumptions = {r["year"]: r for r in read("assumptions.csv")}
    budget = dict(running)
    for year in PLAN_YEARS:
        a = assumptions[year]
        growth = {}
        for (service, subjective), amount in running.items():
            pct = {
                "employees": D(a["pay_award_pct"]),
                "running_costs": D(a["general_inflation_pct"]),
                "third_party_payments": D(a["social_care_inflation_pct"])
                if service in SOCIAL_CARE
                else D(a["general_inflation_pct"]),
                "income": D(0),
            }[subjective]
            growth[(service, subjective)] = money(amount * pct / 100)
        for key, g in growth.items():
            running[key] += g
            budget[key] += g

    def spending_line(service):
        for subjective in ("third_party_payments", "running_costs", "employees"):
            if (service, subjective) in budget:
                return (service, subjective)
        raise ValueError(service)

    for p in read("pressures.csv"):
        for year in PLAN_YEARS:
            if p[year]:
                budget[spending_line(p["service"])] += D(p[year])
    for s in read("savings.csv"):
        for year in PLAN_YEARS:
            if s[year]:
                if s["category"] == "income":
                    budget[(s["service"], "income")] += D(s[year])
                else:
                    budget[spending_line(s["service"])] -= D(s[year])
    net = sum(-v if j == "income" else v for (_, j), v in budget.items())
    assert net == NBR_2016_17, (net, NBR_2016_17)
    assert all(v > 0 for v in budget.values()), budget
    return budget


def signed(subjective, amount):
    return -amount if subjective == "income" else amount


def shape(kind, start):
    if kind == "flat":
        return [1] * 12
    return [max(0, m - start + 1) for m in range(1, 13)]


def extract(budget, rng):
    """The extract's figure per (month index, service, subjective label), finance-system
    signed (debits positive, income negative)."""
    lines = {}
    for (service, subjective), amount in sorted(budget.items()):
        value = signed(subjective, amount)
        if service == "central_services" and subjective == "income":
            # The partners' net charges arrive as their own income line; the county's own
            # net charge as a recharge; the other income is what is left of the budget's.
            value += sum(LGSS_PARTNERS.values()) - LGSS_NET_CHARGE
        months = split(value, [1] * 12)
        stated = [v for v in VARIANCE.get(service, []) if v[0] == subjective]
        if stated:
            _, total, kind, start = stated[0]
            extra = split(total, shape(kind, start))
        else:
            noise = [D(rng.random()) - D("0.5") for _ in range(12)]
            mean = sum(noise) / 12
            extra = [money((n - mean) * 2 * JITTER * abs(value) / 12) for n in noise]
            extra[11] -= sum(extra)
        for i in range(12):
            lines[(i, LABEL[service], SUBJECTIVE[subjective])] = months[i] + extra[i]
    charge = split(LGSS_NET_CHARGE, [1] * 12)
    income = split(-sum(LGSS_PARTNERS.values()), [1] * 12)
    for i in range(12):
        lines[(i, "Central services", "Support service recharges")] = charge[i]
        lines[(i, "Central services", "Shared service income")] = income[i]
    return lines


def month_first(i):
    y, m = (2016, 4 + i) if i < 9 else (2017, i - 8)
    return datetime.date(y, m, 1)


def paying_days(i):
    """The working days (Monday to Friday) of month i."""
    first = month_first(i)
    d = first
    out = []
    while d.month == first.month:
        if d.weekday() < 5:
            out.append(d)
        d += datetime.timedelta(days=1)
    return out


# Spend over £500 (modelled): the demo contracts' suppliers with fixed dates covering 2016-17
# (their monthly payments from the contracts' values and terms), the market providers of the
# demo pack paid for care and services, and payments to individuals (redacted).
CONTRACTS = [
    # supplier, service, subjective, purpose, monthly amount, contract reference
    ("Shires Highways Group plc", "highways_and_transport", "third_party_payments",
     "Highways maintenance: monthly payment", money(D("91400000") / 84), "NCC-2015-HW-001"),
    ("Midshires Environmental plc", "environmental_and_regulatory", "third_party_payments",
     "Residual waste treatment and disposal: monthly payment", money(D("47800000") / 120),
     "NCC-2015-WD-002"),
    ("Olympus Care Services Limited", "adult_social_care", "third_party_payments",
     "Residential, day and enablement services: monthly block payment", D("925000.00"),
     "NCC-ASC-001"),
    ("First for Wellbeing Community Interest Company", "public_health",
     "third_party_payments", "Community wellbeing and public health services: monthly payment",
     D("175000.00"), "NCC-PH-001"),
]
# supplier, service, subjective, purpose, invoices a month, first month's invoice, monthly
# growth of the invoice (demand), spread
PROVIDERS = [
    ("Nene Valley Care CIC", "adult_social_care", "third_party_payments",
     "Home care (north): weekly invoice", 4, D("58000"), D("0.012"), D("0.03")),
    ("Lamport Supported Living Ltd", "adult_social_care", "third_party_payments",
     "Supported living (learning disabilities)", 1, D("57000"), D("0.006"), D("0.02")),
    ("Kingsthorpe Carers' Network", "adult_social_care", "third_party_payments",
     "Carers' support service", 1, D("7500"), D("0"), D("0")),
    ("Sywell Meals CIC", "adult_social_care", "third_party_payments",
     "Meals at home", 1, D("3550"), D("0.004"), D("0.05")),
    ("Ise Valley Advice Centre", "adult_social_care", "third_party_payments",
     "Welfare rights advice", 1, D("2650"), D("0"), D("0")),
    ("Welland Fostering Trust", "childrens_social_care", "third_party_payments",
     "Independent fostering placements: weekly invoice", 4, D("26000"), D("0.025"), D("0.04")),
    ("Tove Youth Action", "childrens_social_care", "third_party_payments",
     "Youth support and positive activities", 1, D("18500"), D("0"), D("0.02")),
    ("Eleanor Cross Community Transport", "education", "third_party_payments",
     "Home to school transport (special educational needs)", 2, D("21000"), D("0.004"),
     D("0.05")),
    ("Brackmills Facilities Ltd", "central_services", "running_costs",
     "Facilities management of County Hall", 1, D("48500"), D("0"), D("0")),
    ("Wootton Fields Digital Ltd", "central_services", "running_costs",
     "Customer portal: development and hosting", 1, D("6200"), D("0"), D("0.10")),
    ("Cogenhoe Reuse Works CIC", "environmental_and_regulatory", "third_party_payments",
     "Reuse shop at the household waste recycling centres", 1, D("3400"), D("0"), D("0.10")),
]
# Payments to individuals, redacted as personal data: (service, purpose, lines in the first
# month, lines added every month, typical payment)
INDIVIDUALS = [
    ("adult_social_care", "Direct payment: personal budget for care", 30, D("0.9"), D("1450")),
    ("childrens_social_care", "Foster carer allowance and fees", 22, D("0.8"), D("1900")),
    ("childrens_social_care", "Residential placement: out of county", 3, D("0.25"), D("14500")),
]
REDACTED = "Redacted - personal data"


def spend(rng):
    rows = []

    def add(day, supplier, service, subjective, amount, purpose):
        rows.append([
            "Northamptonshire County Council",
            LABEL[service],
            SUBJECTIVE[subjective],
            day.isoformat(),
            "",
            f"{amount:.2f}",
            supplier,
            purpose,
        ])

    for i in range(12):
        days = paying_days(i)
        for supplier, service, subjective, purpose, amount, reference in CONTRACTS:
            add(days[min(9, len(days) - 1)], supplier, service, subjective, amount,
                f"{purpose} ({reference})")
        for supplier, service, subjective, purpose, n, first, growth, spread in PROVIDERS:
            for k in range(n):
                base = first * (1 + growth) ** i
                noise = (D(rng.random()) - D("0.5")) * 2 * spread
                amount = money(base * (1 + noise))
                day = days[min(len(days) - 1, 2 + k * 5)]
                add(day, supplier, service, subjective, amount, purpose)
        for service, purpose, lines, more, typical in INDIVIDUALS:
            count = int(lines + more * i)
            for k in range(count):
                noise = D(rng.random())
                amount = money(typical * (D("0.55") + noise))
                day = days[(k * 7 + i) % len(days)]
                add(day, REDACTED, service, "third_party_payments", amount, purpose)
    rows.sort(key=lambda r: r[3])  # stable: the order made within a day is kept
    for n, r in enumerate(rows, 1):
        r[4] = f"NCC{YEAR[:4]}{n:05d}"
    return rows


def write_csv(name, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    (HERE / name).write_text(buf.getvalue(), encoding="utf-8")


def main():
    rng = random.Random(SEED)
    budget = budget_2016_17()
    write_csv(
        "budget-2016-17.csv",
        ["organisation", "year", "service", "subjective", "amount"],
        [[ORG, YEAR, s, j, f"{v:.2f}"] for (s, j), v in sorted(budget.items())],
    )
    lines = extract(budget, rng)
    spent = spend(rng)

    # Checks: the extract nets to the budget plus the stated variances; every spend account
    # and month is within the extract's figure (the true-up only adds to the feeders); the
    # overspend grows every month.
    variance = sum(t for v in VARIANCE.values() for _, t, _, _ in v)
    assert sum(lines.values()) == NBR_2016_17 + variance, (sum(lines.values()), variance)
    by_account = {}
    for r in spent:
        d = datetime.date.fromisoformat(r[3])
        i = (d.year - 2016) * 12 + d.month - 4
        key = (i, r[1], r[2])
        by_account[key] = by_account.get(key, D(0)) + D(r[5])
    for key, total in by_account.items():
        assert total < lines[key], (key, total, lines[key])
    profile = {}
    for (s, j), v in budget.items():
        for i, part in enumerate(split(signed(j, v), [1] * 12)):
            profile[i] = profile.get(i, D(0)) + part
    monthly = [sum(v for (m, _, _), v in lines.items() if m == i) - profile[i]
               for i in range(12)]
    assert all(b > a > 0 for a, b in zip(monthly, monthly[1:])), monthly

    write_csv(
        "actuals-2016-17.csv",
        ["Period", "Service line", "Subjective", "Amount"],
        [[f"{month_first(i):%Y-%m}", s, j, f"{v:.2f}"]
         for (i, s, j), v in sorted(lines.items())],
    )
    (HERE / "actuals-mapping.toml").write_text(
        "# Generated by generate_actuals.py: how to read actuals-2016-17.csv.\n"
        "# The partners' LGSS net charges are income to the county (the lead).\n"
        'income_subjectives = ["Shared service income"]\n',
        encoding="utf-8",
    )
    write_csv(
        "spend-2016-17.csv",
        ["Body name", "Expense area", "Expense type", "Payment date", "Transaction number",
         "Net amount", "Supplier name", "Purpose"],
        spent,
    )
    print(f"budget 2016-17: {len(budget)} lines, net {NBR_2016_17}")
    print(f"extract: {len(lines)} lines, net {sum(lines.values())}, variance {variance}")
    print("monthly variance: " + ", ".join(f"{m:.0f}" for m in monthly))
    print(f"spend: {len(spent)} lines, net {sum(D(r[5]) for r in spent)}")


if __name__ == "__main__":
    main()
