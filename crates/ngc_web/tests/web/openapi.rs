//! The OpenAPI document is part of the contract: any change shows up in review.

#[test]
fn the_openapi_document_is_pinned() {
    let doc = serde_json::to_value(ngc_web::routes::openapi()).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}
