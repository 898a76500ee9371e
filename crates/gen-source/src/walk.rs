//! A generic walk over pg_query's parse tree.
//!
//! The protobuf tree has some 270 node types; what a statement references is
//! found in a handful of them (`RangeVar`, `TypeName`, `FuncCall`,
//! `ObjectWithArgs`, `RoleSpec`…) wherever they sit. Rather than a visitor
//! written out per node type, the walk drives the tree's `serde::Serialize`
//! implementation (which pg_query derives for every node) into a serializer
//! that keeps a stack of the structs it is inside and picks out the fields
//! it cares about, allocating nothing for the rest of the tree.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Serializer};

use crate::{Name, NameKind};

/// Names found anywhere in a subtree.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Relations, types, functions and roles referenced.
    pub names: Vec<Name>,
    /// Names of common table expressions, which shadow relations of the same
    /// name in the query that defines them.
    pub ctes: Vec<String>,
    /// Column names written anywhere (column references, index columns,
    /// constraint keys): a statement may need a column that a later
    /// `ALTER TABLE … ADD COLUMN` adds to a table it references.
    pub columns: Vec<String>,
}

/// Collects the names referenced anywhere under `node`.
pub(crate) fn walk<T: Serialize + ?Sized>(node: &T, found: &mut Found) {
    let mut walker = Walker {
        frames: Vec::new(),
        found,
    };
    // The walker itself never fails; an error could only come from a
    // Serialize impl, and pg_query's derived ones do not produce any.
    let _ = node.serialize(&mut walker);
}

/// The structs the walk reacts to; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Node,
    String,
    AConst,
    RangeVar,
    TypeName,
    TypeCast,
    FuncCall,
    AExpr,
    ObjectWithArgs,
    RoleSpec,
    CommonTableExpr,
    CollateClause,
    Constraint,
    ColumnRef,
    IndexElem,
    Other,
}

impl Kind {
    fn of(struct_name: &str) -> Kind {
        match struct_name {
            "Node" => Kind::Node,
            "String" => Kind::String,
            "AConst" => Kind::AConst,
            "RangeVar" => Kind::RangeVar,
            "TypeName" => Kind::TypeName,
            "TypeCast" => Kind::TypeCast,
            "FuncCall" => Kind::FuncCall,
            "AExpr" => Kind::AExpr,
            "ObjectWithArgs" => Kind::ObjectWithArgs,
            "RoleSpec" => Kind::RoleSpec,
            "CommonTableExpr" => Kind::CommonTableExpr,
            "CollateClause" => Kind::CollateClause,
            "Constraint" => Kind::Constraint,
            "ColumnRef" => Kind::ColumnRef,
            "IndexElem" => Kind::IndexElem,
            _ => Kind::Other,
        }
    }
}

/// One struct being serialized, and what has been picked out of it so far.
#[derive(Debug)]
struct Frame {
    kind: Kind,
    /// The field being serialized right now.
    field: &'static str,
    /// Name parts (`TypeName.names`, `FuncCall.funcname`,
    /// `ObjectWithArgs.objname`, `CollateClause.collname`).
    parts: Vec<String>,
    /// `RangeVar.schemaname`; a string constant argument of a `FuncCall` or
    /// `TypeCast`.
    first: String,
    /// `RangeVar.relname`, `RoleSpec.rolename`, `CommonTableExpr.ctename`,
    /// `Constraint.indexname`,
    /// the last name part of a `TypeCast`'s type.
    second: String,
    /// `RoleSpec.roletype`; the number of a `TypeName`'s array bounds.
    number: i32,
    /// `TypeName.pct_type` (`t.c%TYPE`, a type known only to the server);
    /// `ObjectWithArgs.args_unspecified`.
    flag: bool,
    /// An `ObjectWithArgs`'s argument types (see [`type_signature`]).
    args: Vec<String>,
}

/// `RoleSpecType::RolespecCstring`: a role named by the user, as opposed to
/// `CURRENT_USER`, `PUBLIC` and friends.
const ROLESPEC_CSTRING: i32 = pg_query::protobuf::RoleSpecType::RolespecCstring as i32;

struct Walker<'a> {
    frames: Vec<Frame>,
    found: &'a mut Found,
}

impl Walker<'_> {
    /// The nearest enclosing struct below `depth` that is not a `Node`
    /// wrapper, as an index into the frame stack.
    fn parent_of(&self, depth: usize) -> Option<usize> {
        (0..depth)
            .rev()
            .find(|&i| self.frames[i].kind != Kind::Node)
    }

    fn on_str(&mut self, value: &str) {
        let Some(top) = self.frames.len().checked_sub(1) else {
            return;
        };
        let frame = &mut self.frames[top];
        match (frame.kind, frame.field) {
            (Kind::RangeVar, "schemaname") => frame.first = value.to_owned(),
            (Kind::RangeVar, "relname") => frame.second = value.to_owned(),
            (Kind::RoleSpec, "rolename") => frame.second = value.to_owned(),
            (Kind::CommonTableExpr, "ctename") => frame.second = value.to_owned(),
            // `ADD CONSTRAINT … PRIMARY KEY USING INDEX name` needs that index.
            (Kind::Constraint, "indexname") => frame.second = value.to_owned(),
            (Kind::IndexElem, "name") if !value.is_empty() => {
                self.found.columns.push(value.to_owned());
            }
            (Kind::String, "sval") => self.on_string_node(top, value),
            _ => {}
        }
    }

    /// A `String` node: a part of a qualified name, or a string constant.
    fn on_string_node(&mut self, depth: usize, value: &str) {
        let Some(parent) = self.parent_of(depth) else {
            return;
        };
        let frame = &mut self.frames[parent];
        match (frame.kind, frame.field) {
            (Kind::TypeName, "names")
            | (Kind::FuncCall, "funcname")
            | (Kind::AExpr, "name")
            | (Kind::ObjectWithArgs, "objname")
            | (Kind::CollateClause, "collname") => frame.parts.push(value.to_owned()),
            (Kind::ColumnRef, "fields")
            | (Kind::Constraint, "keys" | "fk_attrs" | "pk_attrs" | "including") => {
                self.found.columns.push(value.to_owned());
            }
            (Kind::AConst, _) => {
                // A string constant matters only as the direct argument of a
                // function call (`nextval('seq')`) or cast (`'seq'::regclass`).
                let Some(user) = self.parent_of(parent) else {
                    return;
                };
                let frame = &mut self.frames[user];
                if matches!(
                    (frame.kind, frame.field),
                    (Kind::FuncCall, "args") | (Kind::TypeCast, "arg")
                ) && frame.first.is_empty()
                {
                    frame.first = value.to_owned();
                }
            }
            _ => {}
        }
    }

    fn on_bool(&mut self, value: bool) {
        if let Some(frame) = self.frames.last_mut()
            && matches!(
                (frame.kind, frame.field),
                (Kind::TypeName, "pct_type") | (Kind::ObjectWithArgs, "args_unspecified")
            )
        {
            frame.flag = value;
        }
    }

    fn on_i32(&mut self, value: i32) {
        if let Some(frame) = self.frames.last_mut()
            && frame.kind == Kind::RoleSpec
            && frame.field == "roletype"
        {
            frame.number = value;
        }
    }

    fn begin(&mut self, name: &'static str) {
        if let Some(frame) = self.frames.last_mut()
            && (frame.kind, frame.field) == (Kind::TypeName, "array_bounds")
        {
            frame.number += 1;
        }
        self.frames.push(Frame {
            kind: Kind::of(name),
            field: "",
            parts: Vec::new(),
            first: String::new(),
            second: String::new(),
            number: 0,
            flag: false,
            args: Vec::new(),
        });
    }

    fn end(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let names = &mut self.found.names;
        match frame.kind {
            Kind::Constraint if !frame.second.is_empty() => {
                names.push(Name::qualified(NameKind::Relation, None, frame.second));
            }
            Kind::RangeVar if !frame.second.is_empty() => names.push(Name::qualified(
                NameKind::Relation,
                Some(&frame.first),
                frame.second,
            )),
            Kind::TypeName => {
                if let Some(name) = qualified(NameKind::Type, &frame.parts) {
                    names.push(name);
                }
                // A cast hands its type's name to the cast, which decides
                // whether its constant names a relation; a routine's
                // signature collects its argument types.
                if let Some(parent) = self.parent_of(self.frames.len()) {
                    let user = &mut self.frames[parent];
                    if user.kind == Kind::TypeCast
                        && user.field == "type_name"
                        && let Some(last) = frame.parts.last()
                    {
                        user.second = last.clone();
                    } else if (user.kind, user.field) == (Kind::ObjectWithArgs, "objargs") {
                        let arrays = usize::try_from(frame.number).unwrap_or(0);
                        user.args.push(match frame.parts.last() {
                            Some(last) if !frame.flag => type_signature(last, arrays),
                            _ => String::new(),
                        });
                    }
                }
            }
            Kind::TypeCast if frame.second == "regclass" && !frame.first.is_empty() => {
                names.extend(relation_literal(&frame.first));
            }
            Kind::TypeCast if frame.second == "regconfig" && !frame.first.is_empty() => {
                names.extend(literal_name(
                    NameKind::TextSearchConfiguration,
                    &frame.first,
                ));
            }
            Kind::TypeCast if frame.second == "regdictionary" && !frame.first.is_empty() => {
                names.extend(literal_name(NameKind::TextSearchDictionary, &frame.first));
            }
            Kind::FuncCall => {
                let sequence_function = matches!(
                    frame.parts.last().map(String::as_str),
                    Some("nextval" | "currval" | "setval")
                );
                if sequence_function && !frame.first.is_empty() {
                    names.extend(relation_literal(&frame.first));
                }
                // The configuration these take first, as a string the
                // server reads as `regconfig`.
                let text_search_function = matches!(
                    frame.parts.last().map(String::as_str),
                    Some(
                        "to_tsvector"
                            | "to_tsquery"
                            | "plainto_tsquery"
                            | "phraseto_tsquery"
                            | "websearch_to_tsquery"
                            | "ts_headline"
                            | "json_to_tsvector"
                            | "jsonb_to_tsvector"
                    )
                );
                if text_search_function && !frame.first.is_empty() {
                    names.extend(literal_name(
                        NameKind::TextSearchConfiguration,
                        &frame.first,
                    ));
                }
                names.extend(qualified(NameKind::Function, &frame.parts));
            }
            Kind::ObjectWithArgs => {
                let known = !frame.flag && frame.args.iter().all(|a| !a.is_empty());
                names.extend(
                    qualified(NameKind::Function, &frame.parts)
                        .map(|name| name.with_signature(known.then(|| frame.args.join(",")))),
                );
            }
            Kind::CollateClause => names.extend(qualified(NameKind::Collation, &frame.parts)),
            // An operator in an expression: the schema's own operators
            // come first (`OPERATOR(app.===)` or plain `===`).
            Kind::AExpr => names.extend(qualified(NameKind::Operator, &frame.parts)),
            Kind::RoleSpec if frame.number == ROLESPEC_CSTRING && !frame.second.is_empty() => {
                names.push(Name::global(NameKind::Role, frame.second));
            }
            Kind::CommonTableExpr if !frame.second.is_empty() => self.found.ctes.push(frame.second),
            _ => {}
        }
    }
}

/// `[name]` or `[schema, name]` (or `[catalog, schema, name]`) as a name.
/// A type as a routine's signature spells it, to tell overloads apart: the
/// type's own name (the parser writes `integer` and `int` as `int4`, `double
/// precision` as `float8`), with `[]` for an array.
pub(crate) fn type_signature(name: &str, arrays: usize) -> String {
    let mut signature = name.to_owned();
    if arrays > 0 {
        signature.push_str("[]");
    }
    signature
}

pub(crate) fn qualified(kind: NameKind, parts: &[String]) -> Option<Name> {
    let (name, rest) = parts.split_last()?;
    Some(Name::qualified(
        kind,
        rest.last().map(String::as_str),
        name.clone(),
    ))
}

/// The relation a `regclass` literal such as `'app."Seq"'` names.
pub(crate) fn relation_literal(text: &str) -> Option<Name> {
    literal_name(NameKind::Relation, text)
}

/// The object of `kind` a `regclass`-like literal (`'app."Seq"'`) names.
pub(crate) fn literal_name(kind: NameKind, text: &str) -> Option<Name> {
    let parts = identifiers(text, '.');
    if parts.iter().any(String::is_empty) {
        return None;
    }
    qualified(kind, &parts)
}

/// Identifiers separated by `separator` in a string (a `regclass` literal,
/// a `search_path` value), with Postgres's folding: unquoted parts
/// lowercased and unquoted blanks dropped, `""` inside quotes standing for
/// one quote.
pub(crate) fn identifiers(text: &str, separator: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                part.push('"');
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => parts.push(std::mem::take(&mut part)),
            c if quoted => part.push(c),
            c if c.is_whitespace() => {}
            c => part.extend(c.to_lowercase()),
        }
    }
    parts.push(part);
    parts
}

#[derive(Debug)]
struct WalkError(String);

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WalkError {}

impl ser::Error for WalkError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        WalkError(msg.to_string())
    }
}

type Done = Result<(), WalkError>;

impl Serializer for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Done {
        self.on_bool(v);
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Done {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Done {
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.on_i32(v);
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Done {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Done {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Done {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Done {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Done {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Done {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Done {
        Ok(())
    }
    fn serialize_char(self, _: char) -> Done {
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Done {
        self.on_str(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Done {
        Ok(())
    }
    fn serialize_none(self) -> Done {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Done {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Done {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, WalkError> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, WalkError> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, WalkError> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, WalkError> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, WalkError> {
        Ok(self)
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, WalkError> {
        self.begin(name);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, WalkError> {
        self.begin(variant);
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl ser::SerializeMap for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Done {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        if let Some(frame) = self.frames.last_mut() {
            frame.field = key;
        }
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Walker::end(self);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Walker<'_> {
    type Ok = ();
    type Error = WalkError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        if let Some(frame) = self.frames.last_mut() {
            frame.field = key;
        }
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        Walker::end(self);
        Ok(())
    }
}
