//! Placeholder until the hours module lands (parsing of OSM opening_hours).

#[derive(Clone, Debug, PartialEq)]
pub struct Hours {
    raw: String,
}

pub struct HoursError {
    pub message: String,
    pub offset: Option<usize>,
}

pub fn parse(s: &str) -> Result<Hours, HoursError> {
    Ok(Hours { raw: s.to_owned() })
}

impl Hours {
    pub fn raw(&self) -> &str {
        &self.raw
    }
}
