import BordinData
import BordinStats
import BordinTestSupport
import XCTest

/// CrossLaggedPanel: generated syntax equals the reference models line by line, and the fits.
final class CrossLaggedPanelTests: XCTestCase {
  private func specLines(_ name: String) throws -> [String] {
    let json = try Fixtures.reference(name)
    return (json["spec"] as! [String: Any])["model"] as! [String]
  }

  func testCLPMSyntaxIsTheReferenceModel() throws {
    let s = try CrossLaggedPanel.syntax(x: "alliance", y: "symptoms", waves: 3)
    XCTAssertEqual(s.split(separator: "\n").map(String.init), try specLines("clpm-3wave"))
  }

  func testRICLPMSyntaxIsTheReferenceModel() throws {
    let s = try CrossLaggedPanel.syntax(x: "alliance", y: "symptoms", waves: 4, randomIntercepts: true)
    XCTAssertEqual(s.split(separator: "\n").map(String.init), try specLines("riclpm-4wave"))
    let t = try CrossLaggedPanel.syntax(x: "t", y: "c", waves: ["1", "2", "3", "4"], randomIntercepts: true)
    XCTAssertEqual(t.split(separator: "\n").map(String.init), try specLines("sem-riclpm-demogrowth-heywood"))
  }

  func testEqualLagsSyntax() throws {
    let s = try CrossLaggedPanel.syntax(x: "alliance", y: "symptoms", waves: 3, equalLags: true)
    XCTAssertEqual(s.split(separator: "\n").map(String.init), try specLines("sem-clpm-3wave-equal"))
  }

  /// The clpm directive's path: stems + waves → syntax → fit, against the polished reference.
  func testFitCLPMFromStems() throws {
    let ref = try SEMReferenceCase("clpm-3wave-tight")
    let r = try CrossLaggedPanel.fit(data: ref.data, x: "alliance", y: "symptoms", waves: 3)
    XCTAssertEqual(r.syntax, ref.model)
    _ = ref.assertMatches(r.model)
  }

  func testFitRICLPMFromStems() throws {
    let ref = try SEMReferenceCase("riclpm-4wave-tight")
    let r = try CrossLaggedPanel.fit(
      data: ref.data, x: "alliance", y: "symptoms", waves: 4, randomIntercepts: true)
    _ = ref.assertMatches(r.model)
  }

  func testFitEqualLags() throws {
    let ref = try SEMReferenceCase("sem-clpm-3wave-equal")
    let r = try CrossLaggedPanel.fit(data: ref.data, x: "alliance", y: "symptoms", waves: 3, equalLags: true)
    _ = ref.assertMatches(r.model)
    XCTAssertEqual(r.model.fit.npar, 19)
  }

  func testWaveAndStemErrors() {
    XCTAssertThrowsError(try CrossLaggedPanel.syntax(x: "a", y: "b", waves: 1)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-waves")
    }
    XCTAssertThrowsError(try CrossLaggedPanel.syntax(x: "a", y: "b", waves: 2, randomIntercepts: true)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-waves")
    }
    XCTAssertThrowsError(try CrossLaggedPanel.syntax(x: "a", y: "b", waves: ["1", "1"])) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-waves")
    }
    XCTAssertThrowsError(try CrossLaggedPanel.syntax(x: "a", y: "a", waves: 3)) {
      XCTAssertEqual(($0 as? StatsError)?.code, "bad-stems")
    }
  }

  func testUnknownStemSuggestsColumn() throws {
    let data = try Fixtures.csv("data/panel-3wave.csv")
    XCTAssertThrowsError(try CrossLaggedPanel.fit(data: data, x: "aliance", y: "symptoms", waves: 3)) {
      let e = $0 as? StatsError
      XCTAssertEqual(e?.code, "unknown-variable")
      XCTAssertTrue(e?.message.contains("'aliance2'") == true, e?.message ?? "")
      XCTAssertEqual(e?.remedy.hasPrefix("Did you mean 'alliance2'?"), true, e?.remedy ?? "")
    }
  }

  func testGeneratedLatentNameClash() throws {
    var data = try Fixtures.csv("data/panel-4wave.csv")
    data = Table(data.names.map { ($0 == "id" ? "RIx" : $0, data[$0]!) })
    XCTAssertThrowsError(
      try CrossLaggedPanel.fit(data: data, x: "alliance", y: "symptoms", waves: 4, randomIntercepts: true)
    ) { XCTAssertEqual(($0 as? StatsError)?.code, "name-clash") }
  }

  /// An RI-CLPM on Demo.growth: lavaan estimates a negative random-intercept variance (and
  /// warns); Bordin gives the same solution with a `negative-variance` warning, not an error.
  func testHeywoodCaseIsAWarning() throws {
    let ref = try SEMReferenceCase("sem-riclpm-demogrowth-heywood")
    let r = try CrossLaggedPanel.fit(data: ref.data, x: "t", y: "c", waves: 4, randomIntercepts: true)
    let errors = ref.assertMatches(r.model)
    print("Heywood RI-CLPM observed errors: \(errors.summary)")
    let codes = r.model.warnings.map(\.code)
    XCTAssertTrue(codes.contains("negative-variance"), "\(codes)")
    XCTAssertTrue(r.model.warnings.contains { $0.message.contains("'RIx'") }, "\(r.model.warnings)")
    XCTAssertLessThan(try XCTUnwrap(r.model.parameter("RIx", "~~", "RIx")).est, 0)
  }
}
