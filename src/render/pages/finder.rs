//! The consultation finder on the consultation index: its questions (who, what, how, where)
//! and, for the page without JavaScript, the bodies grouped by topic and by audience.

use std::borrow::Cow;

use serde::Serialize;

use crate::model::{KIND_INDEX_INLINE_LIMIT, kind_index};
use crate::registry::vocab::{Audience, Channel, Topic, Vocab};
use crate::registry::{ConsultationDetails as Consultation, Details, Kind, RecordId};
use crate::text::Lang;
use crate::views::{Labels, ListItem, area_link};

use super::super::Renderer;

#[derive(Serialize)]
struct Choice<'a> {
    key: Cow<'a, str>,
    label: &'a str,
}

#[derive(Serialize)]
struct AreaChoices<'a> {
    label: String,
    municipalities: Vec<Choice<'a>>,
}

#[derive(Serialize)]
struct FinderGroup<'a> {
    key: &'static str,
    label: &'a str,
    items: Vec<&'a ListItem>,
}

#[derive(Serialize)]
pub(super) struct FinderView<'a> {
    who: Vec<Choice<'a>>,
    topic_choices: Vec<Choice<'a>>,
    channels: Vec<Choice<'a>>,
    places: Vec<AreaChoices<'a>>,
    by_topic: Vec<FinderGroup<'a>>,
    by_audience: Vec<FinderGroup<'a>>,
}

/// The answers to "who are you?", by the key of their label (`ui.who_<key>`).
const WHO: [(&str, &str); 5] = [
    ("worker", "who_worker"),
    ("employer", "who_employer"),
    ("supervisor", "who_supervisor"),
    ("family", "who_family"),
    ("resident", "who_resident"),
];

impl Renderer {
    pub(super) fn finder_view<'a>(&'a self, labels: &'a Labels) -> FinderView<'a> {
        let bodies = &self.model.by_kind[kind_index(Kind::Consultation)];
        let topics = self.finder_groups(labels, "topics", Topic::ALL, |c, t| c.topics.contains(t));
        let audiences = self.finder_groups(labels, "audiences", Audience::ALL, |c, a| {
            c.audiences.contains(a)
        });
        let channels = Channel::ALL
            .iter()
            .filter(|ch| {
                bodies.iter().any(|&i| {
                    self.consultation(i)
                        .is_some_and(|c| c.channels.contains(ch))
                })
            })
            .map(|ch| Choice {
                key: ch.as_str().into(),
                label: labels.text("channels", ch.as_str()),
            })
            .collect();
        let topic_choices = topics
            .iter()
            .map(|g| Choice {
                key: g.key.into(),
                label: g.label,
            })
            .collect();
        // Large sites list bodies by area on the kind index instead.
        let inline = bodies.len() <= KIND_INDEX_INLINE_LIMIT;
        FinderView {
            who: WHO
                .iter()
                .map(|&(key, label)| Choice {
                    key: key.into(),
                    label: labels.ui_text(label),
                })
                .collect(),
            topic_choices,
            channels,
            places: self.finder_places(labels),
            by_topic: if inline { topics } else { Vec::new() },
            by_audience: if inline { audiences } else { Vec::new() },
        }
    }

    fn consultation(&self, i: RecordId) -> Option<&Consultation> {
        match &self.model.record(i).details {
            Details::Consultation(c) => Some(c),
            _ => None,
        }
    }

    /// A group per value of a vocabulary (a topic, an audience) with the bodies that have it;
    /// none for a value no body has.
    fn finder_groups<'a, V: Vocab>(
        &'a self,
        labels: &'a Labels,
        section: &str,
        values: &[V],
        has: impl Fn(&Consultation, &V) -> bool,
    ) -> Vec<FinderGroup<'a>> {
        let bodies = &self.model.by_kind[kind_index(Kind::Consultation)];
        let all = self.items(labels);
        values
            .iter()
            .filter_map(|value| {
                let items: Vec<&ListItem> = bodies
                    .iter()
                    .filter(|&&i| self.consultation(i).is_some_and(|c| has(c, value)))
                    .map(|&i| all.get(i))
                    .collect();
                (!items.is_empty()).then(|| FinderGroup {
                    key: value.as_str(),
                    label: labels.text(section, value.as_str()),
                    items,
                })
            })
            .collect()
    }

    /// "Where": each area with its municipalities.
    fn finder_places<'a>(&'a self, labels: &Labels) -> Vec<AreaChoices<'a>> {
        let geo = &self.model.site.geo;
        self.model
            .areas
            .iter()
            .map(|area| AreaChoices {
                label: area_link(labels, area).name.text,
                municipalities: geo.areas[area.geo]
                    .municipalities
                    .iter()
                    .map(|&m| {
                        let m = &geo.municipalities[m];
                        Choice {
                            key: m.code.to_string().into(),
                            label: match labels.lang {
                                Lang::En => m.name_en.as_deref().unwrap_or(&m.name),
                                Lang::Ja => &m.name,
                            },
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}
