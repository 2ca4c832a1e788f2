//! A small element tree for SOAP envelopes (names without their namespace prefix): the
//! HostedShop connector reads answers with it and the sandbox's HostedShop fake reads requests.

use quick_xml::events::Event;
use quick_xml::Reader;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub nil: bool,
    pub children: Vec<Element>,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The first descendant (depth first) named `name`.
    pub fn find(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|c| {
            if c.name == name {
                Some(c)
            } else {
                c.find(name)
            }
        })
    }
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    s.rsplit(':').next().unwrap_or_default().to_string()
}

/// Parses a document into its root element.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let nil = is_nil(&e);
                stack.push(Element {
                    name: local(e.name().as_ref()),
                    nil,
                    ..Default::default()
                });
            }
            Ok(Event::Empty(e)) => {
                let el = Element {
                    name: local(e.name().as_ref()),
                    nil: is_nil(&e),
                    ..Default::default()
                };
                stack.last_mut().unwrap().children.push(el);
            }
            Ok(Event::End(_)) => {
                let el = stack.pop().ok_or("unbalanced XML")?;
                stack.last_mut().ok_or("unbalanced XML")?.children.push(el);
            }
            Ok(Event::Text(t)) => {
                let s = t.unescape().map_err(|e| format!("bad XML text: {e}"))?;
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Ok(Event::CData(t)) => {
                stack
                    .last_mut()
                    .unwrap()
                    .text
                    .push_str(&String::from_utf8_lossy(&t));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(format!(
                    "malformed XML at byte {}: {e}",
                    reader.buffer_position()
                ))
            }
        }
    }
    if stack.len() != 1 {
        return Err("unclosed XML element".into());
    }
    stack
        .pop()
        .and_then(|mut root| root.children.pop())
        .ok_or_else(|| "empty XML document".into())
}

fn is_nil(e: &quick_xml::events::BytesStart) -> bool {
    e.attributes()
        .flatten()
        .any(|a| local(a.key.as_ref()) == "nil" && matches!(a.value.as_ref(), b"true" | b"1"))
}

/// Escapes text for an element's content.
pub fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).to_string()
}
