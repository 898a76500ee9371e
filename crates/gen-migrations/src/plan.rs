//! `sqitch.plan`: Sqitch's plan file, parsed and written back.
//!
//! The grammar is Sqitch's own (`App::Sqitch::Plan::_parse`, v1.3.1): a header
//! of `%pragma=value` lines ended by a blank line, then change lines
//! `name [deps] 2026-11-21T12:00:00Z Name <email> # note`, tag lines
//! `@tag 2026-… Name <email> # note`, blank lines and `#` comments.
//!
//! Every line keeps the text it was read from. Writing reuses that text for
//! entries that have not been modified, so a plan written by Sqitch, by gen or
//! by hand reads and writes back byte for byte, and appending a change touches
//! nothing above it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::grammar::{
    self, BLANK_LINE, BLANKS, DEPENDENCY, ENTRY, NOTE, PRAGMA, TAG_START, TIMESTAMP,
};
use crate::{MigrationError, Signature, Timestamp};

/// The plan syntax version gen writes and Sqitch 1.x reads.
pub const SYNTAX_VERSION: &str = "1.0.0";

/// A parsed `sqitch.plan`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqitchPlan {
    /// Value of `%syntax-version` (Sqitch supplies `1.0.0` when it is absent).
    pub syntax_version: String,
    /// Value of `%project`; also the first line of every change id.
    pub project: String,
    /// Value of `%uri`, if any; also part of every change id.
    pub uri: Option<String>,
    /// Changes, tags, blank lines and comments after the header, in file order.
    pub entries: Vec<Entry>,
    header: Header,
}

/// The header as read, reused on write while its pragmas are unchanged so
/// comments and unknown pragmas in it survive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Header {
    lines: Vec<String>,
    /// Whether `lines` ends with the blank line that separates it from entries.
    terminated: bool,
    /// `(syntax_version, project, uri)` when `lines` was read.
    read_as: Option<(String, String, Option<String>)>,
}

/// One line of the plan after the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A change to deploy.
    Change(PlanChange),
    /// A tag on the change before it.
    Tag(Tag),
    /// A blank or comment-only line, kept verbatim (without its line break).
    Blank(String),
}

/// A planned change: `name [deps] 2026-11-21T12:00:00Z Name <email> # note`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanChange {
    /// The change name; also names its scripts, `deploy/<name>.sql` and so on.
    pub name: String,
    /// The legacy `+`/`-` prefix some old plans carry.
    pub operator: Option<Operator>,
    /// Requirements and conflicts, in the order written.
    pub dependencies: Vec<Dependency>,
    /// Who planned the change and when.
    pub planner: Signature,
    /// The note after `#`, unescaped (may contain line breaks).
    pub note: String,
    source: Source,
}

/// A tag: `@name 2026-11-21T12:00:00Z Name <email> # note`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The tag name without its `@`.
    pub name: String,
    /// Who tagged and when.
    pub planner: Signature,
    /// The note after `#`, unescaped.
    pub note: String,
    source: Source,
}

/// The `+` (deploy) or `-` (revert) prefix of a change line in old plans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `+name`.
    Deploy,
    /// `-name`.
    Revert,
}

/// A dependency inside `[...]`: `[!][project:]change[@tag]`, `[!][project:]@tag`
/// or `[!][project:]<sha1 change id>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dependency {
    /// `!`: the change conflicts with, rather than requires, this one.
    pub conflicts: bool,
    /// `project:` prefix, for a change in another Sqitch project.
    pub project: Option<String>,
    /// The change name.
    pub change: Option<String>,
    /// The tag, after `@`.
    pub tag: Option<String>,
    /// A change id given instead of a name.
    pub id: Option<String>,
}

/// Where an entry came from. Always equal, so derived equality compares what a
/// line says, not how it was spelled.
#[derive(Clone, Debug, Default)]
struct Source(Option<SourceLine>);

#[derive(Clone, Debug)]
struct SourceLine {
    number: usize,
    text: String,
}

impl PartialEq for Source {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Source {}

impl Source {
    fn new(number: usize, text: &str) -> Self {
        Self(Some(SourceLine {
            number,
            text: text.to_owned(),
        }))
    }
}

impl SqitchPlan {
    /// An empty plan for `project`, written with gen's canonical header.
    pub fn new(project: impl Into<String>, uri: Option<String>) -> Self {
        Self {
            syntax_version: SYNTAX_VERSION.to_owned(),
            project: project.into(),
            uri,
            entries: Vec::new(),
            header: Header::default(),
        }
    }

    /// Parses plan text; `path` only labels error messages (`path:LINE: …`).
    ///
    /// Accepts what Sqitch accepts, with its checks: names, timestamps,
    /// planners, duplicate changes and tags, and that every requirement in this
    /// project names an earlier change. Reworked changes (a name planned again
    /// after a tag) are accepted; see [`SqitchPlan::reworked`].
    pub fn parse(text: &str, path: &Path) -> Result<Self, MigrationError> {
        Parser::new(path).parse(text)
    }

    /// The plan as file text; unmodified lines come out exactly as read.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let fields = (
            self.syntax_version.clone(),
            self.project.clone(),
            self.uri.clone(),
        );
        if self.header.read_as.as_ref() == Some(&fields) {
            for line in &self.header.lines {
                out.push_str(line);
                out.push('\n');
            }
            if !self.header.terminated && !self.entries.is_empty() {
                out.push('\n');
            }
        } else {
            out.push_str(&format!("%syntax-version={}\n", self.syntax_version));
            out.push_str(&format!("%project={}\n", self.project));
            if let Some(uri) = &self.uri {
                out.push_str(&format!("%uri={uri}\n"));
            }
            out.push('\n');
        }
        for entry in &self.entries {
            match entry {
                Entry::Blank(text) => out.push_str(text),
                Entry::Change(change) => out.push_str(&change.render()),
                Entry::Tag(tag) => out.push_str(&tag.render()),
            }
            out.push('\n');
        }
        out
    }

    /// The changes, in plan order.
    pub fn changes(&self) -> impl Iterator<Item = &PlanChange> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Change(c) => Some(c),
            _ => None,
        })
    }

    /// The tags, in plan order.
    pub fn tags(&self) -> impl Iterator<Item = &Tag> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Tag(t) => Some(t),
            _ => None,
        })
    }

    /// The latest change called `name`.
    pub fn change(&self, name: &str) -> Option<&PlanChange> {
        self.changes().filter(|c| c.name == name).last()
    }

    /// The first change that reworks (plans again) an earlier change of the same name.
    pub fn reworked(&self) -> Option<&PlanChange> {
        let mut seen = std::collections::BTreeSet::new();
        self.changes().find(|c| !seen.insert(c.name.as_str()))
    }

    /// Appends `change`, after a blank line when the last entry is a tag, as
    /// `sqitch add` does.
    pub fn push_change(&mut self, change: PlanChange) {
        if matches!(self.entries.last(), Some(Entry::Tag(_))) {
            self.entries.push(Entry::Blank(String::new()));
        }
        self.entries.push(Entry::Change(change));
    }

    /// Every change with its Sqitch change id, in plan order.
    pub fn change_ids(&self) -> Vec<(&PlanChange, String)> {
        let uri = self.uri.as_deref();
        let mut parent: Option<String> = None;
        let mut out = Vec::new();
        for change in self.changes() {
            let id = crate::change_id(&self.project, uri, change, parent.as_deref());
            parent = Some(id.clone());
            out.push((change, id));
        }
        out
    }

    /// Every tag with its Sqitch tag id and the id of the change it tags, in plan order.
    pub fn tag_ids(&self) -> Vec<(&Tag, String, String)> {
        let uri = self.uri.as_deref();
        let mut parent: Option<String> = None;
        let mut out = Vec::new();
        for entry in &self.entries {
            match entry {
                Entry::Change(change) => {
                    parent = Some(crate::change_id(
                        &self.project,
                        uri,
                        change,
                        parent.as_deref(),
                    ));
                }
                Entry::Tag(tag) => {
                    // The parser refuses a tag with no change before it; a plan
                    // built in code could still have one, and it has no id.
                    if let Some(change_id) = &parent {
                        let id = crate::tag_id(&self.project, uri, tag, change_id);
                        out.push((tag, id, change_id.clone()));
                    }
                }
                Entry::Blank(_) => {}
            }
        }
        out
    }
}

impl fmt::Display for SqitchPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl PlanChange {
    /// A change that has not been written yet.
    pub fn new(
        name: impl Into<String>,
        dependencies: Vec<Dependency>,
        planner: Signature,
        note: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            operator: None,
            dependencies,
            planner,
            note: note.into(),
            source: Source::default(),
        }
    }

    /// The 1-based plan line this change was read from.
    pub fn line(&self) -> Option<usize> {
        self.source.0.as_ref().map(|s| s.number)
    }

    /// The changes this one requires.
    pub fn requires(&self) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().filter(|d| !d.conflicts)
    }

    /// The changes this one conflicts with.
    pub fn conflicts(&self) -> impl Iterator<Item = &Dependency> {
        self.dependencies.iter().filter(|d| d.conflicts)
    }

    fn render(&self) -> String {
        if let Some(src) = &self.source.0
            && matches!(parse_entry(&src.text), Ok(Parsed::Change(ref c)) if c == self)
        {
            return src.text.clone();
        }
        let mut out = String::new();
        match self.operator {
            Some(Operator::Deploy) => out.push('+'),
            Some(Operator::Revert) => out.push('-'),
            None => {}
        }
        out.push_str(&self.name);
        out.push(' ');
        if !self.dependencies.is_empty() {
            let deps: Vec<String> = self.dependencies.iter().map(|d| d.to_string()).collect();
            out.push_str(&format!("[{}] ", deps.join(" ")));
        }
        out.push_str(&render_planner(&self.planner));
        out.push_str(&render_note(&self.note));
        out
    }
}

impl Tag {
    /// A tag that has not been written yet.
    pub fn new(name: impl Into<String>, planner: Signature, note: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            planner,
            note: note.into(),
            source: Source::default(),
        }
    }

    /// The 1-based plan line this tag was read from.
    pub fn line(&self) -> Option<usize> {
        self.source.0.as_ref().map(|s| s.number)
    }

    fn render(&self) -> String {
        if let Some(src) = &self.source.0
            && matches!(parse_entry(&src.text), Ok(Parsed::Tag(ref t)) if t == self)
        {
            return src.text.clone();
        }
        format!(
            "@{} {}{}",
            self.name,
            render_planner(&self.planner),
            render_note(&self.note)
        )
    }
}

fn render_planner(p: &Signature) -> String {
    format!("{} {} <{}>", p.planned_at, p.name, p.email)
}

fn render_note(note: &str) -> String {
    if note.is_empty() {
        return String::new();
    }
    let mut out = String::from(" # ");
    for c in note.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out
}

/// Sqitch's note clean-up: trim, then turn `\n`, `\r` and `\\` escapes back
/// into the characters.
fn unescape_note(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('n') => {
                    out.push('\n');
                    chars.next();
                    continue;
                }
                Some('r') => {
                    out.push('\r');
                    chars.next();
                    continue;
                }
                Some('\\') => {
                    out.push('\\');
                    chars.next();
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

impl Dependency {
    /// Parses one dependency specification; `None` if it is not one.
    pub fn parse(spec: &str) -> Option<Self> {
        let caps = DEPENDENCY.captures(spec).ok()??;
        let text = |name: &str| caps.name(name).map(|m| m.as_str().to_owned());
        let dep = Self {
            conflicts: caps
                .name("conflicts")
                .is_some_and(|m| !m.as_str().is_empty()),
            project: text("project"),
            change: text("change"),
            tag: text("tag").or_else(|| text("tagonly")),
            id: text("id"),
        };
        // The pattern also matches a bare `!` or `proj:`, which Sqitch then
        // refuses for naming nothing.
        (dep.change.is_some() || dep.tag.is_some() || dep.id.is_some()).then_some(dep)
    }

    /// A requirement on a change of this project by name.
    pub fn on_change(name: impl Into<String>) -> Self {
        Self {
            change: Some(name.into()),
            ..Self::default()
        }
    }

    /// `change`, `change@tag`, `@tag` or the id: what Sqitch looks up in the plan.
    pub fn key_name(&self) -> String {
        let mut key = String::new();
        if let Some(change) = &self.change {
            key.push_str(change);
        }
        if let Some(tag) = &self.tag {
            key.push('@');
            key.push_str(tag);
        }
        if key.is_empty()
            && let Some(id) = &self.id
        {
            key.push_str(id);
        }
        key
    }

    /// Whether the dependency is on a change in `project` that must be in this
    /// plan (Sqitch does not resolve ids or other projects' changes at plan time).
    pub fn is_local_to(&self, project: &str) -> bool {
        match &self.project {
            Some(p) => p == project,
            None => self.id.is_none(),
        }
    }

    /// Sqitch's `Depend::as_string` in a plan of `project`: the key, prefixed
    /// with its project only when that is another project.
    pub(crate) fn as_sqitch_string(&self, project: &str) -> String {
        match &self.project {
            Some(p) if p != project => format!("{p}:{}", self.key_name()),
            _ => self.key_name(),
        }
    }
}

impl fmt::Display for Dependency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.conflicts {
            f.write_str("!")?;
        }
        if let Some(project) = &self.project {
            write!(f, "{project}:")?;
        }
        f.write_str(&self.key_name())
    }
}

/// Checks a change or tag name the way `App::Sqitch::Plan::_is_valid` does.
pub fn validate_name(kind: &'static str, name: &str) -> Result<(), MigrationError> {
    let invalid = |reason| MigrationError::InvalidName {
        kind,
        name: name.to_owned(),
        reason,
    };
    if name == "ROOT" || name == "HEAD" {
        return Err(invalid("it is reserved by sqitch"));
    }
    if looks_like_id(name) {
        return Err(invalid("it could be confused with a sha1 change id"));
    }
    if !grammar::is_name(name) {
        return Err(invalid(
            "names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation",
        ));
    }
    if kind == "tag" && name.contains('/') {
        return Err(invalid("tags must not contain \"/\""));
    }
    if escapes(name) {
        return Err(invalid(ESCAPES));
    }
    Ok(())
}

/// Whether a change name's scripts would not be a file of their own
/// inside `deploy/`, `revert/` and `verify/`: a part between `/` that is
/// empty, `.` or `..`, or a hidden file. Sqitch takes such names; gen does
/// not write or read them.
fn escapes(name: &str) -> bool {
    name.split('/')
        .any(|part| part.is_empty() || part.starts_with('.'))
}

const ESCAPES: &str = "each part between \"/\" must be a name of its own, not empty and not beginning with \".\", so that its scripts stay inside deploy/, revert/ and verify/";

fn looks_like_id(name: &str) -> bool {
    name.len() >= 40
        && name.as_bytes()[..40]
            .iter()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A change or tag line read without its context.
enum Parsed {
    Change(PlanChange),
    Tag(Tag),
}

/// Parses one change or tag line (already known not to be blank), applying
/// the checks that need no context. `raw` may end in `\r`.
fn parse_entry(raw: &str) -> Result<Parsed, String> {
    let line = raw.strip_suffix('\r').unwrap_or(raw);
    let (content, note) = match NOTE.captures(line).ok().flatten() {
        Some(caps) => {
            let start = caps.get(0).map_or(line.len(), |m| m.start());
            let note = caps.name("note").map(|m| unescape_note(m.as_str()));
            (&line[..start], note.unwrap_or_default())
        }
        None => (line, String::new()),
    };
    let is_tag = TAG_START.is_match(content).unwrap_or(false);
    let caps = ENTRY.captures(content).ok().flatten();
    let get = |name: &str| caps.as_ref().and_then(|c| c.name(name)).map(|m| m.as_str());

    let has_ts = get("yr").is_some();
    let Some(name) = get("name") else {
        return Err(invalid_name_message());
    };
    if !has_ts && TIMESTAMP.is_match(content).unwrap_or(false) {
        return Err(invalid_name_message());
    }
    let has_planner = get("pname").is_some();
    match (has_ts, has_planner) {
        (false, false) => return Err("missing timestamp and planner name and email".into()),
        (false, true) => return Err("missing timestamp".into()),
        (true, false) => return Err("missing planner name and email".into()),
        (true, true) => {}
    }
    if name == "ROOT" || name == "HEAD" {
        let shown = if is_tag {
            format!("@{name}")
        } else {
            name.to_owned()
        };
        return Err(format!("\"{shown}\" is a reserved name"));
    }
    if looks_like_id(name) {
        return Err(format!(
            "\"{name}\" is invalid because it could be confused with a sha1 id"
        ));
    }
    if !is_tag && escapes(name) {
        return Err(format!("\"{name}\" is refused: {ESCAPES}"));
    }
    let num = |n: &str| {
        get(n)
            .and_then(|v| v.parse::<u16>().ok())
            .unwrap_or(u16::MAX)
    };
    let small = |n: &str| u8::try_from(num(n)).unwrap_or(u8::MAX);
    let planned_at = Timestamp::new(
        num("yr"),
        small("mo"),
        small("dy"),
        small("hr"),
        small("mi"),
        small("sc"),
    )
    .ok_or_else(|| "invalid timestamp: no such date or time".to_owned())?;
    let planner = Signature {
        name: get("pname").unwrap_or_default().to_owned(),
        email: get("pemail").unwrap_or_default().to_owned(),
        planned_at,
    };

    if is_tag {
        if name.contains('/') {
            return Err(format!("tag \"{name}\" contains illegal character /"));
        }
        if get("deps").is_some() {
            return Err("tags may not specify dependencies".into());
        }
        return Ok(Parsed::Tag(Tag {
            name: name.to_owned(),
            planner,
            note,
            source: Source::default(),
        }));
    }

    let mut dependencies = Vec::new();
    if let Some(deps) = get("deps") {
        let mut seen = std::collections::BTreeSet::new();
        for spec in BLANKS.split(deps) {
            let spec = spec.map_err(|e| e.to_string())?;
            let dep = Dependency::parse(spec)
                .ok_or_else(|| format!("\"{spec}\" is not a valid dependency specification"))?;
            if !seen.insert(spec) {
                return Err(format!("duplicate dependency \"{spec}\""));
            }
            dependencies.push(dep);
        }
    }
    let operator = match get("operator") {
        Some("+") => Some(Operator::Deploy),
        Some("-") => Some(Operator::Revert),
        _ => None,
    };
    Ok(Parsed::Change(PlanChange {
        name: name.to_owned(),
        operator,
        dependencies,
        planner,
        note,
        source: Source::default(),
    }))
}

fn invalid_name_message() -> String {
    "invalid name; names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation".to_owned()
}

struct Parser<'a> {
    path: &'a Path,
}

impl<'a> Parser<'a> {
    fn new(path: &'a Path) -> Self {
        Self { path }
    }

    fn error(&self, line: usize, message: impl Into<String>) -> MigrationError {
        MigrationError::PlanSyntax {
            path: self.path.to_owned(),
            line,
            message: message.into(),
        }
    }

    fn parse(&self, text: &str) -> Result<SqitchPlan, MigrationError> {
        let mut lines = text
            .split_inclusive('\n')
            .map(|l| l.strip_suffix('\n').unwrap_or(l))
            .enumerate()
            .map(|(i, l)| (i + 1, l));

        let mut header = Header::default();
        let mut syntax_version = None;
        let mut project = None;
        let mut uri = None;
        for (number, raw) in lines.by_ref() {
            header.lines.push(raw.to_owned());
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some(caps) = BLANK_LINE.captures(line).ok().flatten() {
                let note = caps.name("note").map(|m| unescape_note(m.as_str()));
                if note.unwrap_or_default().is_empty() {
                    header.terminated = true;
                    break;
                }
                continue;
            }
            let content = match NOTE.find(line).ok().flatten() {
                Some(m) => &line[..m.start()],
                None => line,
            };
            let caps = PRAGMA.captures(content).ok().flatten().ok_or_else(|| {
                self.error(
                    number,
                    "invalid pragma; a blank line must come between pragmas and changes",
                )
            })?;
            let value = caps.name("value").map(|m| m.as_str().trim_end().to_owned());
            match &caps["name"] {
                "syntax-version" => {
                    let version = value.unwrap_or_default();
                    // Sqitch has written 1.0.0 (1.0.0-b1, -b2 before its
                    // release); a later syntax may mean lines gen would
                    // misread.
                    if version.split(['.', '-']).next() != Some("1") {
                        return Err(self.error(
                            number,
                            format!(
                                "plan syntax version {version} is not one gen reads: it reads Sqitch's {SYNTAX_VERSION}"
                            ),
                        ));
                    }
                    syntax_version = Some(version);
                }
                "project" => {
                    let proj = value.unwrap_or_default();
                    if !grammar::is_name(&proj) {
                        return Err(self.error(
                            number,
                            format!(
                                "invalid project name \"{proj}\": project names must not begin with punctuation, contain \"@\", \":\", \"#\", \"\\\", or blanks, or end in punctuation or digits following punctuation"
                            ),
                        ));
                    }
                    project = Some(proj);
                }
                "uri" => uri = value,
                _ => {}
            }
        }
        let Some(project) = project else {
            return Err(self.error(header.lines.len().max(1), "missing %project pragma"));
        };
        let syntax_version = syntax_version.unwrap_or_else(|| SYNTAX_VERSION.to_owned());
        header.read_as = Some((syntax_version.clone(), project.clone(), uri.clone()));

        let mut entries = Vec::new();
        // Sqitch's bookkeeping: lines of changes and tags in closed tag
        // sections, lines of changes since the last tag, and the changes of
        // the open section still to be checked.
        let mut line_of: BTreeMap<String, usize> = BTreeMap::new();
        let mut section: BTreeMap<String, usize> = BTreeMap::new();
        let mut pending: Vec<(usize, usize)> = Vec::new(); // (entry index, line)
        let mut have_change = false;

        for (number, raw) in lines {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if BLANK_LINE.is_match(line).unwrap_or(false) {
                entries.push(Entry::Blank(raw.to_owned()));
                continue;
            }
            match parse_entry(raw).map_err(|m| self.error(number, m))? {
                Parsed::Tag(mut tag) => {
                    if !have_change {
                        return Err(self.error(
                            number,
                            format!("tag \"{}\" declared without a preceding change", tag.name),
                        ));
                    }
                    let key = format!("@{}", tag.name);
                    if let Some(at) = line_of.get(&key) {
                        return Err(self.error(
                            number,
                            format!(
                                "tag \"{}\" duplicates earlier declaration on line {at}",
                                tag.name
                            ),
                        ));
                    }
                    self.check_section(&project, &entries, &pending, &line_of)?;
                    pending.clear();
                    line_of.append(&mut section);
                    line_of.insert(key, number);
                    tag.source = Source::new(number, raw);
                    entries.push(Entry::Tag(tag));
                }
                Parsed::Change(mut change) => {
                    if let Some(at) = section.get(&change.name) {
                        return Err(self.error(
                            number,
                            format!(
                                "change \"{}\" duplicates earlier declaration on line {at}",
                                change.name
                            ),
                        ));
                    }
                    section.insert(change.name.clone(), number);
                    change.source = Source::new(number, raw);
                    pending.push((entries.len(), number));
                    entries.push(Entry::Change(change));
                    have_change = true;
                }
            }
        }
        self.check_section(&project, &entries, &pending, &line_of)?;

        Ok(SqitchPlan {
            syntax_version,
            project,
            uri,
            entries,
            header,
        })
    }

    /// Sqitch's `check_changes`: every requirement on this project names a
    /// change planned earlier (or `change@tag` with the change before the tag).
    fn check_section(
        &self,
        project: &str,
        entries: &[Entry],
        pending: &[(usize, usize)],
        seen: &BTreeMap<String, usize>,
    ) -> Result<(), MigrationError> {
        let mut position: BTreeMap<&str, usize> = BTreeMap::new();
        let name_at = |idx: usize| match &entries[idx] {
            Entry::Change(c) => Some(c),
            _ => None,
        };
        for (i, &(idx, _)) in pending.iter().enumerate() {
            if let Some(c) = name_at(idx) {
                position.entry(c.name.as_str()).or_insert(i);
            }
        }
        for (i, &(idx, number)) in pending.iter().enumerate() {
            let Some(change) = name_at(idx) else { continue };
            for dep in change.requires() {
                if !dep.is_local_to(project) {
                    continue;
                }
                let key = dep.key_name();
                let ok = match (&dep.change, &dep.tag) {
                    (Some(c), Some(t)) => match (seen.get(&format!("@{t}")), seen.get(c)) {
                        (Some(tag_at), Some(change_at)) => change_at < tag_at,
                        _ => false,
                    },
                    _ => {
                        seen.contains_key(&key)
                            || position.get(key.as_str()).is_some_and(|&p| p < i)
                    }
                };
                if ok {
                    continue;
                }
                let message = if key == change.name {
                    format!("change \"{}\" cannot require itself", change.name)
                } else if let Some(&p) = position.get(key.as_str()) {
                    format!(
                        "change \"{}\" is planned {} before required change \"{key}\"; move it down",
                        change.name,
                        plural(p - i, "change")
                    )
                } else {
                    format!(
                        "unknown change \"{key}\" required by change \"{}\"",
                        change.name
                    )
                };
                return Err(self.error(number, message));
            }
        }
        Ok(())
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests;
