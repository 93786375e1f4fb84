import Foundation
import XCTest

@testable import BordinReport

/// `bordin describe-data`: the codebook of what Bordin reads.
final class CodebookTests: XCTestCase {
  let folder = fixtures.appendingPathComponent("readstat")

  func testSPSSCodebookShowsLabelsLevelsAndMissing() throws {
    let text = try Codebook.describe(path: folder.appendingPathComponent("therapy.sav").path)
    XCTAssertTrue(text.hasPrefix("therapy.sav: SPSS (.sav), 12 rows, 7 variables; read with ReadStat 1."), text)
    let bytes = try Data(contentsOf: folder.appendingPathComponent("therapy.sav"))
    XCTAssertTrue(text.contains("SHA-256 \(sha256Hex(bytes))"))
    let lines = text.split(separator: "\n").map(String.init)
    func line(_ name: String) -> String { lines.first { $0.hasPrefix(name + " ") } ?? "" }
    XCTAssertTrue(line("format").contains("factor (2 levels)"))
    XCTAssertTrue(line("format").contains("Treatment format"))
    XCTAssertTrue(line("format").hasSuffix("individual (1) [reference], group (2)"), line("format"))
    XCTAssertTrue(line("severity").hasSuffix("mild (1) [reference], moderate (2), severe (3), profound (4)"))
    XCTAssertTrue(line("bond_t").contains("2 (2 user-missing -99)"), line("bond_t"))
    XCTAssertTrue(line("bond_t").hasSuffix("-99 = not asked"))
    XCTAssertTrue(line("sessions").contains("2 (2 user-missing -9 thru -1)"))
    XCTAssertTrue(line("start").contains("date [DATE11]"))
    XCTAssertTrue(line("start").hasSuffix("2024-01-08 – 2024-02-15"), line("start"))
    var keep = Codebook.Options()
    keep.userMissingKeep = true
    keep.valueLabelCodes = true
    let k = try Codebook.describe(path: folder.appendingPathComponent("therapy.sav").path, options: keep)
    XCTAssertTrue(k.contains("0 (+2 user-missing -99 kept)"), k)
    XCTAssertTrue(k.contains("1 = individual, 2 = group"))
  }

  func testCSVAndErrors() throws {
    let csv = try Codebook.describe(path: folder.appendingPathComponent("therapy.csv").path)
    XCTAssertTrue(csv.contains("therapist  text (factor: 3 levels)   0        A, B, C"), csv)
    XCTAssertThrowsError(try Codebook.describe(path: folder.appendingPathComponent("nothing.sav").path)) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.first?.code, "missing-file")
    }
    var o = Codebook.Options()
    o.format = "stata"
    XCTAssertThrowsError(try Codebook.describe(path: folder.appendingPathComponent("therapy.sav").path, options: o)) { e in
      XCTAssertEqual((e as? ReportErrors)?.diagnostics.first?.code, "bad-data-file")
    }
    o.format = "spsss"
    XCTAssertThrowsError(try Codebook.describe(path: folder.appendingPathComponent("therapy.sav").path, options: o)) { e in
      XCTAssertTrue((e as? ReportErrors)?.diagnostics.first?.message.contains("did you mean 'spss'") ?? false, "\(e)")
    }
  }

  /// The command: `describe-data` and its alias `data`; exit 1 with a located diagnostic for a
  /// bad file, 2 for a bad option.
  func testCommand() throws {
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: bordinBinary.path), "bordin not built")
    let ok = try runBordin(["describe-data", "therapy.sav"], in: folder)
    XCTAssertEqual(ok.status, 0, ok.stderr)
    XCTAssertTrue(ok.stdout.contains("individual (1) [reference], group (2)"), ok.stdout)
    let alias = try runBordin(["data", "therapy.dta", "--value-labels", "codes"], in: folder)
    XCTAssertEqual(alias.status, 0, alias.stderr)
    XCTAssertTrue(alias.stdout.contains("1 = individual, 2 = group"), alias.stdout)
    let bad = try runBordin(["data", "therapy.csv", "--format", "spss"], in: folder)
    XCTAssertEqual(bad.status, 1)
    XCTAssertTrue(bad.stderr.hasPrefix("therapy.csv:1:1: error[bad-data-file]"), bad.stderr)
    XCTAssertEqual(try runBordin(["data", "therapy.sav", "--user-missing", "maybe"], in: folder).status, 2)
  }
}
