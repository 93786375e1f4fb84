import XCTest

@testable import BordinData

final class CSVReaderTests: XCTestCase {
  func testTypesAreInferredPerColumn() throws {
    let t = try csv("id,score,ok,name\n1,2.5,TRUE,Ann\n2,-1e-3,F,Bob\n3,.5,true,\n")
    XCTAssertEqual(t.names, ["id", "score", "ok", "name"])
    XCTAssertEqual(t.rowCount, 3)
    XCTAssertEqual(t["id"], .numeric([1, 2, 3]))
    XCTAssertEqual(t["score"], .numeric([2.5, -0.001, 0.5]))
    XCTAssertEqual(t["ok"], .logical([true, false, true]))
    XCTAssertEqual(t["name"], .text(["Ann", "Bob", nil]))
  }

  /// A wide file (5,000 columns of mixed types): names, order, types and values survive, and a
  /// duplicate name far to the right is still located exactly. Header locations used to be
  /// computed for every field, which made 100,000 columns take 42 s (quadratic in width).
  func testWideFileKeepsNamesOrderTypesAndLocatesDuplicates() throws {
    let w = 5000
    let header = (0..<w).map { "v\($0)" }.joined(separator: ",")
    let row1 = (0..<w).map { $0 % 3 == 0 ? "x\($0)" : "\($0)" }.joined(separator: ",")
    let row2 = (0..<w).map { $0 % 3 == 0 ? "y" : "\(Double($0) / 2)" }.joined(separator: ",")
    let t = try csv(header + "\n" + row1 + "\n" + row2 + "\n")
    XCTAssertEqual(t.columnCount, w)
    XCTAssertEqual(t.names.first, "v0")
    XCTAssertEqual(t.names.last, "v4999")
    XCTAssertEqual(t.index(of: "v4321"), 4321)
    XCTAssertEqual(t["v4997"], .numeric([4997, 2498.5]))
    XCTAssertEqual(t["v4997"], t.columns[4997])
    XCTAssertEqual(t["v4497"], .text(["x4497", "y"]))
    var names = (0..<w).map { "v\($0)" }
    names[w - 1] = "v7"
    let width = names.dropLast().map { $0.utf8.count + 1 }.reduce(0, +)
    XCTAssertThrowsError(try csv(names.joined(separator: ",") + "\n" + row1 + "\n")) { error in
      let e = error as? DataError
      XCTAssertEqual(e?.code, "csv-header")
      XCTAssertEqual(e?.message, "columns 8 and 5000 are both named 'v7'")
      XCTAssertEqual(e?.line, 1)
      XCTAssertEqual(e?.column, width + 1)
    }
  }

  /// Name lookups stay right through removal, renaming and selection (the name index is kept
  /// beside the names).
  func testNameIndexFollowsRemoveRenameAndSelect() throws {
    var t = try csv("a,b,c,d\n1,2,3,4\n")
    t["b"] = nil
    XCTAssertEqual(t.names, ["a", "c", "d"])
    XCTAssertEqual(t.index(of: "d"), 2)
    XCTAssertNil(t.index(of: "b"))
    t.rename("c", to: "b")
    XCTAssertEqual(t["b"], .numeric([3]))
    XCTAssertFalse(t.contains("c"))
    t["e"] = .numeric([5])
    XCTAssertEqual(t.index(of: "e"), 3)
    let s = t.selecting(["e", "a", "e"])
    XCTAssertEqual(s.names, ["e", "a"])
    XCTAssertEqual(s["a"], .numeric([1]))
    XCTAssertEqual(s.rows([0, 0])["e"], .numeric([5, 5]))
  }

  func testSpecialNumbersAndNA() throws {
    let t = try csv("a,b\nInf,NA\n-Inf,1\nNaN,\n 7 ,2\n")
    let a = try XCTUnwrap(numbers(try XCTUnwrap(t["a"])))
    XCTAssertEqual(a[0], .infinity)
    XCTAssertEqual(a[1], -.infinity)
    XCTAssertTrue(a[2].isNaN)
    XCTAssertEqual(a[3], 7)
    assertNumbers(try XCTUnwrap(t["b"]), [.nan, 1, .nan, 2])
  }

  func testNumbersAreCorrectlyRounded() throws {
    let texts = [
      "0.1", "2.2250738585072014e-308", "1.7976931348623157e308", "9007199254740993",
      "0.30000000000000004", "123456789012345678901234567890", "4.9e-324", "1e23", "8.5e-5",
    ]
    let t = try csv("x\n" + texts.joined(separator: "\n"))
    let x = try XCTUnwrap(numbers(try XCTUnwrap(t["x"])))
    for (value, text) in zip(x, texts) {
      XCTAssertEqual(value, Double(text), text)
    }
  }

  func testQuotesEmbeddedDelimitersNewlinesAndDoubledQuotes() throws {
    let t = try csv("id,note\n1,\"a, b\"\n2,\"line one\nline two\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n")
    XCTAssertEqual(t["note"], .text(["a, b", "line one\nline two", "say \"hi\"", nil]))
    XCTAssertEqual(t["id"], .numeric([1, 2, 3, 4]))
  }

  func testQuotedNumbersAreNumbersAndQuotedNAIsMissing() throws {
    let t = try csv("a,b\n\"1\",\"NA\"\n\"2\",x\n")
    XCTAssertEqual(t["a"], .numeric([1, 2]))
    XCTAssertEqual(t["b"], .text([nil, "x"]))
  }

  func testCRLFBOMAndMissingTrailingNewline() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\r\n1,x\r\n2,y".utf8)
    let t = try CSVReader.read(bytes)
    XCTAssertEqual(t.names, ["a", "b"])
    XCTAssertEqual(t["a"], .numeric([1, 2]))
    XCTAssertEqual(t["b"], .text(["x", "y"]))
  }

  func testBlankLinesAreSkipped() throws {
    let t = try csv("a,b\n1,2\n\n3,4\n\n\r\n")
    XCTAssertEqual(t["a"], .numeric([1, 3]))
    XCTAssertEqual(t["b"], .numeric([2, 4]))
  }

  func testTrailingEmptyField() throws {
    let t = try csv("a,b,c\n1,2,\n3,4,5")
    assertNumbers(try XCTUnwrap(t["c"]), [.nan, 5])
  }

  func testCustomNAStringsAndTab() throws {
    let options = CSVOptions(delimiter: UInt8(ascii: "\t"), naStrings: ["", "NA", "-99"])
    let t = try csv("a\tb\n-99\tx y\n3\tNA\n", options: options)
    assertNumbers(try XCTUnwrap(t["a"]), [.nan, 3])
    XCTAssertEqual(t["b"], .text(["x y", nil]))
    XCTAssertEqual(CSVReader.options(forPath: "data/x.TSV").delimiter, UInt8(ascii: "\t"))
    XCTAssertEqual(CSVReader.options(forPath: "data/x.tab").delimiter, UInt8(ascii: "\t"))
    XCTAssertEqual(CSVReader.options(forPath: "data/x.csv").delimiter, UInt8(ascii: ","))
  }

  func testNAStringsAreExactAndEmptyOnlyWhenListed() throws {
    let t = try csv("a,b\n,1\nx,2\n", options: CSVOptions(naStrings: ["NA"]))
    XCTAssertEqual(t["a"], .text(["", "x"]))
  }

  func testBlankCellsAreMissingInNumericColumnsOnly() throws {
    let t = try csv("a,b,c\n1,  ,x\n ,TRUE,  \n", options: CSVOptions(naStrings: ["NA"]))
    assertNumbers(try XCTUnwrap(t["a"]), [1, .nan])
    XCTAssertEqual(t["b"], .logical([nil, true]))
    XCTAssertEqual(t["c"], .text(["x", "  "]))
  }

  func testAllMissingColumnIsLogicalAndMixedIsText() throws {
    let t = try csv("a,b,c\nNA,1,TRUE\n,x,1\n")
    XCTAssertEqual(t["a"], .logical([nil, nil]))
    XCTAssertEqual(t["b"], .text(["1", "x"]))
    XCTAssertEqual(t["c"], .text(["TRUE", "1"]))
  }

  func testHeaderOnlyFileHasNoRows() throws {
    let t = try csv("a,b\n")
    XCTAssertEqual(t.names, ["a", "b"])
    XCTAssertEqual(t.rowCount, 0)
    XCTAssertEqual(t["a"], .logical([]))
  }

  func testEmptyFileIsAnError() {
    XCTAssertEqual(assertDataError { try csv("") }?.code, "csv-empty")
    XCTAssertEqual(assertDataError { try csv("\n\r\n") }?.code, "csv-empty")
    XCTAssertEqual(assertDataError { try CSVReader.read([0xEF, 0xBB, 0xBF]) }?.code, "csv-empty")
  }

  func testRaggedRowReportsLineAndCounts() throws {
    let e = try XCTUnwrap(assertDataError { try csv("a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5\n") })
    XCTAssertEqual(e.code, "csv-ragged")
    XCTAssertEqual(e.line, 5)
    XCTAssertTrue(e.message.contains("2 fields"), e.message)
    XCTAssertTrue(e.message.contains("header has 3"), e.message)
  }

  func testUnterminatedQuoteReportsWhereItOpened() throws {
    let e = try XCTUnwrap(assertDataError { try csv("a,b\n1,2\n3,\"oops\n4,5\n") })
    XCTAssertEqual(e.code, "csv-quote")
    XCTAssertEqual(e.line, 3)
    XCTAssertEqual(e.column, 3)
  }

  func testTextAfterClosingQuote() throws {
    let e = try XCTUnwrap(assertDataError { try csv("a,b\n\"x\"y,2\n") })
    XCTAssertEqual(e.code, "csv-quote")
    XCTAssertEqual(e.line, 2)
    XCTAssertEqual(try csv("a,b\n\"x\"  ,2\n")["a"], .text(["x"]))
  }

  func testDuplicateAndEmptyHeaderNames() throws {
    let dup = try XCTUnwrap(assertDataError { try csv("id,x,y,x\n1,2,3,4\n") })
    XCTAssertEqual(dup.code, "csv-header")
    XCTAssertTrue(dup.message.contains("columns 2 and 4"), dup.message)
    XCTAssertTrue(dup.message.contains("'x'"), dup.message)
    let empty = try XCTUnwrap(assertDataError { try csv("id,,y\n1,2,3\n") })
    XCTAssertEqual(empty.code, "csv-header")
    XCTAssertTrue(empty.message.contains("column 2"), empty.message)
  }

  func testInvalidUTF8ReportsLine() throws {
    let bytes = Array("name,n\nAnn,1\n".utf8) + [0x4A, 0xF6, 0x72, 0x67] + Array(",2\n".utf8)
    let e = try XCTUnwrap(assertDataError { try CSVReader.read(bytes) })
    XCTAssertEqual(e.code, "csv-utf8")
    XCTAssertEqual(e.line, 3)
    XCTAssertTrue(e.message.contains("'name'"), e.message)
  }

  func testUnicodeTextSurvives() throws {
    let t = try csv("naam,x\nJörg,1\n\"日本\",2\n")
    XCTAssertEqual(t["naam"], .text(["Jörg", "日本"]))
  }

  func testManyRowsParse() throws {
    var text = "id,group,score\n"
    for i in 0..<5000 { text += "\(i),g\(i % 7),\(Double(i) / 8)\n" }
    let t = try csv(text)
    XCTAssertEqual(t.rowCount, 5000)
    XCTAssertEqual(numbers(try XCTUnwrap(t["score"]))?[4999], 4999.0 / 8)
  }
}
