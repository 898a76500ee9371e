//! The definitions `gen` shows for an object and its parts.

use gen_model::ObjectId;
use gen_test_support::*;
use insta::assert_snapshot;

use super::checked::describe;

#[test]
fn definitions_gather_a_table_with_its_parts_and_comments() {
    let t = q("app", "Item");
    let old = db()
        .schema("app")
        .table(table(t.clone(), vec![col("id", "integer").not_null()]).pk("Item_pkey", &["id"]))
        .build();
    let mut new = old.clone();
    let item = new.tables.get_mut(&t).unwrap();
    item.columns.push(gen_model::Column {
        comment: Some("Shown to users.".to_owned()),
        ..col("label", "text")
    });
    item.comment = Some("Things.".to_owned());
    let column = ObjectId::Column {
        table: t.clone(),
        column: "label".to_owned(),
    };
    let top = describe::top_level(&column, [&old, &new]);
    assert_eq!(top, ObjectId::Table { name: t.clone() });
    assert_snapshot!(describe::definition(&new, &top), @r#"
    CREATE TABLE app."Item" (
        id integer NOT NULL,
        label text,
        CONSTRAINT "Item_pkey" PRIMARY KEY (id)
    );
    COMMENT ON TABLE app."Item" IS 'Things.';
    COMMENT ON COLUMN app."Item".label IS 'Shown to users.';
    "#);
    assert_eq!(
        describe::definition(
            &old,
            &ObjectId::Table {
                name: q("app", "gone")
            }
        ),
        ""
    );
}
