// Defined parameters (`name := expression`) and their exact gradients, for delta-method
// standard errors.
//
// Implementation goals, in priority order: (1) the value and standard error lavaan gives for
// `:=` rows: est = f(θ̂), se = √(J V J') with J = ∂f/∂θ' at θ̂ (lavaan differentiates f
// numerically by complex steps, which is exact to rounding; we use forward-mode automatic
// differentiation, also exact); (2) definitions may use earlier definitions.
//
// Known difference: lavaan's complex-step derivative of abs() is 0 (R's abs() of a complex
// number is its modulus, a real number), so lavaan's delta-method SE ignores terms inside
// abs(); Bordin differentiates abs() (sign(x)), which is the correct delta method.
//
// References: Sobel, M. E. (1982). Asymptotic confidence intervals for indirect effects in
// structural equation models. *Sociological Methodology*, 13, 290–312. Rosseel, Y. (2012).
// lavaan. *Journal of Statistical Software*, 48(2).

import Foundation

/// A value with its gradient with respect to the free parameters (forward-mode AD).
struct DualNumber {
  var value: Double
  var gradient: [Double]

  static func constant(_ v: Double, count: Int) -> DualNumber {
    DualNumber(value: v, gradient: [Double](repeating: 0, count: count))
  }

  func map(_ f: Double, _ df: Double) -> DualNumber {
    DualNumber(value: f, gradient: gradient.map { $0 * df })
  }
}

enum DefinedParameters {
  /// Evaluates every definition of `table` in order.
  ///
  /// - Parameters:
  ///   - rowValues: the value of every table row (free and fixed).
  ///   - withGradient: compute ∂f/∂θ (θ = the free parameters).
  /// - Returns: one dual number per definition, in order.
  static func evaluate(table: SEMParameterTable, rowValues: [Double], withGradient: Bool) -> [DualNumber] {
    let q = withGradient ? table.freeCount : 0
    var env: [String: DualNumber] = [:]
    for (i, r) in table.rows.enumerated() where !r.label.isEmpty && r.op != .defined {
      if env[r.label] != nil { continue }
      var d = DualNumber.constant(rowValues[i], count: q)
      if withGradient, let k = r.free { d.gradient[k] = 1 }
      env[r.label] = d
    }
    var out: [DualNumber] = []
    for def in table.definitions {
      let v = eval(def.expression, env, q)
      env[def.name] = v
      out.append(v)
    }
    return out
  }

  /// Evaluates an expression of labels and defined parameters (a constraint's side).
  static func evaluate(
    _ e: LavaanExpression, table: SEMParameterTable, rowValues: [Double], withGradient: Bool
  ) -> DualNumber {
    let q = withGradient ? table.freeCount : 0
    var env: [String: DualNumber] = [:]
    for (i, r) in table.rows.enumerated() where !r.label.isEmpty && r.op != .defined {
      if env[r.label] != nil { continue }
      var d = DualNumber.constant(rowValues[i], count: q)
      if withGradient, let k = r.free { d.gradient[k] = 1 }
      env[r.label] = d
    }
    for def in table.definitions { env[def.name] = eval(def.expression, env, q) }
    return eval(e, env, q)
  }

  private static func eval(_ e: LavaanExpression, _ env: [String: DualNumber], _ q: Int) -> DualNumber {
    switch e {
    case .number(let v): return .constant(v, count: q)
    case .name(let n, _): return env[n] ?? .constant(.nan, count: q)
    case .negate(let a):
      let x = eval(a, env, q)
      return x.map(-x.value, -1)
    case .binary(let op, let a, let b):
      let x = eval(a, env, q)
      let y = eval(b, env, q)
      switch op {
      case "+": return DualNumber(value: x.value + y.value, gradient: zip(x.gradient, y.gradient).map(+))
      case "-": return DualNumber(value: x.value - y.value, gradient: zip(x.gradient, y.gradient).map(-))
      case "*":
        return DualNumber(
          value: x.value * y.value,
          gradient: zip(x.gradient, y.gradient).map { x.value * $1 + y.value * $0 })
      case "/":
        return DualNumber(
          value: x.value / y.value,
          gradient: zip(x.gradient, y.gradient).map { ($0 * y.value - x.value * $1) / (y.value * y.value) })
      default:  // "^"
        let v = Foundation.pow(x.value, y.value)
        let dx = y.value * Foundation.pow(x.value, y.value - 1)
        let yConstant = y.gradient.allSatisfy { $0 == 0 }
        let dy = yConstant ? 0 : v * Foundation.log(x.value)
        return DualNumber(value: v, gradient: zip(x.gradient, y.gradient).map { dx * $0 + dy * $1 })
      }
    case .call(let f, let args, _):
      let x = eval(args[0], env, q)
      let v = x.value
      switch f {
      case "sqrt": return x.map(v.squareRoot(), 0.5 / v.squareRoot())
      case "exp": return x.map(Foundation.exp(v), Foundation.exp(v))
      case "log": return x.map(Foundation.log(v), 1 / v)
      case "abs": return x.map(abs(v), v < 0 ? -1 : 1)
      case "sin": return x.map(Foundation.sin(v), Foundation.cos(v))
      case "cos": return x.map(Foundation.cos(v), -Foundation.sin(v))
      case "tan": return x.map(Foundation.tan(v), 1 / (Foundation.cos(v) * Foundation.cos(v)))
      case "atan": return x.map(Foundation.atan(v), 1 / (1 + v * v))
      case "tanh": return x.map(Foundation.tanh(v), 1 - Foundation.tanh(v) * Foundation.tanh(v))
      case "asin": return x.map(Foundation.asin(v), 1 / (1 - v * v).squareRoot())
      default: return x.map(Foundation.acos(v), -1 / (1 - v * v).squareRoot())  // acos
      }
    }
  }
}
