// The result of a generalized linear mixed-model fit: `summary(glmer(...))` with Wald z tests,
// `confint(method = "Wald")`, exponentiated coefficients, `VarCorr`, `ranef`, `logLik`/`AIC`/
// `BIC`, `ngrps` and `isSingular` in one value.
//
// Implementation goals: (1) DESIGN.md §3's `glmm` row: `coef[]` as `glm` (``GLMCoefficient``),
// `random[]` as `lmm` (``LMMVarianceComponent``, no residual row: σ = 1), `deviance` = −2 logLik
// (not lme4's conditional `deviance()`); (2) the optimum's numbers, with how they were reached
// (evaluations, PIRLS convergence) so a reader can judge them.
//
// Reference: lme4 1.1-31 (`summary.merMod`, `vcov.merMod` with `use.hessian`, `VarCorr`,
// `logLik.merMod`, `isSingular`).

/// Options of a GLMM fit.
public struct GLMMOptions: Sendable, Equatable {
  public var family: GLMFamily
  /// Confidence level of the Wald intervals.
  public var level: Double
  /// The outer optimiser (BOBYQA over (θ, β)) stops when its trust region falls below
  /// `xtolAbs` or after `maxEvaluations` deviance evaluations (then `converged` is false).
  public var xtolAbs: Double
  public var maxEvaluations: Int

  public init(family: GLMFamily = .binomial, level: Double = 0.95, xtolAbs: Double = 1e-10, maxEvaluations: Int = 100_000) {
    self.family = family
    self.level = level
    self.xtolAbs = xtolAbs
    self.maxEvaluations = maxEvaluations
  }
}

/// A generalized linear mixed-model fit (lme4's `glmer`, Laplace, nAGQ = 1).
public struct GLMMResult: Sendable, Equatable {
  public var family: GLMFamily
  /// A two-level text outcome's levels (the first coded 0), as ``GLMResult/responseLevels``.
  public var responseLevels: [String]?
  /// Whether the response was `cbind(successes, failures)` (binomial counts).
  public var binomialCounts: Bool
  /// Fixed effects (Wald z, p, interval, exp) in model-matrix column order.
  public var coefficients: [GLMCoefficient]
  /// Variance components as `as.data.frame(VarCorr(fit))`: per term its variances then its
  /// covariances (sdcor a correlation); no residual row.
  public var random: [LMMVarianceComponent]
  /// Conditional modes b = Λθû per term.
  public var ranef: [LMMRandomEffects]
  /// The Laplace log-likelihood, −D(θ̂, β̂)/2 (`logLik(fit)`).
  public var logLik: Double
  /// −2 logLik (DESIGN §3; lme4's `deviance()` of a GLMM is the conditional one, not this).
  public var deviance: Double
  public var AIC: Double
  public var BIC: Double
  /// length(θ) + p.
  public var npar: Int
  public var nobs: Int
  public var ngroups: [LMMGroupCount]
  /// The outer optimiser met its convergence rule and every PIRLS converged at the optimum.
  public var converged: Bool
  /// lme4's `isSingular`: a diagonal θ below 1e-4.
  public var singular: Bool
  public var level: Double
  public var theta: [Double]
  public var thetaLower: [Double]
  /// Var(β̂) = 2·[H⁻¹]ββ, H the Hessian of the Laplace deviance over (θ, β) (lme4's
  /// `vcov(use.hessian = TRUE)`), θ at its bound held fixed.
  public var vcov: Matrix
  /// Fitted means μ̂ over the rows used, and the response (proportions for binomial counts).
  public var fitted: [Double]
  public var rowsUsed: [Int]
  public var rowsDropped: Int
  /// Laplace deviance evaluations in all (both optimiser stages and the Hessian).
  public var evaluations: Int
  public var warnings: [StatsWarning]

  /// The coefficient called `term`, if any.
  public func coefficient(_ term: String) -> GLMCoefficient? { coefficients.first { $0.term == term } }
  public var terms: [String] { coefficients.map(\.term) }
}
