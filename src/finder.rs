//! The consultation finder: which consultation bodies fit a person's situation, and why.
//!
//! The browser runs the same rules (`themes/default/static/js/finder.js`) on
//! `consultation/finder.json`; both are tested against `tests/vectors/finder.json`, and the
//! page without JavaScript is a list grouped by topic and audience.

use serde::{Deserialize, Serialize};

/// Who is asking (the first question of the finder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    Worker,
    Employer,
    Supervisor,
    Family,
    Resident,
}

impl Who {
    /// The audiences (registry vocabulary) that serve this person.
    pub fn audiences(self) -> &'static [&'static str] {
        match self {
            Who::Worker => &["workers"],
            Who::Employer => &["employers", "small_workplaces"],
            Who::Supervisor => &["supervisors", "employers"],
            Who::Family => &["families"],
            Who::Resident => &["residents"],
        }
    }
}

/// When the person can consult.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// Open at the moment of the query (the browser decides from the schedule).
    Now,
    /// Open after 18:00 on some day.
    Evening,
    /// Open on Saturday or Sunday.
    Weekend,
}

/// A consultation body as the finder sees it (`consultation/finder.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    /// Municipality code of where it is.
    #[serde(default)]
    pub municipality: String,
    /// Its explicit catchment (`serves`), empty when the registry gives none.
    #[serde(default)]
    pub serves: Vec<String>,
    /// The municipalities of its own area: its catchment when `serves` is empty.
    #[serde(default)]
    pub area_municipalities: Vec<String>,
    /// True when `serves` covers every municipality of its prefecture.
    #[serde(default)]
    pub prefecture_wide: bool,
    #[serde(default)]
    pub max_employees: Option<u32>,
    #[serde(default)]
    pub evening: bool,
    #[serde(default)]
    pub weekend: bool,
    /// Whether it is open at the query's moment (the browser computes it; tests give it).
    #[serde(default)]
    pub open_now: bool,
}

/// What the person told the finder; every part is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Query {
    #[serde(default)]
    pub who: Option<Who>,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub channels: Vec<String>,
    #[serde(default)]
    pub when: Option<When>,
    /// Municipality code (6 digits).
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub employees: Option<u32>,
}

/// Why a body matched, as keys the page turns into sentences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "value")]
pub enum Reason {
    Audience(String),
    Topic(String),
    Channel(String),
    Serves(String),
    Area(String),
    PrefectureWide,
    Evening,
    Weekend,
    OpenNow,
    Eligible(u32),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub id: String,
    /// How close: 0 serves the municipality by name (or is there), 1 serves it as part of its
    /// own area, 2 serves the whole prefecture.
    pub tier: u8,
    pub reasons: Vec<Reason>,
}

/// Whether `body` fits `query`, and why. A criterion the body says nothing about (no
/// audiences listed, say) does not exclude it; a criterion it contradicts does.
pub fn matches(query: &Query, body: &Body) -> Option<Match> {
    let mut reasons = Vec::new();
    if let Some(who) = query.who
        && !body.audiences.is_empty()
    {
        let hit = who
            .audiences()
            .iter()
            .find(|a| body.audiences.iter().any(|b| b == *a))?;
        reasons.push(Reason::Audience((*hit).to_owned()));
    }
    if let Some(topic) = &query.topic {
        if !body.topics.iter().any(|t| t == topic) {
            return None;
        }
        reasons.push(Reason::Topic(topic.clone()));
    }
    if !query.channels.is_empty() {
        let hit = query
            .channels
            .iter()
            .find(|c| body.channels.iter().any(|b| b == *c))?;
        reasons.push(Reason::Channel(hit.clone()));
    }
    match query.when {
        Some(When::Now) if body.open_now => reasons.push(Reason::OpenNow),
        Some(When::Evening) if body.evening => reasons.push(Reason::Evening),
        Some(When::Weekend) if body.weekend => reasons.push(Reason::Weekend),
        Some(_) => return None,
        None => {}
    }
    let mut tier = 0;
    if let Some(m) = &query.municipality {
        // The order: bodies whose `serves` names the municipality, then those of its
        // area, then the prefecture-wide ones.
        if body.prefecture_wide && body.serves.iter().any(|s| s == m) {
            tier = 2;
            reasons.push(Reason::PrefectureWide);
        } else if body.serves.iter().any(|s| s == m)
            || (body.serves.is_empty() && &body.municipality == m)
        {
            reasons.push(Reason::Serves(m.clone()));
        } else if body.serves.is_empty() && body.area_municipalities.iter().any(|s| s == m) {
            tier = 1;
            reasons.push(Reason::Area(m.clone()));
        } else {
            return None;
        }
    }
    if let Some(max) = body.max_employees {
        match query.employees {
            Some(n) if n > max => return None,
            Some(_) => reasons.push(Reason::Eligible(max)),
            // A worker or employer of unknown workplace size: keep it, and say the limit.
            None => reasons.push(Reason::Eligible(max)),
        }
    }
    Some(Match {
        id: body.id.clone(),
        tier,
        reasons,
    })
}

/// Every body that fits, closest first (its own municipality before prefecture-wide), then
/// by name.
pub fn find(query: &Query, bodies: &[Body]) -> Vec<Match> {
    let mut found: Vec<(&Body, Match)> = bodies
        .iter()
        .filter_map(|b| Some((b, matches(query, b)?)))
        .collect();
    found.sort_by(|(a, ma), (b, mb)| ma.tier.cmp(&mb.tier).then_with(|| a.name.cmp(&b.name)));
    found.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Case {
        name: String,
        query: Query,
        expected: Vec<String>,
        #[serde(default)]
        reasons: Option<Vec<Reason>>,
    }

    #[derive(Deserialize)]
    struct Vectors {
        bodies: Vec<Body>,
        cases: Vec<Case>,
    }

    /// The vectors shared with the browser's finder.js.
    #[test]
    fn finder_vectors() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/finder.json");
        let v: Vectors = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in &v.cases {
            let found = find(&case.query, &v.bodies);
            let ids: Vec<&str> = found.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(ids, case.expected, "{}", case.name);
            if let Some(reasons) = &case.reasons {
                assert_eq!(&found[0].reasons, reasons, "{}", case.name);
            }
        }
    }

    fn body(id: &str) -> Body {
        Body {
            id: id.into(),
            name: id.into(),
            audiences: vec![],
            topics: vec![],
            channels: vec![],
            municipality: "372013".into(),
            serves: vec!["372013".into()],
            area_municipalities: vec![],
            prefecture_wide: false,
            max_employees: None,
            evening: false,
            weekend: false,
            open_now: false,
        }
    }

    #[test]
    fn workplace_size_excludes_only_when_known() {
        let b = Body {
            max_employees: Some(49),
            ..body("chiiki")
        };
        let q = |n| Query {
            employees: n,
            ..Query::default()
        };
        assert!(matches(&q(Some(30)), &b).is_some());
        assert!(matches(&q(Some(50)), &b).is_none());
        assert_eq!(
            matches(&q(None), &b).unwrap().reasons,
            vec![Reason::Eligible(49)]
        );
    }

    #[test]
    fn silence_is_not_a_contradiction() {
        let q = Query {
            who: Some(Who::Worker),
            ..Query::default()
        };
        assert!(matches(&q, &body("general")).is_some());
        let residents_only = Body {
            audiences: vec!["residents".into()],
            ..body("residents")
        };
        assert!(matches(&q, &residents_only).is_none());
    }
}
