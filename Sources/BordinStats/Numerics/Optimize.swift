import CNLopt

// Derivative-free bound-constrained minimisation through NLopt (the only file that imports it).
//
// Implementation goals, in priority order: (1) the optimiser lme4 uses by default (BOBYQA,
// Powell 2009), so that mixed-model fits take the same path as R; (2) a Swift closure as the
// objective without global state: the closure travels to C as an `Unmanaged` context pointer
// through a non-capturing `@convention(c)` trampoline.
//
// Reference: Powell, M. J. D. (2009). The BOBYQA algorithm for bound constrained optimization
// without derivatives. Report DAMTP 2009/NA06, University of Cambridge. Johnson, S. G., The NLopt
// nonlinear-optimization package, https://github.com/stevengj/nlopt.

/// How an optimisation ended (NLopt's `nlopt_result`).
public enum OptimizationStatus: Sendable, Equatable {
  case success
  case stopValueReached
  case fTolReached
  case xTolReached
  case maxEvalReached
  case maxTimeReached
  case failure
  case invalidArguments
  case outOfMemory
  case roundoffLimited
  case forcedStop

  init(_ r: nlopt_result) {
    switch r {
    case NLOPT_SUCCESS: self = .success
    case NLOPT_STOPVAL_REACHED: self = .stopValueReached
    case NLOPT_FTOL_REACHED: self = .fTolReached
    case NLOPT_XTOL_REACHED: self = .xTolReached
    case NLOPT_MAXEVAL_REACHED: self = .maxEvalReached
    case NLOPT_MAXTIME_REACHED: self = .maxTimeReached
    case NLOPT_INVALID_ARGS: self = .invalidArguments
    case NLOPT_OUT_OF_MEMORY: self = .outOfMemory
    case NLOPT_ROUNDOFF_LIMITED: self = .roundoffLimited
    case NLOPT_FORCED_STOP: self = .forcedStop
    default: self = .failure
    }
  }

  /// True when the optimiser stopped by a convergence criterion (not by a limit or an error).
  /// `roundoffLimited` is not counted, although NLopt's point is then usually still useful.
  public var converged: Bool {
    switch self {
    case .success, .stopValueReached, .fTolReached, .xTolReached: return true
    default: return false
    }
  }
}

/// The result of ``Optimize/minimize(_:x0:lower:upper:ftolRel:maxeval:ftolAbs:xtolAbs:)``.
public struct OptimizationResult: Sendable, Equatable {
  /// The best point found.
  public var x: [Double]
  /// The objective at `x`.
  public var f: Double
  public var status: OptimizationStatus
  /// Number of objective evaluations.
  public var evaluations: Int
}

/// Bound-constrained minimisation.
public enum Optimize {
  private final class Context {
    let f: ([Double]) -> Double
    var evaluations = 0
    init(_ f: @escaping ([Double]) -> Double) { self.f = f }
  }

  /// Minimises `f` over the box `lower ≤ x ≤ upper` by BOBYQA.
  ///
  /// ```
  /// x* = argmin f(x)  subject to  lower ≤ x ≤ upper
  /// ```
  /// Stops when an iteration changes f by less than `ftolRel`·|f| or after `maxeval`
  /// evaluations. Bounds may be ±∞. A NaN objective value is passed to NLopt unchanged.
  /// - Parameters:
  ///   - f: the objective; called synchronously on the current thread.
  ///   - x0: the starting point (clamped into the box).
  ///   - lower, upper: bounds, same length as `x0`.
  ///   - ftolRel: relative tolerance on the objective (lme4's BOBYQA default is 1e-12 for `nloptwrap`).
  ///   - maxeval: evaluation limit (≤ 0: none).
  ///   - ftolAbs: optional absolute tolerance on the objective (lme4's `nloptwrap`: 1e-8).
  ///   - xtolAbs: optional absolute tolerance on every parameter (lme4's `nloptwrap`: 1e-8).
  ///   - xtolRel: optional relative tolerance on the parameters (nloptr's default, which
  ///     lme4's `nloptwrap` inherits: 1e-4).
  ///   - initialStep: optional initial step per parameter (NLopt's default otherwise); BOBYQA
  ///     rescales the parameters by these steps, so steps on each parameter's natural scale
  ///     (e.g. its approximate standard error) precondition a badly scaled problem.
  /// - Returns: best point, its value, the NLopt status and the number of evaluations.
  /// - Throws: `StatsError` `optimizer-failed` for invalid arguments or out of memory.
  public static func minimize(
    _ f: @escaping ([Double]) -> Double, x0: [Double], lower: [Double], upper: [Double],
    ftolRel: Double = 1e-12, maxeval: Int = 100_000, ftolAbs: Double? = nil,
    xtolAbs: Double? = nil, initialStep: [Double]? = nil, xtolRel: Double? = nil
  ) throws -> OptimizationResult {
    let n = x0.count
    precondition(lower.count == n && upper.count == n, "bounds must have the length of x0")
    guard n > 0, let opt = nlopt_create(NLOPT_LN_BOBYQA, UInt32(n)) else {
      throw StatsError(
        code: "optimizer-failed", message: "could not create a BOBYQA optimizer for \(n) parameters")
    }
    defer { nlopt_destroy(opt) }
    let context = Context(f)
    let unmanaged = Unmanaged.passRetained(context)
    defer { unmanaged.release() }

    let trampoline: nlopt_func = { n, x, _, data in
      guard let data, let x else { return .nan }
      let ctx = Unmanaged<Context>.fromOpaque(data).takeUnretainedValue()
      ctx.evaluations += 1
      return ctx.f(Array(UnsafeBufferPointer(start: x, count: Int(n))))
    }
    _ = nlopt_set_min_objective(opt, trampoline, unmanaged.toOpaque())
    _ = lower.withUnsafeBufferPointer { nlopt_set_lower_bounds(opt, $0.baseAddress) }
    _ = upper.withUnsafeBufferPointer { nlopt_set_upper_bounds(opt, $0.baseAddress) }
    _ = nlopt_set_ftol_rel(opt, ftolRel)
    if maxeval > 0 { _ = nlopt_set_maxeval(opt, Int32(clamping: maxeval)) }
    if let ftolAbs { _ = nlopt_set_ftol_abs(opt, ftolAbs) }
    if let xtolAbs { _ = nlopt_set_xtol_abs1(opt, xtolAbs) }
    if let xtolRel { _ = nlopt_set_xtol_rel(opt, xtolRel) }
    if let initialStep, initialStep.count == n { _ = initialStep.withUnsafeBufferPointer { nlopt_set_initial_step(opt, $0.baseAddress) } }

    var x = zip(x0, zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
    var fmin = Double.nan
    let code = nlopt_optimize(opt, &x, &fmin)
    let status = OptimizationStatus(code)
    if status == .invalidArguments || status == .outOfMemory {
      throw StatsError(
        code: "optimizer-failed", message: "BOBYQA stopped: \(status)",
        remedy: "Check the starting values and bounds.")
    }
    return OptimizationResult(x: x, f: fmin, status: status, evaluations: context.evaluations)
  }
}
