//! Leak detection: what a lab left in the cluster. Snapshot the objects
//! before the lab and after its cleanup; what is new afterwards was left
//! behind.
//!
//! A snapshot lists every namespaced kind the API can list (`kubectl
//! api-resources --namespaced=true --verbs=list`) plus namespaces
//! themselves (the most common leak), in one `kubectl get … -A -o json`.
//! Not reported, because no lab author leaves them behind on purpose:
//! - kinds that clusters create on their own: events, leases, endpoints,
//!   endpoint slices, controller revisions, metrics;
//! - objects with an owner (`metadata.ownerReferences`): their owner is
//!   reported if it leaked, and if the owner is gone they are being garbage
//!   collected;
//! - objects being deleted (`deletionTimestamp`), and everything in a
//!   namespace being deleted: cleanup did its job, the cluster is finishing;
//! - the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap that
//!   every namespace gets.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::kube::{Kube, KubeError, error_detail};

/// Resources never snapshot (their objects come and go by themselves).
pub const IGNORED_RESOURCES: [&str; 9] = [
    "events",
    "events.events.k8s.io",
    "leases.coordination.k8s.io",
    "endpoints",
    "endpointslices.discovery.k8s.io",
    "controllerrevisions.apps",
    "pods.metrics.k8s.io",
    "nodes.metrics.k8s.io",
    "localsubjectaccessreviews.authorization.k8s.io",
];

/// (kind, name) of objects every namespace gets from the control plane.
const NAMESPACE_DEFAULTS: [(&str, &str); 2] = [
    ("ServiceAccount", "default"),
    ("ConfigMap", "kube-root-ca.crt"),
];

/// How long listing everything may take.
const LIST_TIMEOUT: Duration = Duration::from_secs(60);

/// The objects of a cluster at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The resources listed (`pods`, `networkpolicies.networking.k8s.io`, …).
    pub resources: Vec<String>,
    pub objects: Vec<Object>,
    /// What kubectl complained about while listing (a kind it could not
    /// list); the rest of the snapshot is still used.
    pub warnings: Vec<String>,
}

/// One object of a snapshot: who it is, and what decides whether it counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub uid: Option<String>,
    pub created: Option<String>,
    pub owned: bool,
    pub deleting: bool,
}

impl Object {
    /// Identity across snapshots: the API group (not its version, which a
    /// cluster upgrade may change), kind, namespace and name.
    fn key(&self) -> (String, String, Option<String>, String) {
        let group = self
            .api_version
            .rsplit_once('/')
            .map_or("", |(g, _)| g)
            .to_owned();
        (
            group,
            self.kind.clone(),
            self.namespace.clone(),
            self.name.clone(),
        )
    }
}

/// What a lab left behind.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LeakReport {
    pub leaked: Vec<Leak>,
    /// Resources compared.
    pub resources: usize,
    /// kubectl's complaints during either snapshot.
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Leak {
    pub kind: String,
    pub api_version: String,
    pub namespace: Option<String>,
    pub name: String,
    pub created: Option<String>,
}

impl LeakReport {
    pub fn is_clean(&self) -> bool {
        self.leaked.is_empty()
    }

    /// The leaks as an aligned table with a localized header, or one line
    /// saying there are none.
    pub fn table(&self) -> String {
        if self.leaked.is_empty() {
            return format!(
                "{}\n",
                crate::t!("verify-leaks-none", resources = self.resources)
            );
        }
        let header = [
            crate::t!("verify-leaks-col-kind"),
            crate::t!("verify-leaks-col-namespace"),
            crate::t!("verify-leaks-col-name"),
            crate::t!("verify-leaks-col-created"),
        ];
        let rows: Vec<[String; 4]> = self
            .leaked
            .iter()
            .map(|l| {
                [
                    if l.api_version.contains('/') {
                        format!(
                            "{}.{}",
                            l.kind,
                            l.api_version.split('/').next().unwrap_or("")
                        )
                    } else {
                        l.kind.clone()
                    },
                    l.namespace.clone().unwrap_or_else(|| "-".into()),
                    l.name.clone(),
                    l.created.clone().unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([display_width(&header[i])])
                .max()
                .unwrap_or(0)
        };
        let widths = [width(0), width(1), width(2)];
        let line = |cells: &[String; 4], header: bool| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                s.push_str(cell);
                if i < 3 {
                    let w = if header {
                        display_width(cell)
                    } else {
                        cell.chars().count()
                    };
                    s.push_str(&" ".repeat(widths[i] - w + 2));
                }
            }
            s.trim_end().to_owned()
        };
        let mut out = format!(
            "{}\n",
            crate::t!("verify-leaks-found", count = self.leaked.len())
        );
        out.push_str(&line(&header, true));
        out.push('\n');
        for r in &rows {
            out.push_str(&line(r, false));
            out.push('\n');
        }
        out
    }
}

/// Terminal columns of a header: CJK characters take two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// Takes a snapshot of every listable namespaced object and every namespace.
pub fn snapshot(kube: &Kube) -> Result<Snapshot, KubeError> {
    let timeout = format!("--request-timeout={}s", LIST_TIMEOUT.as_secs());
    let listed = kube.text(
        &[
            "api-resources",
            "--namespaced=true",
            "--verbs=list",
            "-o",
            "name",
            &timeout,
        ],
        LIST_TIMEOUT,
    )?;
    let mut resources: Vec<String> = listed
        .lines()
        .map(str::trim)
        .filter(|r| !r.is_empty() && !IGNORED_RESOURCES.contains(r))
        .map(str::to_owned)
        .collect();
    resources.push("namespaces".into());
    resources.sort();
    resources.dedup();
    let joined = resources.join(",");
    let args = ["get", &joined, "--all-namespaces", "-o", "json", &timeout];
    let out = kube.output(&args, LIST_TIMEOUT + Duration::from_secs(10))?;
    let mut warnings = Vec::new();
    if !out.status.success() {
        warnings.push(error_detail(&out.stderr));
    }
    // A kind that cannot be listed makes kubectl fail but still print the
    // others; a snapshot without JSON at all is an error.
    let list: List = serde_json::from_slice(&out.stdout).map_err(|e| {
        if out.status.success() {
            KubeError::BadOutput {
                command: kube.command_line(&args),
                detail: e.to_string(),
            }
        } else {
            KubeError::Failed {
                command: kube.command_line(&args),
                detail: error_detail(&out.stderr),
            }
        }
    })?;
    let mut objects: Vec<Object> = list
        .items
        .into_iter()
        .map(|i| Object {
            api_version: i.api_version,
            kind: i.kind,
            namespace: i.metadata.namespace,
            name: i.metadata.name,
            uid: i.metadata.uid,
            created: i.metadata.creation_timestamp,
            owned: !i.metadata.owner_references.is_empty(),
            deleting: i.metadata.deletion_timestamp.is_some(),
        })
        .collect();
    objects.sort_by_key(Object::key);
    Ok(Snapshot {
        resources,
        objects,
        warnings,
    })
}

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    metadata: Meta,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Meta {
    name: String,
    namespace: Option<String>,
    uid: Option<String>,
    creation_timestamp: Option<String>,
    deletion_timestamp: Option<String>,
    #[serde(default)]
    owner_references: Vec<serde_json::Value>,
}

/// What is in `after` and not in `before`, less what is not a leak (see the
/// module documentation).
pub fn diff(before: &Snapshot, after: &Snapshot) -> LeakReport {
    let known: BTreeSet<_> = before.objects.iter().map(Object::key).collect();
    let terminating: BTreeSet<&str> = after
        .objects
        .iter()
        .filter(|o| o.kind == "Namespace" && o.namespace.is_none() && o.deleting)
        .map(|o| o.name.as_str())
        .collect();
    let mut leaked: Vec<Leak> = after
        .objects
        .iter()
        .filter(|o| !known.contains(&o.key()))
        .filter(|o| !o.owned && !o.deleting)
        .filter(|o| {
            o.namespace
                .as_deref()
                .is_none_or(|ns| !terminating.contains(ns))
        })
        .filter(|o| !NAMESPACE_DEFAULTS.contains(&(o.kind.as_str(), o.name.as_str())))
        .map(|o| Leak {
            kind: o.kind.clone(),
            api_version: o.api_version.clone(),
            namespace: o.namespace.clone(),
            name: o.name.clone(),
            created: o.created.clone(),
        })
        .collect();
    // Namespaces first (they explain the rest), then by place and name.
    leaked.sort_by(|a, b| {
        (a.kind != "Namespace", &a.namespace, &a.kind, &a.name).cmp(&(
            b.kind != "Namespace",
            &b.namespace,
            &b.kind,
            &b.name,
        ))
    });
    let resources: BTreeMap<&str, ()> = before
        .resources
        .iter()
        .chain(&after.resources)
        .map(|r| (r.as_str(), ()))
        .collect();
    LeakReport {
        leaked,
        resources: resources.len(),
        warnings: before
            .warnings
            .iter()
            .chain(&after.warnings)
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: &str, ns: Option<&str>, name: &str) -> Object {
        Object {
            api_version: if kind == "NetworkPolicy" {
                "networking.k8s.io/v1".into()
            } else {
                "v1".into()
            },
            kind: kind.into(),
            namespace: ns.map(Into::into),
            name: name.into(),
            uid: Some(format!("uid-{name}")),
            created: Some("2025-01-01T00:00:00Z".into()),
            owned: false,
            deleting: false,
        }
    }

    fn snap(objects: Vec<Object>) -> Snapshot {
        Snapshot {
            resources: vec!["pods".into(), "namespaces".into()],
            objects,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn new_objects_leak_and_noise_does_not() {
        let before = snap(vec![
            obj("Namespace", None, "shop"),
            obj("Pod", Some("shop"), "web-1"),
        ]);
        let mut owned = obj("Pod", Some("shop"), "web-2");
        owned.owned = true;
        let mut dying = obj("Pod", Some("shop"), "old");
        dying.deleting = true;
        let mut gone_ns = obj("Namespace", None, "tmp");
        gone_ns.deleting = true;
        let after = snap(vec![
            obj("Namespace", None, "shop"),
            obj("Pod", Some("shop"), "web-1"),
            owned,
            dying,
            gone_ns,
            obj("ConfigMap", Some("tmp"), "left"),
            obj("NetworkPolicy", Some("shop"), "allow-all"),
            obj("Namespace", None, "scratch"),
            obj("ServiceAccount", Some("scratch"), "default"),
            obj("ConfigMap", Some("scratch"), "kube-root-ca.crt"),
            obj("ConfigMap", Some("scratch"), "notes"),
        ]);
        let report = diff(&before, &after);
        let names: Vec<(&str, &str)> = report
            .leaked
            .iter()
            .map(|l| (l.kind.as_str(), l.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Namespace", "scratch"),
                ("ConfigMap", "notes"),
                ("NetworkPolicy", "allow-all")
            ]
        );
        assert!(!report.is_clean());
        let table = report.table();
        assert!(table.contains("NetworkPolicy.networking.k8s.io"), "{table}");
        assert!(table.lines().count() == 5, "{table}");
    }

    #[test]
    fn the_same_object_in_another_version_is_not_new() {
        let mut a = obj("NetworkPolicy", Some("x"), "p");
        let before = snap(vec![a.clone()]);
        a.api_version = "networking.k8s.io/v2".into();
        a.uid = Some("other".into());
        assert!(diff(&before, &snap(vec![a])).is_clean());
    }

    #[test]
    fn a_clean_run_says_so() {
        let s = snap(vec![obj("Namespace", None, "default")]);
        let report = diff(&s, &s);
        assert!(report.is_clean());
        assert_eq!(report.table().lines().count(), 1);
    }
}
