import BordinData
import Foundation

/// A test-only evaluator for expression atoms: products of columns and numeric constants
/// (`a * b`, `2 * a`) and non-negative integer powers of a column (`a^2`). The report layer
/// passes the real expression language instead.
public func testEvaluator(_ table: Table) -> (String) throws -> [Double] {
  func operand(_ s: Substring) throws -> [Double] {
    let s = s.trimmingCharacters(in: .whitespaces)
    if let v = Double(s) { return [Double](repeating: v, count: table.rowCount) }
    let parts = s.split(separator: "^")
    if parts.count == 2, let k = Int(parts[1]), k >= 0 {
      return try operand(parts[0]).map { x in (0..<k).reduce(1.0) { r, _ in r * x } }
    }
    guard case .numeric(let v)? = table[s] else {
      throw EvaluatorError(description: "test evaluator cannot evaluate '\(s)'")
    }
    return v
  }
  return { code in
    let factors = try code.split(separator: "*").map(operand)
    return factors.dropFirst().reduce(factors[0]) { zip($0, $1).map { $0 * $1 } }
  }
}

public struct EvaluatorError: Error, CustomStringConvertible {
  public var description: String
}
