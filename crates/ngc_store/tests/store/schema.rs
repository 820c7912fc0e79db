use ngc_store::testing::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_the_same_tables_and_columns() {
    let sqlite = TestDb::sqlite().await;
    let postgres = TestDb::postgres().await;
    let a = sqlite.store.schema_columns().await.unwrap();
    let b = postgres.store.schema_columns().await.unwrap();
    assert!(a.len() > 40, "too few columns found: {a:?}");
    assert_eq!(a, b, "SQLite and PostgreSQL schemas differ");
    sqlite.finish().await;
    postgres.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migrated_database_has_nothing_pending() {
    for db in [TestDb::sqlite().await, TestDb::postgres().await] {
        assert_eq!(
            db.store.pending_migrations().await.unwrap(),
            Vec::<i64>::new()
        );
        db.finish().await;
    }
}
