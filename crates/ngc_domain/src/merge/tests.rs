use super::*;
use proptest::prelude::*;
use rstest::rstest;
use serde_json::json;

fn savings(rows: Value) -> Value {
    json!({ "name": "mtfp", "years": 5, "savings": rows })
}

fn plan() -> Layout {
    Layout::plan("mtfp-2015-20")
}

#[rstest]
#[case::nothing_changed("green", "green", "green", "green")]
#[case::only_app_changed("green", "amber", "green", "amber")]
#[case::only_pack_changed("green", "green", "red", "red")]
#[case::both_changed_alike("green", "red", "red", "red")]
fn a_field_follows_the_side_that_changed(
    #[case] base: &str,
    #[case] app: &str,
    #[case] pack: &str,
    #[case] expected: &str,
) {
    let v = |rag: &str| savings(json!([{ "reference": "S03", "rag": rag }]));
    let merged = merge(Some(&v(base)), &v(app), &v(pack), &plan()).unwrap();
    assert_eq!(merged, v(expected));
}

#[test]
fn both_changed_differently_names_file_row_field_and_the_three_values() {
    let v = |rag: &str| savings(json!([{ "reference": "S03", "rag": rag }]));
    let err = merge(Some(&v("green")), &v("amber"), &v("red"), &plan()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "plans/mtfp-2015-20/savings.csv, row S03 (reference), field rag: changed both in the \
         app and in the pack since the last import: base \"green\", app \"amber\", pack \"red\""
    );
    assert_eq!(err.base, Some(json!("green")));
}

#[test]
fn fields_of_one_row_merge_independently() {
    let base = savings(json!([{ "reference": "S03", "rag": "green", "title": "Old" }]));
    let app = savings(json!([{ "reference": "S03", "rag": "amber", "title": "Old" }]));
    let pack = savings(json!([{ "reference": "S03", "rag": "green", "title": "New" }]));
    let merged = merge(Some(&base), &app, &pack, &plan()).unwrap();
    assert_eq!(
        merged,
        savings(json!([{ "reference": "S03", "rag": "amber", "title": "New" }]))
    );
}

#[test]
fn rows_created_in_the_app_are_kept_and_new_pack_rows_added() {
    let base = json!({ "delivery": [{ "reference": "S1", "year": "2015-16", "month": 3, "delivered": 1 }] });
    let app = json!({ "delivery": [
        { "reference": "S1", "year": "2015-16", "month": 3, "delivered": 1 },
        { "reference": "S1", "year": "2015-16", "month": 4, "delivered": 2 },
    ] });
    let pack = json!({ "delivery": [
        { "reference": "S1", "year": "2015-16", "month": 3, "delivered": 1 },
        { "reference": "S1", "year": "2015-16", "month": 6, "delivered": 3 },
    ] });
    let merged = merge(Some(&base), &app, &pack, &plan()).unwrap();
    assert_eq!(
        merged,
        json!({ "delivery": [
            { "reference": "S1", "year": "2015-16", "month": 3, "delivered": 1 },
            { "reference": "S1", "year": "2015-16", "month": 4, "delivered": 2 },
            { "reference": "S1", "year": "2015-16", "month": 6, "delivered": 3 },
        ] })
    );
}

#[test]
fn a_row_removed_from_the_pack_goes_unless_the_app_changed_it() {
    let base = savings(
        json!([{ "reference": "A", "rag": "green" }, { "reference": "B", "rag": "green" }]),
    );
    let pack = savings(json!([{ "reference": "B", "rag": "green" }]));
    let merged = merge(Some(&base), &base, &pack, &plan()).unwrap();
    assert_eq!(merged, pack);

    let app =
        savings(json!([{ "reference": "A", "rag": "red" }, { "reference": "B", "rag": "green" }]));
    let err = merge(Some(&base), &app, &pack, &plan()).unwrap_err();
    assert_eq!(err.row.as_deref(), Some("A (reference)"));
    assert_eq!(err.field, "(row)");
    assert_eq!(err.pack, None);
}

#[test]
fn a_row_removed_in_the_app_stays_removed_while_the_pack_keeps_it_unchanged() {
    let base = savings(
        json!([{ "reference": "A", "rag": "green" }, { "reference": "B", "rag": "green" }]),
    );
    let app = savings(json!([{ "reference": "B", "rag": "green" }]));
    assert_eq!(merge(Some(&base), &app, &base, &plan()).unwrap(), app);
}

#[test]
fn without_a_base_the_app_is_never_touched() {
    let layout = Layout::row("organisations.csv", "slug", "n");
    let app = json!({ "name": "Northamptonshire", "kind": "county_council" });
    let pack = json!({ "name": "Northants", "kind": "county_council", "extra": 1 });
    assert_eq!(merge(None, &app, &pack, &layout).unwrap(), app);
}

#[test]
fn a_row_the_app_made_wins_over_the_packs_row_with_the_same_key() {
    let base = json!({ "delivery": [] });
    let app = json!({ "delivery": [{ "reference": "S1", "year": "2015-16", "month": 5, "delivered": 2 }] });
    let pack = json!({ "delivery": [{ "reference": "S1", "year": "2015-16", "month": 5, "delivered": 9 }] });
    assert_eq!(merge(Some(&base), &app, &pack, &plan()).unwrap(), app);
}

#[test]
fn an_unkeyed_array_is_one_value() {
    let v = |o: Value| json!({ "scenarios": [{ "name": "S", "overrides": o }] });
    let err = merge(
        Some(&v(json!([1]))),
        &v(json!([2])),
        &v(json!([3])),
        &plan(),
    )
    .unwrap_err();
    assert_eq!(err.file, "plans/mtfp-2015-20/scenarios.csv");
    assert_eq!(err.field, "overrides");
    assert_eq!(
        merge(
            Some(&v(json!([1]))),
            &v(json!([1])),
            &v(json!([3])),
            &plan()
        )
        .unwrap(),
        v(json!([3]))
    );
}

#[test]
fn a_top_level_field_names_the_plan_file() {
    let v = |band_d: i64| json!({ "council_tax": { "band_d": band_d } });
    let err = merge(Some(&v(1)), &v(2), &v(3), &plan()).unwrap_err();
    assert_eq!(err.file, "plans/mtfp-2015-20/plan.toml");
    assert_eq!(err.row, None);
    assert_eq!(err.field, "council_tax.band_d");
}

fn rags() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map("[A-D]", prop_oneof!["green", "amber", "red"], 0..4).prop_map(
        |rows| {
            savings(Value::Array(
                rows.into_iter()
                    .map(|(reference, rag)| json!({ "reference": reference, "rag": rag }))
                    .collect(),
            ))
        },
    )
}

proptest! {
    #[test]
    fn an_unchanged_pack_keeps_the_app(base in rags(), app in rags()) {
        prop_assert_eq!(merge(Some(&base), &app, &base, &plan()).unwrap(), app);
    }

    #[test]
    fn an_unchanged_app_takes_the_pack(base in rags(), pack in rags()) {
        let merged = merge(Some(&base), &base, &pack, &plan()).unwrap();
        // The same rows as the pack (the order may follow the base).
        let sorted = |v: &Value| {
            let mut rows = v["savings"].as_array().unwrap().clone();
            rows.sort_by_key(|r| r["reference"].to_string());
            rows
        };
        prop_assert_eq!(sorted(&merged), sorted(&pack));
    }

    #[test]
    fn merging_is_symmetric_in_the_absence_of_conflicts(base in rags(), app in rags(), pack in rags()) {
        let one = merge(Some(&base), &app, &pack, &plan());
        let other = merge(Some(&base), &pack, &app, &plan());
        prop_assert_eq!(one.is_ok(), other.is_ok());
    }
}
