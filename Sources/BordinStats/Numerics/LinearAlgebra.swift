import CLapacke
import Foundation

// Dense linear algebra through LAPACK (the only file that imports CLapacke).
//
// Implementation goals, in priority order: (1) the numbers of R's `lm`/`chol2inv`/`solve` to
// about 1e-12 relative on well-conditioned problems, by using the same Householder QR family;
// (2) no crashes on bad input: LAPACK `info` codes become `StatsError`s; (3) deterministic results
// regardless of the machine, by pinning OpenBLAS to one thread.
//
// Reference: Anderson et al. (1999), *LAPACK Users' Guide*, 3rd ed., SIAM (dgeqrf, dormqr,
// dtrtrs, dpotrf, dpotri); R's `qr()`/`lm.fit` use LINPACK dqrdc2 (Householder with limited
// column pivoting, tolerance 1e-7), whose rank rule ``LinearAlgebra/leastSquares(_:_:tolerance:)``
// mimics.

/// A dense real matrix stored column by column (Fortran/LAPACK order).
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
  public let rows: Int
  public let cols: Int
  /// Column-major values: element (i, j) is `values[i + j * rows]`.
  public var values: [Double]

  public init(rows: Int, cols: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && cols >= 0)
    self.rows = rows
    self.cols = cols
    values = [Double](repeating: value, count: rows * cols)
  }

  /// - Precondition: `values.count == rows * cols` (column-major).
  public init(rows: Int, cols: Int, values: [Double]) {
    precondition(values.count == rows * cols, "matrix needs \(rows * cols) values")
    self.rows = rows
    self.cols = cols
    self.values = values
  }

  /// Builds a matrix from equally long columns.
  public init(columns: [[Double]]) {
    let r = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == r }, "columns differ in length")
    self.init(rows: r, cols: columns.count, values: columns.flatMap { $0 })
  }

  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, cols: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  public subscript(i: Int, j: Int) -> Double {
    get { values[i + j * rows] }
    set { values[i + j * rows] = newValue }
  }

  public func column(_ j: Int) -> [Double] { Array(values[(j * rows)..<((j + 1) * rows)]) }

  public func row(_ i: Int) -> [Double] { (0..<cols).map { self[i, $0] } }

  /// The diagonal elements.
  public var diagonal: [Double] { (0..<min(rows, cols)).map { self[$0, $0] } }

  public var transposed: Matrix {
    var t = Matrix(rows: cols, cols: rows)
    for j in 0..<cols { for i in 0..<rows { t[j, i] = self[i, j] } }
    return t
  }

  /// The columns at `indices`, in that order.
  public func selectingColumns(_ indices: [Int]) -> Matrix {
    Matrix(rows: rows, cols: indices.count, values: indices.flatMap { column($0) })
  }

  /// The square submatrix on `indices` × `indices`.
  public func submatrix(_ indices: [Int]) -> Matrix {
    var m = Matrix(rows: indices.count, cols: indices.count)
    for (b, j) in indices.enumerated() { for (a, i) in indices.enumerated() { m[a, b] = self[i, j] } }
    return m
  }

  /// Matrix product `self * other`. - Precondition: conformable.
  public func multiplied(by other: Matrix) -> Matrix {
    precondition(cols == other.rows, "non-conformable matrices")
    var out = Matrix(rows: rows, cols: other.cols)
    for j in 0..<other.cols {
      for k in 0..<cols {
        let b = other[k, j]
        if b == 0 { continue }
        for i in 0..<rows { out.values[i + j * rows] += values[i + k * rows] * b }
      }
    }
    return out
  }

  /// Matrix–vector product `self * v`. - Precondition: `v.count == cols`.
  public func multiplied(by v: [Double]) -> [Double] {
    precondition(cols == v.count, "non-conformable vector")
    var out = [Double](repeating: 0, count: rows)
    for k in 0..<cols {
      let b = v[k]
      if b == 0 { continue }
      for i in 0..<rows { out[i] += values[i + k * rows] * b }
    }
    return out
  }

  /// The quadratic form `v' * self * v`. - Precondition: square, `v.count == rows`.
  public func quadraticForm(_ v: [Double]) -> Double {
    precondition(rows == cols && v.count == rows)
    var s = 0.0
    for j in 0..<cols { for i in 0..<rows { s += v[i] * self[i, j] * v[j] } }
    return s
  }

  public var description: String {
    (0..<rows).map { i in (0..<cols).map { "\(self[i, $0])" }.joined(separator: " ") }
      .joined(separator: "\n")
  }
}

/// A least-squares fit by Householder QR: `y ≈ X b`.
public struct LeastSquaresFit: Sendable, Equatable {
  /// Coefficients in the column order of `X`; NaN for aliased columns (as R's `NA`).
  public var coefficients: [Double]
  /// `y − X b`, computed as R's `qr.resid` (through Q, not by subtraction).
  public var residuals: [Double]
  /// `y − residuals`.
  public var fitted: [Double]
  /// Number of linearly independent columns kept.
  public var rank: Int
  /// Indices of columns dropped as (numerically) linear combinations of earlier columns.
  public var aliased: [Int]
  /// `(X'X)⁻¹ = R⁻¹R⁻ᵀ` over the kept columns (rank × rank, in kept-column order), as
  /// R's `chol2inv(qr.R(qr))`.
  public var unscaledCovariance: Matrix
  /// Indices of the kept columns, in order.
  public var kept: [Int]
}

/// LAPACK-backed dense routines. Every LAPACK `info` code maps to a ``StatsError``.
public enum LinearAlgebra {
  /// LAPACKE and CBLAS, opened on the first call (``BLASLibrary``): one BLAS thread, so that
  /// results never depend on the machine (DESIGN.md §5).
  static let blas = BLASLibrary.load()

  /// For a process that renders (the `bordin` command), before any work and before any thread
  /// is started: makes OpenBLAS start with one thread when it is loaded.
  ///
  /// OpenBLAS starts one thread per core when it is loaded, and an idle worker spins on
  /// `sched_yield` for about 2²⁸ cycles before it sleeps. Bordin's matrices are small (the largest
  /// dense blocks are a few dozen rows), so those threads never help, and on a two-core machine a
  /// spinning worker takes a core from the render itself (perf: 28% of a benchmark report's
  /// samples in `sched_yield`). OpenBLAS reads `OPENBLAS_NUM_THREADS` when it is loaded, which
  /// is on the first matrix routine (``BLASLibrary``), so setting it here means no worker is ever
  /// started. A value the user has set is kept (the library is then still told to use one thread).
  /// `setenv` is not safe while other threads read the environment, hence "before any thread".
  public static func releaseBLASThreads() {
    setenv("OPENBLAS_NUM_THREADS", "1", 0)
  }

  /// The BLAS that computes Bordin's numbers, for provenance: ("OpenBLAS 0.3.21", "Haswell") from
  /// `openblas_get_config` and `openblas_get_corename`, "BLIS …", or "reference or other BLAS"
  /// with no kernel. Opens the BLAS library (not LAPACKE) if no routine has yet, so the answer
  /// never depends on whether a report happened to multiply a matrix before it was asked.
  public static func blasIdentity() -> (name: String, kernel: String) {
    let handle = BLASLibrary.blasHandle
    typealias GetString = @convention(c) () -> UnsafePointer<CChar>?
    func call(_ symbol: String) -> String? {
      guard let f = dlsym(handle, symbol), let c = unsafeBitCast(f, to: GetString.self)() else { return nil }
      return String(cString: c)
    }
    var name = "unknown BLAS"
    if let config = call("openblas_get_config") {
      // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64": name and version.
      name = config.split(separator: " ").prefix(2).joined(separator: " ")
    } else if let version = call("bli_info_get_version_str") {
      name = "BLIS " + version
    } else if dlsym(handle, "dgemm_") != nil || dlsym(handle, "cblas_dgemm") != nil {
      name = "reference or other BLAS"
    }
    return (name, call("openblas_get_corename") ?? "")
  }

  private typealias LInt = bordin_lapack_int

  private static func ch(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }

  private static func check(_ info: LInt, _ routine: String) throws {
    if info < 0 {
      throw StatsError(
        code: "lapack-argument",
        message: "\(routine) rejected argument \(-info) (internal error)",
        remedy: "Please report this as a bug.")
    }
  }

  /// Least squares by Householder QR with R's rank rule.
  ///
  /// A column whose component orthogonal to the earlier kept columns has a norm below
  /// `tolerance` × its own norm (or below `tolerance` when its norm is 0) is declared aliased and
  /// dropped, exactly as LINPACK dqrdc2 in R's `lm.fit` (`tol = 1e-7`) moves it to the end and
  /// reports `NA`. The kept columns are then factorised with dgeqrf and solved with dormqr and
  /// dtrtrs.
  ///
  /// ```
  /// X = QR,   b = R⁻¹ Q'y,   e = Q (0, (Q'y)[p+1…n]),   (X'X)⁻¹ = R⁻¹ R⁻ᵀ
  /// ```
  /// - Parameters:
  ///   - x: the n × p design matrix.
  ///   - y: the n responses.
  ///   - tolerance: the relative tolerance of the rank rule (R: 1e-7).
  /// - Returns: coefficients, residuals, fitted values, rank, aliased columns, (X'X)⁻¹.
  /// - Throws: `StatsError` `too-few-rows` when n < p, `non-finite` for NaN/∞ input.
  public static func leastSquares(_ x: Matrix, _ y: [Double], tolerance: Double = 1e-7) throws
    -> LeastSquaresFit
  {
    precondition(y.count == x.rows, "y has \(y.count) values for \(x.rows) rows")
    let n = x.rows
    if n < x.cols { throw StatsError.tooFewRows("least squares", have: n, need: x.cols) }
    guard x.values.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else {
      throw StatsError(
        code: "non-finite", message: "the design matrix or response has NaN or infinite values",
        remedy: "Remove missing values before fitting.")
    }
    var kept = Array(0..<x.cols)
    var aliased: [Int] = []
    // Drop aliased columns one at a time: only the first small pivot is trustworthy.
    while true {
      let sub = x.selectingColumns(kept)
      var a = sub.values
      var tau = [Double](repeating: 0, count: max(1, kept.count))
      if !kept.isEmpty {
        let info = blas.dgeqrf(
          Int32(LAPACK_COL_MAJOR), LInt(n), LInt(kept.count), &a, LInt(n), &tau)
        try check(info, "dgeqrf")
        // Huge finite values can overflow inside the factorisation; LAPACKE would then reject
        // the NaN matrix as a bad argument ("internal error"): say what happened instead.
        guard a.allSatisfy(\.isFinite), tau.allSatisfy(\.isFinite) else {
          throw StatsError(
            code: "overflow", message: "the design matrix has values too large for least squares (the QR factorisation overflowed)",
            remedy: "Rescale the variables (e.g. divide very large values by a power of ten).")
        }
      }
      var dropAt: Int? = nil
      for (k, j) in kept.enumerated() {
        let norm = euclideanNorm(x.column(j))
        let rkk = abs(a[k + k * n])
        if rkk < tolerance * (norm > 0 ? norm : 1) {
          dropAt = k
          break
        }
      }
      if let k = dropAt {
        aliased.append(kept.remove(at: k))
        continue
      }
      return try solveFactored(a: a, tau: tau, n: n, kept: kept, aliased: aliased, y: y, p: x.cols)
    }
  }

  private static func solveFactored(
    a: [Double], tau: [Double], n: Int, kept: [Int], aliased: [Int], y: [Double], p: Int
  ) throws -> LeastSquaresFit {
    var a = a
    let r = kept.count
    var qty = y
    if r > 0 {
      var info = blas.dormqr(
        Int32(LAPACK_COL_MAJOR), ch("L"), ch("T"), LInt(n), 1, LInt(r), &a, LInt(n),
        tau, &qty, LInt(n))
      try check(info, "dormqr")
      var b = Array(qty[0..<r])
      info = blas.dtrtrs(
        Int32(LAPACK_COL_MAJOR), ch("U"), ch("N"), ch("N"), LInt(r), 1, &a, LInt(n), &b, LInt(r))
      try check(info, "dtrtrs")
      if info > 0 {
        throw StatsError(
          code: "singular-design", message: "the triangular factor is exactly singular",
          remedy: "Remove collinear predictors.")
      }
      var effects = qty
      for i in 0..<r { effects[i] = 0 }
      info = blas.dormqr(
        Int32(LAPACK_COL_MAJOR), ch("L"), ch("N"), LInt(n), 1, LInt(r), &a, LInt(n),
        tau, &effects, LInt(n))
      try check(info, "dormqr")
      var rm = Matrix(rows: r, cols: r)
      for j in 0..<r { for i in 0...j { rm[i, j] = a[i + j * n] } }
      let cov = try inverseFromCholeskyFactor(rm)
      var coef = [Double](repeating: .nan, count: p)
      for (k, j) in kept.enumerated() { coef[j] = b[k] }
      let fitted = zip(y, effects).map { $0 - $1 }
      return LeastSquaresFit(
        coefficients: coef, residuals: effects, fitted: fitted, rank: r, aliased: aliased,
        unscaledCovariance: cov, kept: kept)
    }
    return LeastSquaresFit(
      coefficients: [Double](repeating: .nan, count: p), residuals: y,
      fitted: [Double](repeating: 0, count: n), rank: 0, aliased: aliased,
      unscaledCovariance: Matrix(rows: 0, cols: 0), kept: [])
  }

  /// Upper Cholesky factor U of a symmetric positive-definite matrix, `A = U'U` (dpotrf).
  ///
  /// Only the upper triangle of `a` is read.
  /// - Throws: `StatsError` `not-positive-definite` naming the failing leading minor.
  public static func cholesky(_ a: Matrix) throws -> Matrix {
    precondition(a.rows == a.cols, "Cholesky needs a square matrix")
    let n = a.rows
    if n == 0 { return a }
    var u = a.values
    let info = blas.dpotrf(Int32(LAPACK_COL_MAJOR), ch("U"), LInt(n), &u, LInt(n))
    try check(info, "dpotrf")
    if info > 0 { throw notPositiveDefinite(Int(info)) }
    var m = Matrix(rows: n, cols: n, values: u)
    for j in 0..<n { for i in (j + 1)..<n { m[i, j] = 0 } }
    return m
  }

  /// Inverse of a symmetric positive-definite matrix by Cholesky (dpotrf + dpotri), as R's
  /// `chol2inv(chol(A))`. Returns a fully symmetric matrix.
  /// - Throws: `StatsError` `not-positive-definite`.
  public static func inverseSPD(_ a: Matrix) throws -> Matrix {
    try inverseFromCholeskyFactor(try cholesky(a))
  }

  /// `(U'U)⁻¹` from an upper-triangular factor U (dpotri), as R's `chol2inv`.
  /// - Throws: `StatsError` `singular` when U has a zero diagonal element.
  public static func inverseFromCholeskyFactor(_ u: Matrix) throws -> Matrix {
    precondition(u.rows == u.cols)
    let n = u.rows
    if n == 0 { return u }
    var v = u.values
    let info = blas.dpotri(Int32(LAPACK_COL_MAJOR), ch("U"), LInt(n), &v, LInt(n))
    try check(info, "dpotri")
    if info > 0 {
      throw StatsError(
        code: "singular",
        message: "the matrix is singular (zero pivot at position \(info))",
        remedy: "Remove redundant variables.")
    }
    var m = Matrix(rows: n, cols: n, values: v)
    for j in 0..<n { for i in (j + 1)..<n { m[i, j] = m[j, i] } }
    return m
  }

  private static func notPositiveDefinite(_ minor: Int) -> StatsError {
    StatsError(
      code: "not-positive-definite",
      message: "the matrix is not positive definite (leading minor \(minor) fails)",
      remedy: "Check for constant or perfectly collinear variables.")
  }

  /// √(Σ xᵢ²), scaled to avoid overflow.
  static func euclideanNorm(_ x: [Double]) -> Double {
    let scale = x.reduce(0) { max($0, abs($1)) }
    if scale == 0 || !scale.isFinite { return scale }
    return scale * x.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
  }
}

// MARK: - Symmetric eigendecomposition (added for ML factor analysis in Omega.swift)
//
// R's `eigen(symmetric = TRUE)` calls LAPACK dsyevr; so does this. Eigenvalues are returned in
// decreasing order, as R returns them. Eigenvector signs are whatever LAPACK gives (callers that
// need a sign convention fix it themselves).

/// Eigenvalues (decreasing) and eigenvectors (columns, same order) of a symmetric matrix.
public struct SymmetricEigen: Sendable, Equatable {
  public var values: [Double]
  /// Column k is the unit eigenvector of `values[k]`.
  public var vectors: Matrix
}

extension LinearAlgebra {
  /// Eigendecomposition of a symmetric matrix by dsyevr (all eigenvalues, with vectors), as R's
  /// `eigen(a, symmetric = TRUE)`. Only the upper triangle of `a` is read.
  ///
  /// ```
  /// A = V diag(λ) V',  λ₁ ≥ λ₂ ≥ … ≥ λₙ,  V'V = I
  /// ```
  /// - Throws: `StatsError` `non-finite` for NaN/∞ input, `eigen-failed` when LAPACK does not
  ///   converge.
  public static func symmetricEigen(_ a: Matrix) throws -> SymmetricEigen {
    precondition(a.rows == a.cols, "an eigendecomposition needs a square matrix")
    let n = a.rows
    if n == 0 { return SymmetricEigen(values: [], vectors: a) }
    guard a.values.allSatisfy(\.isFinite) else {
      throw StatsError(
        code: "non-finite", message: "the matrix has NaN or infinite values",
        remedy: "Remove missing values first.")
    }
    var work = a.values
    var found: LInt = 0
    var w = [Double](repeating: 0, count: n)
    var z = [Double](repeating: 0, count: n * n)
    var support = [LInt](repeating: 0, count: 2 * n)
    let info = blas.dsyevr(
      Int32(LAPACK_COL_MAJOR), ch("V"), ch("A"), ch("U"), LInt(n), &work, LInt(n), 0, 0, 0, 0,
      0, &found, &w, &z, LInt(n), &support)
    try check(info, "dsyevr")
    if info > 0 || Int(found) != n {
      throw StatsError(
        code: "eigen-failed", message: "the symmetric eigensolver did not converge (dsyevr info \(info))",
        remedy: "Check the matrix for extreme values.")
    }
    // dsyevr gives increasing order; R's eigen reverses it.
    var vectors = Matrix(rows: n, cols: n)
    for k in 0..<n {
      let src = n - 1 - k
      for i in 0..<n { vectors[i, k] = z[i + src * n] }
    }
    return SymmetricEigen(values: w.reversed(), vectors: vectors)
  }
}

// MARK: - Mixed-model kernels (helper-lmm)
//
// BLAS/LAPACK kernels on raw column-major buffers for the blocked Cholesky of linear mixed
// models (BlockedCholesky.swift) and the symmetric eigendecomposition that lmerTest's
// Satterthwaite method uses (Satterthwaite.swift). Raw pointers because the mixed-model
// factorisation reuses preallocated buffers at every deviance evaluation.

extension LinearAlgebra {
  /// In-place lower Cholesky factor (dpotrf "L") of the n × n matrix at `a` (leading dimension
  /// `lda`); only the lower triangle is read and written. Returns LAPACK's `info` (0 = success,
  /// k > 0 = the leading minor of order k is not positive definite).
  static func choleskyLowerInPlace(_ a: UnsafeMutablePointer<Double>, n: Int, lda: Int) -> Int {
    if n == 0 { return 0 }
    // The _work entry point: LAPACKE_dpotrf first scans the whole triangle for NaNs
    // (LAPACKE_dtr_nancheck, 3% of an InstEval fit); a NaN here gives info > 0 or a NaN
    // criterion, which the callers already treat as a failed factorisation.
    return Int(blas.dpotrf_work(Int32(LAPACK_COL_MAJOR), ch("L"), LInt(n), a, LInt(lda)))
  }

  /// B := B L⁻ᵀ (dtrsm: right side, lower, transposed, non-unit), B m × n, L n × n lower.
  static func solveRightLowerTransposed(
    _ l: UnsafePointer<Double>, n: Int, ldl: Int, _ b: UnsafeMutablePointer<Double>, m: Int,
    ldb: Int
  ) {
    if m == 0 || n == 0 { return }
    blas.dtrsm(
      CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit, Int32(m), Int32(n), 1.0, l,
      Int32(ldl), b, Int32(ldb))
  }

  /// C := C − A Aᵀ on the lower triangle (dsyrk), C n × n, A n × k.
  static func subtractRankKLower(
    _ c: UnsafeMutablePointer<Double>, n: Int, ldc: Int, _ a: UnsafePointer<Double>, k: Int,
    lda: Int
  ) {
    if n == 0 || k == 0 { return }
    blas.dsyrk(
      CblasColMajor, CblasLower, CblasNoTrans, Int32(n), Int32(k), -1.0, a, Int32(lda), 1.0, c,
      Int32(ldc))
  }

  /// C := C + α·op(A)·op(B) (dgemm), column-major; op(A) is m × k, op(B) k × n, C m × n.
  static func addProduct(
    _ c: UnsafeMutablePointer<Double>, m: Int, n: Int, k: Int, alpha: Double,
    _ a: UnsafePointer<Double>, lda: Int, transposeA: Bool, _ b: UnsafePointer<Double>, ldb: Int,
    transposeB: Bool, ldc: Int
  ) {
    if m == 0 || n == 0 || k == 0 { return }
    blas.dgemm(
      CblasColMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), 1.0, c, Int32(ldc))
  }

  /// C := C − A Bᵀ (dgemm), C m × n, A m × k, B n × k.
  static func subtractProductTransposed(
    _ c: UnsafeMutablePointer<Double>, m: Int, n: Int, ldc: Int, _ a: UnsafePointer<Double>,
    lda: Int, _ b: UnsafePointer<Double>, ldb: Int, k: Int
  ) {
    if m == 0 || n == 0 || k == 0 { return }
    blas.dgemm(
      CblasColMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), -1.0, a, Int32(lda),
      b, Int32(ldb), 1.0, c, Int32(ldc))
  }

  /// y := y − Aᵀ x (dgemv), A m × n, x of length m, y of length n.
  static func subtractTransposedProduct(
    _ y: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, m: Int, n: Int, lda: Int,
    _ x: UnsafePointer<Double>
  ) {
    if m == 0 || n == 0 { return }
    blas.dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(n), -1.0, a, Int32(lda), x, 1, 1.0, y, 1)
  }

  /// x := L⁻ᵀ x (dtrsv: lower, transposed, non-unit), L n × n.
  static func solveLowerTransposed(
    _ l: UnsafePointer<Double>, n: Int, ldl: Int, _ x: UnsafeMutablePointer<Double>
  ) {
    if n == 0 { return }
    blas.dtrsv(CblasColMajor, CblasLower, CblasTrans, CblasNonUnit, Int32(n), l, Int32(ldl), x, 1)
  }

}

// MARK: - Structural equation models (helper-sem): general inverse

extension LinearAlgebra {
  /// Inverse of a general square matrix by LU decomposition with partial pivoting (dgetrf +
  /// dgetri), as R's `solve(A)`.
  /// - Throws: `StatsError` `singular` when a pivot is exactly zero.
  public static func inverse(_ a: Matrix) throws -> Matrix {
    precondition(a.rows == a.cols, "only square matrices have inverses")
    let n = a.rows
    if n == 0 { return a }
    var v = a.values
    var ipiv = [LInt](repeating: 0, count: n)
    var info = blas.dgetrf(Int32(LAPACK_COL_MAJOR), LInt(n), LInt(n), &v, LInt(n), &ipiv)
    try check(info, "dgetrf")
    if info > 0 {
      throw StatsError(
        code: "singular", message: "the matrix is singular (zero pivot at position \(info))",
        remedy: "Remove redundant variables or paths.")
    }
    info = blas.dgetri(Int32(LAPACK_COL_MAJOR), LInt(n), &v, LInt(n), ipiv)
    try check(info, "dgetri")
    return Matrix(rows: n, cols: n, values: v)
  }
}

// MARK: - Loading the libraries

/// LAPACKE and CBLAS routines, looked up at run time.
///
/// Bordin does not link OpenBLAS or LAPACKE: loading them (and OpenBLAS's thread pool) took about
/// 8 ms of every process's start-up (a C program linked with them: 10.5 ms, without: 2.4 ms,
/// `perf stat -r 41`), and most commands never multiply a matrix. The first routine called opens
/// OpenBLAS, then LAPACKE (`RTLD_GLOBAL`, so LAPACKE's LAPACK finds the BLAS; `RTLD_LAZY`, as
/// a linked library is bound: binding all of LAPACK's symbols up front cost 3 ms), and looks up each
/// routine once; the pointer types come from the headers' declarations (`CLapacke/shim.h`).
/// Missing libraries stop the process with the install command: nothing can be computed without
/// them, and the binary used to refuse to start in the same case.
struct BLASLibrary: @unchecked Sendable {
  let dgeqrf: bordin_dgeqrf_fn
  let dormqr: bordin_dormqr_fn
  let dtrtrs: bordin_dtrtrs_fn
  let dpotrf: bordin_dpotrf_fn
  let dpotri: bordin_dpotri_fn
  let dsyevr: bordin_dsyevr_fn
  let dpotrf_work: bordin_dpotrf_work_fn
  let dgetrf: bordin_dgetrf_fn
  let dgetri: bordin_dgetri_fn
  let dtrsm: bordin_dtrsm_fn
  let dsyrk: bordin_dsyrk_fn
  let dgemm: bordin_dgemm_fn
  let dgemv: bordin_dgemv_fn
  let dtrsv: bordin_dtrsv_fn

  /// Library file names tried in order (Debian's sonames first).
  static let blasNames = ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3", "libblas.so.3"]
  static let lapackeNames = ["liblapacke.so.3", "liblapacke.so"]

  /// The BLAS library alone (what ``LinearAlgebra/blasIdentity()`` asks), opened once.
  nonisolated(unsafe) static let blasHandle: UnsafeMutableRawPointer = open(blasNames)

  static func load() -> BLASLibrary {
    let blas = blasHandle
    let lapacke = open(lapackeNames)
    func sym<F>(_ handle: UnsafeMutableRawPointer, _ name: String, _: F.Type) -> F {
      guard let p = dlsym(handle, name) else {
        fatalError("bordin: \(name) is missing from the BLAS/LAPACKE libraries; install OpenBLAS and LAPACKE (Debian: apt-get install libopenblas0 liblapacke)")
      }
      return unsafeBitCast(p, to: F.self)
    }
    if let p = dlsym(blas, "openblas_set_num_threads") {
      unsafeBitCast(p, to: bordin_set_num_threads_fn.self)(1)
    }
    return BLASLibrary(
      dgeqrf: sym(lapacke, "LAPACKE_dgeqrf", bordin_dgeqrf_fn.self),
      dormqr: sym(lapacke, "LAPACKE_dormqr", bordin_dormqr_fn.self),
      dtrtrs: sym(lapacke, "LAPACKE_dtrtrs", bordin_dtrtrs_fn.self),
      dpotrf: sym(lapacke, "LAPACKE_dpotrf", bordin_dpotrf_fn.self),
      dpotri: sym(lapacke, "LAPACKE_dpotri", bordin_dpotri_fn.self),
      dsyevr: sym(lapacke, "LAPACKE_dsyevr", bordin_dsyevr_fn.self),
      dpotrf_work: sym(lapacke, "LAPACKE_dpotrf_work", bordin_dpotrf_work_fn.self),
      dgetrf: sym(lapacke, "LAPACKE_dgetrf", bordin_dgetrf_fn.self),
      dgetri: sym(lapacke, "LAPACKE_dgetri", bordin_dgetri_fn.self),
      dtrsm: sym(blas, "cblas_dtrsm", bordin_dtrsm_fn.self),
      dsyrk: sym(blas, "cblas_dsyrk", bordin_dsyrk_fn.self),
      dgemm: sym(blas, "cblas_dgemm", bordin_dgemm_fn.self),
      dgemv: sym(blas, "cblas_dgemv", bordin_dgemv_fn.self),
      dtrsv: sym(blas, "cblas_dtrsv", bordin_dtrsv_fn.self))
  }

  private static func open(_ names: [String]) -> UnsafeMutableRawPointer {
    for name in names {
      if let h = dlopen(name, RTLD_LAZY | RTLD_GLOBAL) { return h }
    }
    let why = dlerror().map { String(cString: $0) } ?? "not found"
    fatalError("bordin: cannot load \(names[0]) (\(why)); install OpenBLAS and LAPACKE (Debian: apt-get install libopenblas0 liblapacke)")
  }
}
