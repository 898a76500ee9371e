//! Sqitch's registry in a target database: the `sqitch` schema with
//! `releases`, `projects`, `changes`, `tags`, `dependencies` and `events`,
//! written row for row as `sqitch deploy` writes it (App::Sqitch::Engine::pg
//! and App::Sqitch::Role::DBIEngine, release 1.1), so that a database
//! deployed by gen reads right in `sqitch status` and the other way round.
//!
//! The logging methods run on the caller's connection and inside the
//! caller's transaction: a deploy puts a change's script and its registry
//! rows in one transaction. [`record_deployed`] is the one call that marks
//! changes as deployed without running them (`gen deploy --log-only`).

use std::collections::BTreeMap;

use tokio_postgres::Client;

use crate::{
    Dependency, MigrationDir, MigrationError, PlanChange, ScriptKind, Signature, SqitchPlan, Tag,
};

/// The schema the registry lives in (Sqitch's `registry` default).
pub const REGISTRY_SCHEMA: &str = "sqitch";

/// The registry release gen reads and writes; Sqitch 1.3 writes the same.
pub const REGISTRY_RELEASE: &str = "1.1";

/// The session advisory lock Sqitch takes on PostgreSQL for the length of a
/// deploy or revert (`pg_advisory_lock(75474063)` in App::Sqitch::Engine::pg);
/// taking the same one makes gen and sqitch wait for each other.
pub const LOCK_KEY: i64 = 75_474_063;

/// Who deploys: recorded as `committer_name`/`committer_email`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committer {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
}

impl Committer {
    /// The committer as Sqitch picks it: `SQITCH_FULLNAME`/`SQITCH_EMAIL`,
    /// then git's `user.name`/`user.email`, then `$USER <$USER@localhost>`.
    pub fn from_env_in(dir: &std::path::Path) -> Result<Self, MigrationError> {
        let planner = Signature::from_env_in(dir)?;
        Ok(Self {
            name: planner.name,
            email: planner.email,
        })
    }
}

/// A change as the registry's `changes` table holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployedChange {
    /// Sqitch change id.
    pub id: String,
    /// Change name.
    pub name: String,
    /// SHA-1 of the deploy script as it was deployed.
    pub script_hash: Option<String>,
    /// When it was deployed, `YYYY-MM-DDTHH:MM:SSZ`.
    pub committed_at: String,
    /// Who deployed it.
    pub committer_name: String,
    /// Their email.
    pub committer_email: String,
    /// Tags recorded on it, with their `@`, sorted.
    pub tags: Vec<String>,
}

/// A change of the plan with everything the registry records about it.
#[derive(Clone, Debug)]
pub struct PlannedChange<'p> {
    /// Position in the plan, from 0.
    pub index: usize,
    /// The plan entry.
    pub change: &'p PlanChange,
    /// Sqitch change id.
    pub id: String,
    /// SHA-1 of its deploy script, as Sqitch records it.
    pub script_hash: String,
    /// The tags on the change, with their ids.
    pub tags: Vec<(&'p Tag, String)>,
}

/// The plan's changes with ids, script hashes and tags. Fails on a
/// missing deploy script, naming it.
pub fn planned_changes(dir: &MigrationDir) -> Result<Vec<PlannedChange<'_>>, MigrationError> {
    let plan = dir.plan();
    let mut tags: BTreeMap<String, Vec<(&Tag, String)>> = BTreeMap::new();
    for (tag, id, change_id) in plan.tag_ids() {
        tags.entry(change_id).or_default().push((tag, id));
    }
    plan.change_ids()
        .into_iter()
        .enumerate()
        .map(|(index, (change, id))| {
            let path = dir.script_path(ScriptKind::Deploy, &change.name);
            let bytes = std::fs::read(&path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    MigrationError::MissingScript {
                        change: change.name.clone(),
                        path: path.clone(),
                    }
                } else {
                    MigrationError::io("read", &path, e)
                }
            })?;
            Ok(PlannedChange {
                index,
                change,
                script_hash: crate::script_hash(&bytes),
                tags: tags.remove(&id).unwrap_or_default(),
                id,
            })
        })
        .collect()
}

/// Finds `target` in the plan: `change`, `@tag` or `change@tag` (the change
/// itself; a tag stands for the change it tags), or Sqitch's `@ROOT` and
/// `@HEAD`. `None` when the plan has no such change or tag.
pub fn find_target(plan: &SqitchPlan, target: &str) -> Option<usize> {
    let target = target.trim();
    let count = plan.changes().count();
    // Sqitch's symbolic tags: the first and the last change.
    match target {
        "@ROOT" | "ROOT" => return (count > 0).then_some(0),
        "@HEAD" | "HEAD" => return count.checked_sub(1),
        _ => {}
    }
    let (name, tag) = match target.split_once('@') {
        Some((name, tag)) => (name, Some(tag)),
        None => (target, None),
    };
    let changes: Vec<&PlanChange> = plan.changes().collect();
    match tag {
        Some(tag) => {
            let mut count = 0usize;
            let mut tagged = None;
            for entry in &plan.entries {
                match entry {
                    crate::Entry::Change(_) => count += 1,
                    crate::Entry::Tag(t) if t.name == tag && count > 0 => tagged = Some(count - 1),
                    _ => {}
                }
            }
            let tagged = tagged?;
            if name.is_empty() {
                Some(tagged)
            } else {
                // `change@tag`: that change as it was when the tag was set.
                changes[..=tagged].iter().rposition(|c| c.name == name)
            }
        }
        None => changes.iter().rposition(|c| c.name == name),
    }
}

/// Checks that the changes deployed for the plan's project are the plan's
/// first changes, in order and with the same ids; returns how many.
pub fn check_deployed(
    plan: &SqitchPlan,
    deployed: &[DeployedChange],
) -> Result<usize, MigrationError> {
    let planned = plan.change_ids();
    for (i, d) in deployed.iter().enumerate() {
        let agrees = planned
            .get(i)
            .is_some_and(|(c, id)| c.name == d.name && *id == d.id);
        if !agrees {
            return Err(MigrationError::RegistryDisagrees {
                project: plan.project.clone(),
                position: i + 1,
                change: d.name.clone(),
                id: d.id.clone(),
                planned: planned.get(i).map(|(c, _)| c.name.clone()),
            });
        }
    }
    Ok(deployed.len())
}

/// The registry of the database behind one connection.
#[derive(Debug, Clone, Copy)]
pub struct Registry<'c> {
    client: &'c Client,
}

impl<'c> Registry<'c> {
    /// The registry on `client`'s database (which may not have one yet).
    pub fn new(client: &'c Client) -> Self {
        Self { client }
    }

    async fn run<T>(
        &self,
        action: &str,
        f: impl Future<Output = Result<T, tokio_postgres::Error>>,
    ) -> Result<T, MigrationError> {
        f.await.map_err(|e| MigrationError::database(action, &e))
    }

    /// Whether the database has a registry (Sqitch's test: a `changes`
    /// table in the registry schema).
    pub async fn exists(&self) -> Result<bool, MigrationError> {
        let row = self
            .run(
                "looking for the sqitch registry",
                self.client.query_one(
                    "SELECT EXISTS (SELECT FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'changes')",
                    &[&REGISTRY_SCHEMA],
                ),
            )
            .await?;
        Ok(row.get(0))
    }

    /// Waits for the deploy lock, which gen and sqitch share. It is a
    /// session lock: it holds across the per-change transactions and ends
    /// with [`Registry::unlock`] or the connection.
    pub async fn lock(&self) -> Result<(), MigrationError> {
        self.run(
            "waiting for the deploy lock",
            self.client
                .execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY]),
        )
        .await?;
        Ok(())
    }

    /// Takes the deploy lock if it is free; `false` when another deployer
    /// (gen or sqitch) holds it.
    pub async fn try_lock(&self) -> Result<bool, MigrationError> {
        let row = self
            .run(
                "trying the deploy lock",
                self.client
                    .query_one("SELECT pg_try_advisory_lock($1)", &[&LOCK_KEY]),
            )
            .await?;
        Ok(row.get(0))
    }

    /// Releases the lock taken by [`Registry::lock`].
    pub async fn unlock(&self) -> Result<(), MigrationError> {
        self.run(
            "releasing the deploy lock",
            self.client
                .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]),
        )
        .await?;
        Ok(())
    }

    /// Refuses a registry of a release gen does not know.
    pub async fn check_release(&self) -> Result<(), MigrationError> {
        let has_releases: bool = self
            .run(
                "reading the sqitch registry release",
                self.client.query_one(
                    "SELECT EXISTS (SELECT FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'releases')",
                    &[&REGISTRY_SCHEMA],
                ),
            )
            .await?
            .get(0);
        let found = if has_releases {
            let row = self
                .run(
                    "reading the sqitch registry release",
                    self.client
                        .query_one("SELECT max(version)::text FROM sqitch.releases", &[]),
                )
                .await?;
            row.get::<_, Option<String>>(0)
        } else {
            None
        };
        match found.as_deref() {
            Some(REGISTRY_RELEASE) => Ok(()),
            other => Err(MigrationError::RegistryRelease {
                found: other.unwrap_or("1.0 or older").to_owned(),
            }),
        }
    }

    /// Creates the registry when the database has none, in one transaction;
    /// checks the release of one that exists. Call with the lock held, so
    /// that two deployers do not both create it. Returns whether it created it.
    pub async fn ensure(&self, committer: &Committer) -> Result<bool, MigrationError> {
        if self.exists().await? {
            self.check_release().await?;
            return Ok(false);
        }
        let action = "creating the sqitch registry";
        self.in_transaction(async {
            self.run(
                action,
                self.client.batch_execute(include_str!("registry.sql")),
            )
            .await?;
            self.run(
                action,
                self.client.execute(
                    "INSERT INTO sqitch.releases (version, installed_at, installer_name, installer_email) \
                     VALUES ($1::text::real, clock_timestamp(), $2, $3)",
                    &[&REGISTRY_RELEASE, &committer.name, &committer.email],
                ),
            )
            .await
        })
        .await?;
        Ok(true)
    }

    /// Registers the plan's project, or checks the registered one, with
    /// Sqitch's rules: a project registered under another URI, or a URI
    /// registered for another project, is refused.
    pub async fn register_project(
        &self,
        plan: &SqitchPlan,
        committer: &Committer,
    ) -> Result<(), MigrationError> {
        if self.check_project(plan).await? {
            return Ok(());
        }
        self.run(
            "registering the project in the sqitch registry",
            self.client.execute(
                "INSERT INTO sqitch.projects (project, uri, creator_name, creator_email, created_at) \
                 VALUES ($1, $2, $3, $4, clock_timestamp())",
                &[
                    &plan.project,
                    &plan.uri.as_deref(),
                    &committer.name,
                    &committer.email,
                ],
            ),
        )
        .await?;
        Ok(())
    }

    /// Whether the plan's project is registered, refusing (as
    /// [`Registry::register_project`] does) a registration under another
    /// URI or a URI registered for another project. Reads only; `false`
    /// without a registry.
    pub async fn check_project(&self, plan: &SqitchPlan) -> Result<bool, MigrationError> {
        if !self.exists().await? {
            return Ok(false);
        }
        let action = "reading the projects of the sqitch registry";
        let uri = plan.uri.as_deref();
        let rows = self
            .run(
                action,
                self.client.query(
                    "SELECT uri FROM sqitch.projects WHERE project = $1",
                    &[&plan.project],
                ),
            )
            .await?;
        if let Some(row) = rows.first() {
            let registered: Option<String> = row.get(0);
            if registered.as_deref() != uri {
                return Err(MigrationError::ProjectUri {
                    project: plan.project.clone(),
                    registered,
                    planned: uri.map(str::to_owned),
                });
            }
            return Ok(true);
        }
        if let Some(uri) = uri {
            let rows = self
                .run(
                    action,
                    self.client.query(
                        "SELECT project FROM sqitch.projects WHERE uri = $1",
                        &[&uri],
                    ),
                )
                .await?;
            if let Some(row) = rows.first() {
                return Err(MigrationError::UriTaken {
                    project: plan.project.clone(),
                    uri: uri.to_owned(),
                    other: row.get(0),
                });
            }
        }
        Ok(false)
    }

    /// The changes of `project` the registry records, oldest first. Empty
    /// when the database has no registry.
    pub async fn deployed(&self, project: &str) -> Result<Vec<DeployedChange>, MigrationError> {
        if !self.exists().await? {
            return Ok(Vec::new());
        }
        let rows = self
            .run(
                "reading the sqitch registry",
                self.client.query(
                    "SELECT c.change_id, c.change, c.script_hash, \
                            to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), \
                            c.committer_name, c.committer_email, \
                            array_remove(array_agg(t.tag ORDER BY t.tag), NULL) \
                       FROM sqitch.changes c \
                       LEFT JOIN sqitch.tags t ON t.change_id = c.change_id \
                      WHERE c.project = $1 \
                      GROUP BY c.change_id \
                      ORDER BY c.committed_at, c.change_id",
                    &[&project],
                ),
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| DeployedChange {
                id: r.get(0),
                name: r.get(1),
                script_hash: r.get(2),
                committed_at: r.get(3),
                committer_name: r.get(4),
                committer_email: r.get(5),
                tags: r.get(6),
            })
            .collect())
    }

    /// Records `change` as deployed: its `changes` row, its dependencies,
    /// its tags and a `deploy` event, as `log_deploy_change` does. Runs in
    /// the caller's transaction.
    pub async fn log_deploy(
        &self,
        plan: &SqitchPlan,
        change: &PlannedChange<'_>,
        committer: &Committer,
    ) -> Result<(), MigrationError> {
        let action = format!(
            "recording change {} in the sqitch registry",
            change.change.name
        );
        let c = change.change;
        let planned_at = c.planner.planned_at.to_string();
        self.run(
            &action,
            self.client.execute(
                "INSERT INTO sqitch.changes (change_id, script_hash, change, project, note, \
                     committer_name, committer_email, planned_at, planner_name, planner_email, committed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::timestamptz, $9, $10, clock_timestamp())",
                &[
                    &change.id,
                    &change.script_hash,
                    &c.name,
                    &plan.project,
                    &c.note,
                    &committer.name,
                    &committer.email,
                    &planned_at,
                    &c.planner.name,
                    &c.planner.email,
                ],
            ),
        )
        .await?;
        for dep in &c.dependencies {
            let resolved = if dep.conflicts {
                None
            } else {
                Some(self.resolve(plan, change.index, dep).await?)
            };
            let kind = if dep.conflicts { "conflict" } else { "require" };
            self.run(
                &action,
                self.client.execute(
                    "INSERT INTO sqitch.dependencies (change_id, type, dependency, dependency_id) \
                     VALUES ($1, $2, $3, $4)",
                    &[
                        &change.id,
                        &kind,
                        &dep.as_sqitch_string(&plan.project),
                        &resolved,
                    ],
                ),
            )
            .await?;
        }
        self.insert_tags(plan, change, committer, &action).await?;
        self.log_event("deploy", plan, change, committer, None)
            .await
    }

    /// Records a tag added to the plan after its change was deployed (what
    /// Sqitch does for the last deployed change before it deploys more).
    pub async fn log_new_tags(
        &self,
        plan: &SqitchPlan,
        change: &PlannedChange<'_>,
        committer: &Committer,
    ) -> Result<(), MigrationError> {
        let action = format!(
            "recording the tags of {} in the sqitch registry",
            change.change.name
        );
        self.insert_tags(plan, change, committer, &action).await
    }

    async fn insert_tags(
        &self,
        plan: &SqitchPlan,
        change: &PlannedChange<'_>,
        committer: &Committer,
        action: &str,
    ) -> Result<(), MigrationError> {
        for (tag, id) in &change.tags {
            self.run(
                action,
                self.client.execute(
                    "INSERT INTO sqitch.tags (tag_id, tag, project, change_id, note, committer_name, \
                         committer_email, planned_at, planner_name, planner_email, committed_at) \
                     SELECT $1, $2, $3, $4, $5, $6, $7, $8::text::timestamptz, $9, $10, clock_timestamp() \
                      WHERE NOT EXISTS (SELECT FROM sqitch.tags WHERE tag_id = $1)",
                    &[
                        id,
                        &format!("@{}", tag.name),
                        &plan.project,
                        &change.id,
                        &tag.note,
                        &committer.name,
                        &committer.email,
                        &tag.planner.planned_at.to_string(),
                        &tag.planner.name,
                        &tag.planner.email,
                    ],
                ),
            )
            .await?;
        }
        Ok(())
    }

    /// Records a `fail` event for a change whose deploy failed.
    pub async fn log_fail(
        &self,
        plan: &SqitchPlan,
        change: &PlannedChange<'_>,
        committer: &Committer,
    ) -> Result<(), MigrationError> {
        self.log_event("fail", plan, change, committer, None).await
    }

    /// Removes a reverted change from the registry (its tags, dependencies
    /// and `changes` row) and records a `revert` event with the tags and
    /// dependencies it had, as `log_revert_change` does. Runs in the
    /// caller's transaction.
    pub async fn log_revert(
        &self,
        plan: &SqitchPlan,
        change: &PlannedChange<'_>,
        committer: &Committer,
    ) -> Result<(), MigrationError> {
        let action = format!(
            "removing change {} from the sqitch registry",
            change.change.name
        );
        let tags: Vec<String> = self
            .run(
                &action,
                self.client.query(
                    "DELETE FROM sqitch.tags WHERE change_id = $1 RETURNING tag",
                    &[&change.id],
                ),
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let row = self
            .run(
                &action,
                self.client.query_one(
                    "SELECT ARRAY(SELECT dependency FROM sqitch.dependencies WHERE change_id = $1 AND type = 'require'), \
                            ARRAY(SELECT dependency FROM sqitch.dependencies WHERE change_id = $1 AND type = 'conflict')",
                    &[&change.id],
                ),
            )
            .await?;
        let (requires, conflicts): (Vec<String>, Vec<String>) = (row.get(0), row.get(1));
        self.run(
            &action,
            self.client.execute(
                "DELETE FROM sqitch.changes WHERE change_id = $1",
                &[&change.id],
            ),
        )
        .await?;
        self.log_event(
            "revert",
            plan,
            change,
            committer,
            Some((tags, requires, conflicts)),
        )
        .await
    }

    async fn log_event(
        &self,
        event: &str,
        plan: &SqitchPlan,
        change: &PlannedChange<'_>,
        committer: &Committer,
        recorded: Option<(Vec<String>, Vec<String>, Vec<String>)>,
    ) -> Result<(), MigrationError> {
        let c = change.change;
        let (tags, requires, conflicts) = recorded.unwrap_or_else(|| {
            let names = |conflicts: bool| {
                c.dependencies
                    .iter()
                    .filter(|d| d.conflicts == conflicts)
                    .map(|d| d.as_sqitch_string(&plan.project))
                    .collect::<Vec<_>>()
            };
            (
                change
                    .tags
                    .iter()
                    .map(|(t, _)| format!("@{}", t.name))
                    .collect(),
                names(false),
                names(true),
            )
        });
        self.run(
            &format!("recording a {event} event for {} in the sqitch registry", c.name),
            self.client.execute(
                "INSERT INTO sqitch.events (event, change_id, change, project, note, tags, requires, \
                     conflicts, committer_name, committer_email, planned_at, planner_name, planner_email, committed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::timestamptz, $12, $13, clock_timestamp())",
                &[
                    &event,
                    &change.id,
                    &c.name,
                    &plan.project,
                    &c.note,
                    &tags,
                    &requires,
                    &conflicts,
                    &committer.name,
                    &committer.email,
                    &c.planner.planned_at.to_string(),
                    &c.planner.name,
                    &c.planner.email,
                ],
            ),
        )
        .await?;
        Ok(())
    }

    /// Sqitch's `check_deploy_dependencies` for the changes `from..to` of
    /// the plan, before any of them runs: every requirement must be
    /// deployed or come earlier in the run, and no conflict may be
    /// deployed or come earlier in the run.
    pub async fn check_dependencies(
        &self,
        plan: &SqitchPlan,
        from: usize,
        to: usize,
    ) -> Result<(), MigrationError> {
        let changes: Vec<&PlanChange> = plan.changes().collect();
        for (index, change) in changes.iter().enumerate().take(to).skip(from) {
            for dep in &change.dependencies {
                let local = dep.project.as_deref().is_none_or(|p| p == plan.project);
                let planned_before = local
                    && dep.id.is_none()
                    && find_target(plan, &dep.key_name()).is_some_and(|i| i < index);
                let present = if planned_before {
                    true
                } else if dep.conflicts {
                    self.is_deployed(plan, dep).await?
                } else {
                    self.resolve(plan, index, dep).await.is_ok()
                };
                if dep.conflicts && present {
                    return Err(MigrationError::ConflictDeployed {
                        change: change.name.clone(),
                        conflict: dep.as_sqitch_string(&plan.project),
                    });
                }
                if !dep.conflicts && !present {
                    return Err(MigrationError::UnresolvedRequirement {
                        change: change.name.clone(),
                        required: dep.as_sqitch_string(&plan.project),
                    });
                }
            }
        }
        Ok(())
    }

    /// Whether a change another project (or an id) names is deployed.
    async fn is_deployed(
        &self,
        plan: &SqitchPlan,
        dep: &Dependency,
    ) -> Result<bool, MigrationError> {
        let project = dep.project.clone().unwrap_or_else(|| plan.project.clone());
        let rows = self
            .run(
                "reading the sqitch registry",
                self.client.query(
                    "SELECT 1 FROM sqitch.changes WHERE project = $1 AND ($2::text IS NULL OR change = $2) \
                        AND ($3::text IS NULL OR change_id = $3) LIMIT 1",
                    &[&project, &dep.change, &dep.id],
                ),
            )
            .await?;
        Ok(!rows.is_empty())
    }

    /// The change id a requirement of the change at `index` resolves to:
    /// in this plan for the project's own changes, in the registry for
    /// another project's.
    async fn resolve(
        &self,
        plan: &SqitchPlan,
        index: usize,
        dep: &Dependency,
    ) -> Result<String, MigrationError> {
        if let Some(id) = &dep.id {
            return Ok(id.clone());
        }
        let unresolved = || MigrationError::UnresolvedRequirement {
            change: plan
                .changes()
                .nth(index)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            required: dep.as_sqitch_string(&plan.project),
        };
        let local = dep.project.as_deref().is_none_or(|p| p == plan.project);
        if local {
            let ids = plan.change_ids();
            return find_target(plan, &dep.key_name())
                .filter(|&i| i < index)
                .map(|i| ids[i].1.clone())
                .ok_or_else(unresolved);
        }
        let project = dep.project.as_deref().unwrap_or_default();
        let rows = self
            .run(
                "resolving a requirement in the sqitch registry",
                self.client.query(
                    "SELECT c.change_id FROM sqitch.changes c \
                      WHERE c.project = $1 \
                        AND ($2::text IS NULL OR c.change = $2) \
                        AND ($3::text IS NULL OR c.committed_at <= (SELECT t2.committed_at FROM sqitch.tags t \
                              JOIN sqitch.changes t2 ON t2.change_id = t.change_id \
                             WHERE t.project = $1 AND t.tag = '@' || $3)) \
                      ORDER BY c.committed_at DESC LIMIT 1",
                    &[&project, &dep.change, &dep.tag],
                ),
            )
            .await?;
        rows.first().map(|r| r.get(0)).ok_or_else(unresolved)
    }
}

/// Marks the plan's changes up to and including `through` (all of them
/// when `None`) as deployed without running their scripts, as
/// `sqitch deploy --log-only` does: takes the deploy lock, creates the
/// registry if needed, checks it agrees with the plan, and records each
/// pending change in its own transaction. Returns the names recorded.
///
/// This is how a database whose schema already matches the first change
/// (a baseline taken from it) gets a registry saying so.
pub async fn record_deployed(
    client: &Client,
    dir: &MigrationDir,
    through: Option<&str>,
    committer: &Committer,
) -> Result<Vec<String>, MigrationError> {
    let plan = dir.plan();
    let end = match through {
        Some(target) => {
            find_target(plan, target).ok_or_else(|| MigrationError::UnknownTarget {
                target: target.to_owned(),
            })? + 1
        }
        None => plan.changes().count(),
    };
    let planned = planned_changes(dir)?;
    let registry = Registry::new(client);
    registry.lock().await?;
    let result = async {
        registry.ensure(committer).await?;
        registry.register_project(plan, committer).await?;
        let deployed = check_deployed(plan, &registry.deployed(&plan.project).await?)?;
        let mut recorded = Vec::new();
        for change in planned.iter().take(end).skip(deployed) {
            registry
                .in_transaction(registry.log_deploy(plan, change, committer))
                .await?;
            recorded.push(change.change.name.clone());
        }
        Ok(recorded)
    }
    .await;
    let unlocked = registry.unlock().await;
    let recorded = result?;
    unlocked?;
    Ok(recorded)
}

impl Registry<'_> {
    /// Runs `f` between BEGIN and COMMIT, rolling back when it fails.
    pub async fn in_transaction<T>(
        &self,
        f: impl Future<Output = Result<T, MigrationError>>,
    ) -> Result<T, MigrationError> {
        self.run("starting a transaction", self.client.batch_execute("BEGIN"))
            .await?;
        match f.await {
            Ok(v) => {
                self.run("committing", self.client.batch_execute("COMMIT"))
                    .await?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.client.batch_execute("ROLLBACK").await;
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const PLAN: &str = "%syntax-version=1.0.0\n%project=shop\n\n\
a 2026-01-02T03:04:05Z Jane <jane@example.com>\n\
b [a] 2026-01-02T03:04:05Z Jane <jane@example.com>\n\
@v1 2026-01-02T03:04:05Z Jane <jane@example.com>\n\
c 2026-01-02T03:04:05Z Jane <jane@example.com>\n\
@v2 2026-01-02T03:04:05Z Jane <jane@example.com>\n";

    #[test]
    fn targets_name_changes_and_tags() {
        let plan = SqitchPlan::parse(PLAN, Path::new("sqitch.plan")).unwrap();
        assert_eq!(find_target(&plan, "a"), Some(0));
        assert_eq!(find_target(&plan, "c"), Some(2));
        assert_eq!(find_target(&plan, "@v1"), Some(1));
        assert_eq!(find_target(&plan, "@v2"), Some(2));
        assert_eq!(find_target(&plan, "a@v1"), Some(0));
        assert_eq!(find_target(&plan, "c@v1"), None);
        assert_eq!(find_target(&plan, "@v3"), None);
        assert_eq!(find_target(&plan, "d"), None);
        assert_eq!(find_target(&plan, "@ROOT"), Some(0));
        assert_eq!(find_target(&plan, "@HEAD"), Some(2));
        let empty = SqitchPlan::new("shop", None);
        assert_eq!(find_target(&empty, "@HEAD"), None);
        assert_eq!(find_target(&empty, "@ROOT"), None);
    }

    fn deployed(name: &str, id: &str) -> DeployedChange {
        DeployedChange {
            id: id.to_owned(),
            name: name.to_owned(),
            script_hash: None,
            committed_at: String::new(),
            committer_name: String::new(),
            committer_email: String::new(),
            tags: Vec::new(),
        }
    }

    #[test]
    fn deployed_changes_must_be_the_plans_first() {
        let plan = SqitchPlan::parse(PLAN, Path::new("sqitch.plan")).unwrap();
        let ids = plan.change_ids();
        let ok = [deployed("a", &ids[0].1), deployed("b", &ids[1].1)];
        assert_eq!(check_deployed(&plan, &ok).unwrap(), 2);
        assert_eq!(check_deployed(&plan, &[]).unwrap(), 0);
        let swapped = [deployed("b", &ids[1].1)];
        let err = check_deployed(&plan, &swapped).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "the database has deployed change b ({}) as number 1 of project \"shop\", but sqitch.plan has a there",
                ids[1].1
            )
        );
        let extra = [
            deployed("a", &ids[0].1),
            deployed("b", &ids[1].1),
            deployed("c", &ids[2].1),
            deployed("d", "0000"),
        ];
        assert!(
            check_deployed(&plan, &extra)
                .unwrap_err()
                .to_string()
                .contains("has no change there")
        );
    }
}
