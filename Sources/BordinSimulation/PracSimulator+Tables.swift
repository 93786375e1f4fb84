import BordinData
import Foundation

/// Step 10 of `PracSimulator.generate`: the realised sample laid out as the three published
/// files (`long.csv`, `items.csv`, `wide.csv`; columns described in the generated README).
struct PracTables {
  /// One recorded TASC rating: child, wave, rating (informant) and its 12 item responses.
  typealias ItemRow = (i: Int, w: Int, r: Int, items: [Int])

  let assigned: [Int], therapistClinic: [Int]
  let girl: [Double], age: [Double], anxiety: [Double], white: [Double], experience: [Double]
  let lastWave: [Int]
  let tasc: [[[Int]]], present: [[[Bool]]]
  let outcome: [[[Double]]], outcomePresent: [[Bool]]
  let itemRows: [ItemRow]

  var childID: [String] { (0..<PracSimulator.childCount).map { String(format: "P%03d", $0 + 1) } }
  var therapistID: [String] { (0..<PracSimulator.therapistCount).map { String(format: "T%02d", $0 + 1) } }
  var clinicID: [String] { (0..<PracSimulator.clinicCount).map { "C\($0 + 1)" } }
  var sexText: [String] { girl.map { $0 == 1 ? "girl" : "boy" } }
  var ethText: [String] { white.map { $0 == 1 ? "white" : "other" } }

  /// `long.csv`: one row per child and interview.
  func long() -> Table {
    let nC = PracSimulator.childCount, nW = PracSimulator.months.count, nR = PracSimulator.informants.count
    let childID = childID, therapistID = therapistID, clinicID = clinicID, sexText = sexText, ethText = ethText
    var long: [(String, Column)] = []
    let longRows = (0..<nC).flatMap { i in (0..<nW).map { (i, $0) } }
    long.append(("child", .text(longRows.map { childID[$0.0] })))
    long.append(("therapist", .text(longRows.map { therapistID[assigned[$0.0]] })))
    long.append(("clinic", .text(longRows.map { clinicID[therapistClinic[assigned[$0.0]]] })))
    long.append(("sex", .text(longRows.map { sexText[$0.0] })))
    long.append(("age", .numeric(longRows.map { age[$0.0] })))
    long.append(("anxiety", .numeric(longRows.map { anxiety[$0.0] })))
    long.append(("ethnicity", .text(longRows.map { ethText[$0.0] })))
    long.append(("experience", .numeric(longRows.map { experience[$0.0] })))
    long.append(("wave", .numeric(longRows.map { Double($0.1 + 1) })))
    long.append(("months", .numeric(longRows.map { Double(PracSimulator.months[$0.1]) })))
    long.append(("active", .numeric(longRows.map { $0.1 <= lastWave[$0.0] ? 1 : 0 })))
    for r in 0..<nR {
      long.append(("tasc_" + PracSimulator.informants[r], .numeric(longRows.map { present[$0.0][$0.1][r] ? Double(tasc[$0.0][$0.1][r]) : .nan })))
  }
  for (k, o) in PracSimulator.outcomes.enumerated() {
    long.append((o.name, .numeric(longRows.map { outcomePresent[$0.0][$0.1] ? outcome[$0.0][k][$0.1] : .nan })))
  }
    return Table(long)
  }

  /// `items.csv`: one row per recorded TASC rating.
  func items() -> Table {
    let childID = childID
    var items: [(String, Column)] = []
    items.append(("child", .text(itemRows.map { childID[$0.i] })))
    items.append(("wave", .numeric(itemRows.map { Double($0.w + 1) })))
    items.append(("months", .numeric(itemRows.map { Double(PracSimulator.months[$0.w]) })))
    items.append(("informant", .text(itemRows.map { PracSimulator.informants[$0.r] })))
    for k in 0..<12 {
      items.append((String(format: "item%02d", k + 1), .numeric(itemRows.map { Double($0.items[k]) })))
  }
  items.append(("total", .numeric(itemRows.map { Double($0.items.reduce(0, +)) })))
    return Table(items)
  }

  /// `wide.csv`: one row per family, waves 1–3 side by side (for cross-lagged panel models).
  func wide() -> Table {
    let nC = PracSimulator.childCount, nR = PracSimulator.informants.count
    let therapistID = therapistID, clinicID = clinicID
    var wide: [(String, Column)] = []
    wide.append(("child", .text(childID)))
    wide.append(("therapist", .text((0..<nC).map { therapistID[assigned[$0]] })))
    wide.append(("clinic", .text((0..<nC).map { clinicID[therapistClinic[assigned[$0]]] })))
    wide.append(("sex", .text(sexText)))
    wide.append(("age", .numeric(age)))
    wide.append(("anxiety", .numeric(anxiety)))
    wide.append(("ethnicity", .text(ethText)))
    wide.append(("experience", .numeric(experience)))
    wide.append(("last_month", .numeric(lastWave.map { Double(PracSimulator.months[$0]) })))
    for w in 0..<3 {
    let m = PracSimulator.months[w]
      for r in 0..<nR {
        wide.append(("tasc_\(PracSimulator.informants[r])_\(m)", .numeric((0..<nC).map { present[$0][w][r] ? Double(tasc[$0][w][r]) : .nan })))
      }
      for (k, o) in PracSimulator.outcomes.enumerated() {
        wide.append(("\(o.name)_\(m)", .numeric((0..<nC).map { outcomePresent[$0][w] ? outcome[$0][k][w] : .nan })))
      }
  }
    return Table(wide)
  }
}
