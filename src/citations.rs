//! scratch
#[cfg(test)]
mod tests {
    use hayagriva::archive::{locales, ArchivedStyle};
    use hayagriva::citationberg::Style;
    use hayagriva::{
        BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    };

    #[test]
    fn explore() {
        let text = r#"
t1:
  type: case
  title: Tarasoff v. Regents of the University of California
  date: 1976
  volume: 17
  page-range: 425
  organization: Cal.
  parent:
    type: periodical
    title: Cal. 3d
t2:
  type: case
  title: Tarasoff {v.} Regents of the University of California
  date: 1976
  serial-number: 17 Cal. 3d 425
  organization: Cal.
t3:
  type: case
  title: "Tarasoff v. Regents of the University of California"
  date: 1976
  volume: 17
  page-range: 425
  parent:
    type: reference
    title: Cal. 3d
hook2013:
  type: article
  title: "Cultural humility: Measuring openness to culturally diverse clients"
  author: ["Hook, Joshua N.", "Worthington, Jr., Everett L."]
  date: 2013
x:
  type: article
  title: "A & B <script>"
  url: javascript:alert(1)
"#;
        let lib = hayagriva::io::from_yaml_str(text).unwrap();
        let locales = locales();
        for name in ["apa", "chicago-author-date"] {
            let Style::Independent(style) = ArchivedStyle::by_name(name).unwrap().get() else {
                panic!()
            };
            let mut driver = BibliographyDriver::new();
            for e in lib.iter() {
                driver.citation(CitationRequest::from_items(
                    vec![CitationItem::with_entry(e)],
                    &style,
                    &locales,
                ));
            }
            let r = driver.finish(BibliographyRequest {
                style: &style,
                locale: None,
                locale_files: &locales,
            });
            println!("=== {name}");
            for c in &r.citations {
                let mut s = String::new();
                c.citation.write_buf(&mut s, BufWriteFormat::Html).unwrap();
                println!("CITE {s}");
            }
            let b = r.bibliography.unwrap();
            for i in &b.items {
                let mut s = String::new();
                i.content.write_buf(&mut s, BufWriteFormat::Html).unwrap();
                println!("BIB {} {s}", i.key);
            }
        }
        println!("{}", ArchivedStyle::all().len());
        let mut dep = 0;
        for s in ArchivedStyle::all() {
            if let Style::Dependent(_) = s.get() {
                dep += 1;
                println!("dep {:?}", s.names());
            }
        }
        println!("deps {dep}");
    }
}
