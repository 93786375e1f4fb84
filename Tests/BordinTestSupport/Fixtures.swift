import BordinData
import Foundation
import XCTest

/// Test fixtures under Tests/Fixtures, found from this file's path (no SwiftPM resources).
public enum Fixtures {
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // BordinTestSupport
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("Fixtures")

  public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// A reference case (shared/reference shape) as a JSON object.
  public static func reference(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: url("\(name).json"))
    guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw CSVError("\(name).json is not a JSON object")
    }
    return obj
  }

  /// Loads a simple CSV: a header row of quoted names; fields either quoted strings or numbers;
  /// empty cells are missing. A column is numeric when every non-empty cell is an unquoted
  /// number, text otherwise. Test-only: the real reader lives in BordinData.
  public static func csv(_ relative: String) throws -> Table {
    let text = try String(contentsOf: url(relative), encoding: .utf8)
    var lines = text.split(whereSeparator: \.isNewline).map(String.init)
    guard !lines.isEmpty else { throw CSVError("empty CSV") }
    let header = try fields(lines.removeFirst()).map(\.text)
    var cells: [[Field]] = Array(repeating: [], count: header.count)
    for (k, line) in lines.enumerated() {
      let f = try fields(line)
      guard f.count == header.count else {
        throw CSVError("line \(k + 2) has \(f.count) fields, expected \(header.count)")
      }
      for j in f.indices { cells[j].append(f[j]) }
    }
    var pairs: [(String, Column)] = []
    for (j, name) in header.enumerated() {
      let col = cells[j]
      let numeric = col.allSatisfy { $0.text.isEmpty || (!$0.quoted && Double($0.text) != nil) }
      if numeric {
        pairs.append((name, .numeric(col.map { $0.text.isEmpty ? .nan : Double($0.text) ?? .nan })))
      } else {
        pairs.append((name, .text(col.map { $0.text.isEmpty && !$0.quoted ? nil : $0.text })))
      }
    }
    return Table(pairs)
  }

  struct Field {
    var text: String
    var quoted: Bool
  }

  private static func fields(_ line: String) throws -> [Field] {
    var out: [Field] = []
    var chars = Array(line)[...]
    while true {
      if chars.first == "\"" {
        chars = chars.dropFirst()
        var s = ""
        while true {
          guard let c = chars.first else { throw CSVError("unterminated quote in: \(line)") }
          chars = chars.dropFirst()
          if c == "\"" {
            if chars.first == "\"" { s.append("\""); chars = chars.dropFirst() } else { break }
          } else {
            s.append(c)
          }
        }
        out.append(Field(text: s, quoted: true))
      } else {
        let end = chars.firstIndex(of: ",") ?? chars.endIndex
        out.append(Field(text: String(chars[..<end]), quoted: false))
        chars = chars[end...]
      }
      if chars.first == "," { chars = chars.dropFirst() } else { break }
    }
    return out
  }
}

public struct CSVError: Error, CustomStringConvertible {
  public var description: String
  public init(_ d: String) { description = d }
}

extension Table {
  /// A numeric column by name (test helper; fails the test when absent or not numeric).
  public func numbers(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
    guard case .numeric(let v)? = self[name] else {
      XCTFail("no numeric column \(name)", file: file, line: line)
      return []
    }
    return v
  }

  /// The rows complete on every column (R's `complete.cases`).
  public var completeCases: Table {
    rows((0..<rowCount).filter { i in columns.allSatisfy { !$0.isMissing(i) } })
  }
}
