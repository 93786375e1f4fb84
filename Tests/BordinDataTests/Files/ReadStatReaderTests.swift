import Foundation
import BordinTestSupport
import XCTest

@testable import BordinData

/// SPSS, Stata and SAS files written by R's haven (Tests/Fixtures/r/readstat-fixtures.R) read
/// with ReadStat: values equal the CSV twin, labels and levels as haven reads them.
final class ReadStatReaderTests: XCTestCase {
  static let folder = Fixtures.url("readstat")

  func bytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: Self.folder.appendingPathComponent(name)))
  }

  func read(_ name: String, _ options: ReadStatReader.Options = .init()) throws -> ReadStatReader.File {
    let format = try XCTUnwrap(ReadStatReader.Format(extension: (name as NSString).pathExtension))
    return try ReadStatReader.read(try bytes(name), format: format, options: options)
  }

  func twin(_ name: String = "therapy.csv") throws -> Table {
    try CSVReader.read(try bytes(name), options: CSVOptions())
  }

  /// The table with factors read as codes equals the CSV twin, column by column, for every format.
  func testValuesEqualTheCSVTwin() throws {
    let csv = try twin()
    var codes = ReadStatReader.Options()
    codes.valueLabels = .codes
    for name in ["therapy.sav", "therapy.zsav", "therapy.dta", "therapy.sas7bdat", "therapy.por"] {
      let f = try read(name, codes)
      XCTAssertEqual(f.table.rowCount, 12, name)
      for (k, column) in csv.names.enumerated() {
        let col = name.hasSuffix(".por") ? f.table.columns[k] : try XCTUnwrap(f.table[column], "\(name) \(column)")
        if name.hasSuffix(".por") {
          XCTAssertEqual(f.table.names[k], column.uppercased().replacingOccurrences(of: "THERAPIST", with: "THERAPST"), name)
          if column == "start" { continue }  // ReadStat's portable writer drops the DATE format
        }
        XCTAssertTrue(same(col, csv.columns[k]), "\(name) \(column): \(col) vs \(csv.columns[k])")
      }
    }
  }

  /// Factors as haven::as_factor: labels for codes, levels in code order (all labels, even unused:
  /// severity's "profound"), lowest code first; variable labels as haven reads them.
  func testLabelsAndLevelsAsHavenReadsThem() throws {
    let haven = try twin("therapy-haven.csv")
    let levels = try String(contentsOf: Self.folder.appendingPathComponent("therapy-levels.txt"), encoding: .utf8)
    let labels = try String(contentsOf: Self.folder.appendingPathComponent("therapy-labels.txt"), encoding: .utf8)
    for name in ["therapy.sav", "therapy.zsav", "therapy.dta", "therapy.sas7bdat"] {
      let f = try read(name)
      for column in ["bond_t", "sessions", "therapist", "start", "id"] where !name.hasSuffix(".sas7bdat") || column != "bond_t" {
        XCTAssertTrue(same(f.table[column], haven[column]), "\(name) \(column)")
      }
      // haven::write_sas writes no value labels (SAS keeps them in a format catalog).
      if name.hasSuffix(".sas7bdat") { continue }
      for column in ["format", "severity"] {
        XCTAssertEqual(f.table[column], haven[column], "\(name) \(column)")
      }
      for line in levels.split(separator: "\n") where !line.hasPrefix("bond_t") {
        let parts = line.components(separatedBy: ": ")
        XCTAssertEqual(f.table.info[parts[0]]?.levels, parts[1].components(separatedBy: "|"), "\(name) \(parts[0])")
      }
      for line in labels.split(separator: "\n") {
        let parts = line.components(separatedBy: ": ")
        XCTAssertEqual(f.table.info[parts[0]]?.label, parts[1], "\(name) \(parts[0])")
      }
    }
    let sav = try read("therapy.sav")
    XCTAssertEqual(sav.variables.first { $0.name == "format" }?.kind, .factor)
    XCTAssertEqual(sav.variables.first { $0.name == "start" }?.kind, .date)
    XCTAssertEqual(sav.table.info["format"]?.valueLabels, [.init(code: "1", label: "individual"), .init(code: "2", label: "group")])
    // bond_t labels only its missing code: it stays numeric (haven::as_factor would make every
    // value a level), with its labels kept for the codebook.
    XCTAssertEqual(sav.variables.first { $0.name == "bond_t" }?.kind, .numeric)
    XCTAssertEqual(sav.table.info["bond_t"]?.valueLabels, [.init(code: "-99", label: "not asked")])
  }

  /// SPSS user-missing codes (-99) and ranges (-9 thru -1) are missing and counted; `keep` keeps
  /// them as values (haven's user_na = TRUE).
  func testUserMissing() throws {
    for name in ["therapy.sav", "therapy.zsav", "therapy.por"] {
      let f = try read(name)
      let bond = try XCTUnwrap(f.variables.first { $0.name.lowercased() == "bond_t" })
      XCTAssertEqual(bond.userMissing, "-99", name)
      XCTAssertEqual(bond.userMissingDropped, 2, name)
      XCTAssertEqual(bond.missing, 2, name)
      let sessions = try XCTUnwrap(f.variables.first { $0.name.lowercased() == "sessions" })
      XCTAssertEqual(sessions.userMissing, "-9 thru -1", name)
      XCTAssertEqual(sessions.userMissingDropped, 2, name)
      var keep = ReadStatReader.Options()
      keep.userMissing = .keep
      let k = try read(name, keep)
      XCTAssertEqual(k.table.columns[1], .numeric([4.5, 5.25, -99, 3.75, 6, 5.5, -99, 4.25, 5, 6.5, 3.5, 4.75]), name)
      XCTAssertEqual(k.table.columns[3], .numeric([12, 10, 8, -9, 11, 12, 9, 7, -1, 12, 10, 11]), name)
      XCTAssertEqual(k.variables[1].userMissingKept, 2, name)
      XCTAssertEqual(k.variables[1].userMissingDropped, 0, name)
    }
  }

  /// A truncated or damaged file, or one of another format, is a bad-data-file error, not a crash.
  func testCorruptedFiles() throws {
    for name in ["therapy.sav", "therapy.zsav", "therapy.por", "therapy.dta", "therapy.sas7bdat"] {
      let b = try bytes(name)
      let format = ReadStatReader.Format(extension: (name as NSString).pathExtension)!
      let full = try ReadStatReader.read(b, format: format)
      for cut in stride(from: 0, to: b.count, by: 7) {
        do {
          // A file cut short either fails or (a portable file cut in its end padding) reads whole:
          // never a table with values or labels silently lost (a .dta cut in its value labels did).
          let f = try ReadStatReader.read(Array(b.prefix(cut)), format: format)
          XCTAssertEqual(f.table.names, full.table.names, "\(name) cut at \(cut)")
          XCTAssertEqual(f.table.info, full.table.info, "\(name) cut at \(cut)")
          XCTAssertTrue(zip(f.table.columns, full.table.columns).allSatisfy { same($0, $1) }, "\(name) cut at \(cut)")
        } catch {
          XCTAssertEqual(error.code, "bad-data-file", "\(name) cut at \(cut)")
          XCTAssertTrue(error.message.contains(format.description), error.message)
        }
      }
      // Bytes flipped all through: an error or a table, never a crash.
      var state: UInt64 = 0x9E37_79B9_7F4A_7C15  // xorshift64: the same 200 corruptions every run
      func next() -> Int {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return Int(state % UInt64(Int32.max))
      }
      for _ in 0..<200 {
        var flipped = b
        for _ in 0..<4 { flipped[next() % flipped.count] ^= UInt8(1 + next() % 255) }
        _ = try? ReadStatReader.read(flipped, format: format)
      }
      // The header (and signature) wiped: an error.
      var wiped = b
      for i in 0..<min(wiped.count, 512) { wiped[i] = 0x20 }
      XCTAssertThrowsError(try ReadStatReader.read(wiped, format: format), name) { e in
        XCTAssertEqual((e as? ReadStatReader.ReadError)?.code, "bad-data-file", name)
      }
    }
    // A CSV file named .sav.
    XCTAssertThrowsError(try ReadStatReader.read(Array("a,b\n1,2\n".utf8), format: .sav)) { e in
      XCTAssertEqual((e as? ReadStatReader.ReadError)?.code, "bad-data-file")
    }
  }

  /// More cells than the limit: refused with data-too-large.
  func testCellLimit() throws {
    var o = ReadStatReader.Options()
    o.maxCells = 50
    for name in ["therapy.sav", "therapy.dta", "therapy.por"] {
      XCTAssertThrowsError(try read(name, o), name) { e in
        XCTAssertEqual((e as? ReadStatReader.ReadError)?.code, "data-too-large", name)
      }
    }
  }

  /// Dates, date-times and times as ISO 8601 text, as haven reads them (SPSS from 1582-10-14,
  /// Stata and SAS from 1960-01-01, across both epochs and a leap day).
  func testDatesTimesAndDateTimesAsHavenReadsThem() throws {
    let haven = try twin("dates-haven.csv")
    let sav = try read("dates.sav")
    XCTAssertEqual(sav.variables.map(\.kind), [.date, .datetime, .time])
    for c in ["day", "stamp", "clock"] { XCTAssertEqual(sav.table[c], haven[c], c) }
    for name in ["dates.dta", "dates.sas7bdat"] {
      let f = try read(name)
      XCTAssertEqual(f.variables.map(\.kind), [.date, .datetime], name)
      for c in ["day", "stamp"] { XCTAssertEqual(f.table[c], haven[c], "\(name) \(c)") }
    }
  }

  /// A string variable's user-missing code ("X") is missing and counted, its value labels make
  /// a factor (levels in code order, as haven: north, south, not recorded); `keep` keeps "X".
  func testStringUserMissingAndLabels() throws {
    let f = try read("strings.sav")
    XCTAssertEqual(f.table["site"], .text(["north", "south", nil, "north", "south", nil, "north"]))
    XCTAssertEqual(f.table.info["site"]?.levels, ["north", "south", "not recorded"])
    XCTAssertEqual(f.variables[0].userMissing, "\"X\"")
    XCTAssertEqual(f.variables[0].userMissingDropped, 2)
    XCTAssertEqual(f.table["code"], .text(["a1", "b2", nil, "c3", "d4", "e5", "f6"]))
    var keep = ReadStatReader.Options()
    keep.userMissing = .keep
    keep.valueLabels = .codes
    let k = try read("strings.sav", keep)
    XCTAssertEqual(k.table["site"], .text(["N", "S", "X", "N", "S", "X", "N"]))
    XCTAssertEqual(k.variables[0].userMissingKept, 2)
  }

  /// Columns equal, NaN equal to NaN.
  func same(_ a: Column?, _ b: Column?) -> Bool {
    if case .numeric(let x)? = a, case .numeric(let y)? = b {
      return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
    return a == b
  }

  func testVersionAndFormats() {
    XCTAssertTrue(ReadStatReader.version.first?.isNumber == true, ReadStatReader.version)
    XCTAssertEqual(ReadStatReader.Format(name: "spss"), .sav)
    XCTAssertEqual(ReadStatReader.Format(name: "Stata"), .dta)
    XCTAssertEqual(ReadStatReader.Format(name: "sas"), .sas7bdat)
    XCTAssertNil(ReadStatReader.Format(name: "excel"))
  }
}
