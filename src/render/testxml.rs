//! A tiny XML tree for tests: parses with quick-xml (well-formedness, matched
//! end tags, entities) and lets tests walk elements, attributes and text.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// One element.
#[derive(Debug, Clone, Default)]
pub struct El {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<El>,
    pub text: String,
}

impl El {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn child(&self, name: &str) -> Option<&El> {
        self.children.iter().find(|c| c.name == name)
    }
    /// Every element below (and including) this one, depth first.
    pub fn descendants(&self) -> Vec<&El> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.descendants());
        }
        out
    }
    pub fn find_all(&self, name: &str) -> Vec<&El> {
        self.descendants()
            .into_iter()
            .filter(|e| e.name == name)
            .collect()
    }
    /// All text below, concatenated.
    pub fn all_text(&self) -> String {
        let mut s = self.text.clone();
        for c in &self.children {
            s.push_str(&c.all_text());
        }
        s
    }
}

fn element(s: &BytesStart) -> Result<El, String> {
    let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| format!("attribute in <{name}>: {e}"))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .unescape_value()
            .map_err(|e| format!("attribute {key} in <{name}>: {e}"))?
            .into_owned();
        attrs.push((key, value));
    }
    Ok(El {
        name,
        attrs,
        ..El::default()
    })
}

/// Parses a whole document; returns its root element.
pub fn parse(doc: &str) -> Result<El, String> {
    let mut reader = Reader::from_str(doc);
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match ev {
            Event::Start(s) => stack.push(element(&s)?),
            Event::Empty(s) => {
                let el = element(&s)?;
                stack.last_mut().ok_or("no parent")?.children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("unbalanced")?;
                stack.last_mut().ok_or("unbalanced")?.children.push(el);
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| e.to_string())?;
                stack.last_mut().ok_or("no parent")?.text.push_str(&s);
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                stack.last_mut().ok_or("no parent")?.text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let s = if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    c.to_string()
                } else {
                    match r.decode().map_err(|e| e.to_string())?.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(format!("unknown entity &{other};")),
                    }
                };
                stack.last_mut().ok_or("no parent")?.text.push_str(&s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("unclosed elements".into());
    }
    let mut doc_el = stack.pop().ok_or("empty")?;
    let roots: Vec<El> = std::mem::take(&mut doc_el.children);
    match <[El; 1]>::try_from(roots) {
        Ok([root]) => Ok(root),
        Err(v) => Err(format!("{} root elements", v.len())),
    }
}
