import XCTest

@testable import BordinReport

/// BibTeX parsing and APA 7 citations (Publication Manual §8.17, §9–10).
final class CitationTests: XCTestCase {
  let bib = #"""
  @string{jcp = "Journal of Consulting and Clinical Psychology"}
  % a comment line
  @article{flueckiger2018,
    author = {Fl{\"u}ckiger, Christoph and Del Re, A. C. and Wampold, Bruce E. and Horvath, Adam O.},
    title = {The alliance in adult psychotherapy: A meta-analytic synthesis},
    journal = {Psychotherapy}, volume = 55, number = {4}, pages = {316--340}, year = 2018,
    doi = {10.1037/pst0000172}
  }
  @article{karver2018,
    author = "Karver, Marc S. and De Nadai, Alessandro S. and Monahan, Maureen and Shirk, Stephen R.",
    title = "Meta-analysis of the prospective relation between alliance and outcome in child and adolescent psychotherapy",
    journal = jcp, volume = {55}, number = {4}, pages = {341--355}, year = {2018}
  }
  @book{bordin1994book, author = {Edward S. Bordin}, title = {Theory and Research on the Therapeutic Working Alliance}, publisher = {Wiley}, year = {1994}, edition = {2nd}}
  @incollection{bordin1994, author = {Bordin, Edward S.}, title = {Theory and research on the therapeutic working alliance: New directions},
    booktitle = {The working alliance: Theory, research, and practice}, editor = {Horvath, Adam O. and Greenberg, Leslie S.},
    pages = {13--37}, publisher = {Wiley}, year = {1994}}
  @phdthesis{shirk1990, author = {Stephen Shirk and Anna Saiz}, title = {Alliance in child therapy}, school = {University of Denver}, year = 1990}
  """#

  func testParsesEntriesAndLaTeX() throws {
    let e = try BibTeX.parse(bib)
    XCTAssertEqual(e.map(\.key), ["flueckiger2018", "karver2018", "bordin1994book", "bordin1994", "shirk1990"])
    XCTAssertEqual(e[0]["author"], "Flückiger, Christoph and Del Re, A. C. and Wampold, Bruce E. and Horvath, Adam O.")
    XCTAssertEqual(e[0]["pages"], "316–340")
    XCTAssertEqual(e[1]["journal"], "Journal of Consulting and Clinical Psychology")
    XCTAssertEqual(e[0].line, 3)
    XCTAssertThrowsError(try BibTeX.parse("@article{x, title = {unclosed}")) { XCTAssertEqual(($0 as? BibTeX.ParseError)?.line, 1) }
  }

  func testInTextAndReferenceList() throws {
    var b = Bibliography(try BibTeX.parse(bib))
    XCTAssertEqual(b.html([.init(key: "flueckiger2018", locator: nil)], narrative: false),
                   "(<a class=\"bordin-cite\" href=\"#ref-flueckiger2018\">Flückiger et al., 2018</a>)")
    XCTAssertEqual(b.html([.init(key: "shirk1990", locator: "p. 3"), .init(key: "karver2018", locator: nil)], narrative: false),
                   "(<a class=\"bordin-cite\" href=\"#ref-shirk1990\">Shirk &amp; Saiz, 1990, p. 3</a>; <a class=\"bordin-cite\" href=\"#ref-karver2018\">Karver et al., 2018</a>)")
    XCTAssertEqual(b.html([.init(key: "shirk1990", locator: nil)], narrative: true),
                   "<a class=\"bordin-cite\" href=\"#ref-shirk1990\">Shirk and Saiz</a> (1990)")
    XCTAssertEqual(b.html([.init(key: "bordin1994", locator: nil), .init(key: "bordin1994book", locator: nil)], narrative: false),
                   "(<a class=\"bordin-cite\" href=\"#ref-bordin1994\">Bordin, 1994b</a>; <a class=\"bordin-cite\" href=\"#ref-bordin1994book\">Bordin, 1994a</a>)")
    let list = b.referenceList()
    XCTAssertTrue(list.contains("Flückiger, C., Del Re, A. C., Wampold, B. E., &amp; Horvath, A. O. (2018). The alliance in adult psychotherapy: A meta-analytic synthesis. <i>Psychotherapy</i>, <i>55</i>(4), 316–340. <a href=\"https://doi.org/10.1037/pst0000172\">https://doi.org/10.1037/pst0000172</a>"), list)
    XCTAssertTrue(list.contains("Bordin, E. S. (1994a). <i>Theory and Research on the Therapeutic Working Alliance</i> (2nd ed.). Wiley."), list)
    XCTAssertTrue(list.contains("Bordin, E. S. (1994b). Theory and research on the therapeutic working alliance: New directions. In A. O. Horvath &amp; L. S. Greenberg (Eds.), <i>The working alliance: Theory, research, and practice</i> (pp. 13–37). Wiley."), list)
    XCTAssertTrue(list.contains("Shirk, S., &amp; Saiz, A. (1990). <i>Alliance in child therapy</i> [Doctoral dissertation, University of Denver]."), list)
    // APA order: Bordin, Flückiger, Karver, Shirk.
    let order = ["ref-bordin1994book", "ref-bordin1994\"", "ref-flueckiger2018", "ref-karver2018", "ref-shirk1990"].map { list.range(of: $0)!.lowerBound }
    XCTAssertEqual(order, order.sorted())
  }

  func testReportCitationsAndUnknownKey() {
    let p = TestProject()
    p.write("refs.bib", bib)
    let src = "---\nbibliography: refs.bib\n---\n\nAlliance predicts outcome [@flueckiger2018; @karver2018]. As @shirk1990 noted, see me@example.org and @fig-none-free text.\n"
    let h = p.html(src.replacingOccurrences(of: " and @fig-none-free text", with: ""))
    XCTAssertTrue(h.contains("outcome (<a class=\"bordin-cite\" href=\"#ref-flueckiger2018\">Flückiger et al., 2018</a>; <a class=\"bordin-cite\" href=\"#ref-karver2018\">Karver et al., 2018</a>)."), h)
    XCTAssertTrue(h.contains("As <a class=\"bordin-cite\" href=\"#ref-shirk1990\">Shirk and Saiz</a> (1990) noted"), h)
    XCTAssertTrue(h.contains("<section class=\"bordin-references\" id=\"references\">"))
    XCTAssertTrue(h.contains("mailto:me@example.org"))
    let e = p.errors("---\nbibliography: refs.bib\n---\n\nText [@flueckiger2019].\n")
    XCTAssertEqual(e.first?.code, "unknown-citation")
    XCTAssertEqual(e.first?.line, 5)
    XCTAssertTrue(e.first?.message.contains("did you mean 'flueckiger2018'?") ?? false)
    XCTAssertEqual(p.errors("---\nbibliography: nope.bib\n---\n").first?.code, "missing-file")
  }

  /// Two renders that share one .bib file share its parse, never what each cited: the second
  /// report's reference list holds its own citation only; an edited file is parsed anew.
  func testSharedParseKeepsEachReportsCitations() {
    let p = TestProject()
    p.write("refs.bib", bib)
    let first = p.html("---\nbibliography: refs.bib\n---\n\nSee [@flueckiger2018].\n")
    let second = p.html("---\nbibliography: refs.bib\n---\n\nSee [@karver2018].\n")
    XCTAssertTrue(first.contains("id=\"ref-flueckiger2018\""))
    XCTAssertTrue(second.contains("id=\"ref-karver2018\""))
    XCTAssertFalse(second.contains("id=\"ref-flueckiger2018\""), second)
    p.write("refs.bib", bib.replacingOccurrences(of: "year = 1990", with: "year = 1991"))
    XCTAssertTrue(p.html("---\nbibliography: refs.bib\n---\n\nSee [@shirk1990].\n").contains("1991"))
  }

  func testWithoutBibliographyAtSignsStayText() {
    XCTAssertTrue(TestProject().html("Follow @someone [@x].\n").contains("<p>Follow @someone [@x].</p>"))
  }
}
