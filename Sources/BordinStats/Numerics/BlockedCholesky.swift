import Foundation

// The blocked Cholesky factorisation behind the profiled deviance of a linear mixed model.
//
// Implementation goals, in priority order: (1) speed through structure, never dense n × n
// algebra: the cross-products of [Z X y] are accumulated once, and each θ evaluation scales them
// by Λθ, adds I and factors them block by block, exploiting that the diagonal block of every
// grouping factor is block diagonal (one q × q block per level), that cross-products between
// grouping factors are sparse, and that for nested factors (patients within therapists) the
// Schur complement onto the coarser factor stays block diagonal; (2) the numbers of lme4's
// sparse Cholesky to rounding error; (3) no allocation per evaluation: every buffer is
// preallocated and reused.
//
// The system is the lower Cholesky factor of
//
// ```
//   [ ΛᵀZᵀZΛ + I   ΛᵀZᵀ[X y] ]   =  L Lᵀ,   L = [ L_ZZ   0    ]
//   [ [X y]ᵀZΛ     [X y]ᵀ[X y] ]                [ L_XZ   L_XX ]
// ```
//
// whose last block L_XX = [R_Xᵀ 0; cᵀ r] holds R_X (lme4's `RX`) and r = √(penalised RSS), so
// that the deviance needs neither β nor u (Bates et al. 2015, eq. 18; MixedModels.jl's `Xymat`).
// Random-effects terms are ordered by decreasing number of levels. The first term's diagonal
// block is factored level by level; a later term stays block diagonal when every earlier term is
// nested in it, and becomes one dense block otherwise (crossed factors), as in MixedModels.jl.
//
// Reference: Bates, Mächler, Bolker & Walker (2015), J. Stat. Softw. 67(1), §3; Bates, Alday &
// Kokandakar (2025), Mixed-model log-likelihood evaluation via a blocked Cholesky
// factorization, arXiv:2505.11674; MixedModels.jl `src/linalg/cholUnblocked.jl`, `rankUpdate.jl`.

/// A zero-initialised buffer of doubles with a stable address (for the hot loops).
final class DoubleBuffer {
  let p: UnsafeMutablePointer<Double>
  let count: Int

  init(_ count: Int) {
    self.count = count
    p = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
    p.initialize(repeating: 0, count: max(count, 1))
  }

  deinit { p.deallocate() }

  func zero() { p.update(repeating: 0, count: max(count, 1)) }

  var array: [Double] { Array(UnsafeBufferPointer(start: p, count: count)) }
}

/// Sparse block pattern of a cross-product block (term i rows, term j columns): for each level
/// c of term j, the levels of term i that occur with it, sorted. Pointer-backed so that the
/// per-level loops touch no reference counts.
final class BlockPattern {
  let columns: Int
  let entries: Int
  /// Entry range of column c: `colStart[c] ..< colStart[c + 1]`.
  let colStart: UnsafeMutablePointer<Int>
  /// Row level of each entry.
  let rowLevel: UnsafeMutablePointer<Int32>
  /// Every column has exactly one entry (term j is nested in term i).
  let nested: Bool
  let maxPerColumn: Int

  init(colStart: [Int], rowLevel: [Int32], nested: Bool, maxPerColumn: Int) {
    columns = colStart.count - 1
    entries = rowLevel.count
    self.colStart = UnsafeMutablePointer<Int>.allocate(capacity: colStart.count)
    self.colStart.initialize(from: colStart, count: colStart.count)
    self.rowLevel = UnsafeMutablePointer<Int32>.allocate(capacity: max(rowLevel.count, 1))
    self.rowLevel.initialize(from: rowLevel, count: rowLevel.count)
    self.nested = nested
    self.maxPerColumn = maxPerColumn
  }

  deinit {
    colStart.deallocate()
    rowLevel.deallocate()
  }

  /// The entry index of row level `row` in column `column` (binary search).
  @inline(__always)
  func find(column: Int, row: Int32) -> Int {
    BlockPattern.find(colStart, rowLevel, column: column, row: row)
  }

  @inline(__always)
  static func find(
    _ colStart: UnsafeMutablePointer<Int>, _ rowLevel: UnsafeMutablePointer<Int32>, column: Int,
    row: Int32
  ) -> Int {
    var lo = colStart[column]
    var hi = colStart[column + 1] - 1
    while lo < hi {
      let mid = (lo + hi) >> 1
      if rowLevel[mid] < row { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}

/// The blocked Cholesky factor of the mixed-model system for one θ.
final class BlockedCholesky {
  /// Number of fixed-effect columns and m = p + 1 (the [X y] block).
  let p: Int
  let m: Int
  let n: Int
  let termCount: Int
  let q: [Int]
  let levels: [Int]
  /// levels × q per term.
  let size: [Int]
  /// Whether term t's diagonal block of L is stored dense (crossed structure) rather than
  /// block diagonal.
  let dense: [Bool]
  /// patterns[i][j] for i > j.
  let patterns: [[BlockPattern?]]

  // Cross-products of [Z X y] (unscaled), computed once.
  private let aDiag: [DoubleBuffer]
  private let aOff: [[DoubleBuffer?]]
  private let aXy: [DoubleBuffer]
  private let aXyXy: DoubleBuffer

  // The factor L (same block layout; dense blocks where `dense`).
  private let lDiag: [DoubleBuffer]
  private let lOff: [[DoubleBuffer?]]
  private let lXy: [DoubleBuffer]
  private let lXyXy: DoubleBuffer

  // Scratch.
  private let lambda: [DoubleBuffer]
  private let scratchB: [DoubleBuffer]
  private let scratchD: DoubleBuffer
  private let scratchW: DoubleBuffer
  private let scratchT: DoubleBuffer
  private let scratchXy: DoubleBuffer
  private let emptyPattern = BlockPattern(colStart: [0], rowLevel: [], nested: true, maxPerColumn: 0)
  /// Columns of [X y] entries gathered for one `dsyrk` update of the last block.
  private static let gramChunk = 512
  private let gram: DoubleBuffer
  /// The first term has q ≤ 2 and every later term is nested in it with a block-diagonal
  /// diagonal block: the common growth-model case, eliminated by `eliminateFirstNested`.
  private let nestedFastPath: Bool

  /// log det(L_ZZ)² (lme4 `ldL2`), log det(R_X)² (`ldRX2`) and r² (penalised RSS, `pwrss`) of
  /// the last factorisation.
  private(set) var ldL2 = 0.0
  private(set) var ldRX2 = 0.0
  private(set) var pwrss = 0.0
  /// Whether the last factorisation stored every block (needed for β, u and R_X⁻¹).
  private(set) var storedAll = false

  /// Accumulates [Z X y]ᵀ[Z X y] in blocks.
  /// - Parameters:
  ///   - terms: random-effects terms in model order.
  ///   - x: the n × p fixed-effects model matrix.
  ///   - y: the response.
  init(terms: [RandomEffectsTerm], x: Matrix, y: [Double]) {
    let n = y.count
    let p = x.cols
    let m = p + 1
    let k = terms.count
    self.n = n
    self.p = p
    self.m = m
    termCount = k
    q = terms.map(\.q)
    levels = terms.map(\.levelCount)
    size = terms.map { $0.q * $0.levelCount }

    // Patterns of the off-diagonal term blocks.
    var patterns = [[BlockPattern?]](repeating: [BlockPattern?](repeating: nil, count: k), count: k)
    for i in 0..<k {
      for j in 0..<i {
        patterns[i][j] = BlockCholeskyPatterns.make(
          rows: terms[i].factor.codes, rowLevels: terms[i].levelCount,
          cols: terms[j].factor.codes, colLevels: terms[j].levelCount)
      }
    }
    self.patterns = patterns
    var dense = [Bool](repeating: false, count: k)
    for t in 1..<max(k, 1) {
      dense[t] = dense[t - 1] || (0..<t).contains { !patterns[t][$0]!.nested }
    }
    self.dense = dense

    // A blocks.
    aDiag = (0..<k).map { DoubleBuffer(terms[$0].levelCount * terms[$0].q * terms[$0].q) }
    var aOff = [[DoubleBuffer?]](repeating: [DoubleBuffer?](repeating: nil, count: k), count: k)
    for i in 0..<k {
      for j in 0..<i {
        aOff[i][j] = DoubleBuffer(patterns[i][j]!.entries * terms[i].q * terms[j].q)
      }
    }
    self.aOff = aOff
    aXy = (0..<k).map { DoubleBuffer(m * terms[$0].levelCount * terms[$0].q) }
    aXyXy = DoubleBuffer(m * m)

    // L blocks.
    lDiag = (0..<k).map { t in
      dense[t]
        ? DoubleBuffer(terms[t].levelCount * terms[t].q * terms[t].levelCount * terms[t].q)
        : DoubleBuffer(terms[t].levelCount * terms[t].q * terms[t].q)
    }
    var lOff = [[DoubleBuffer?]](repeating: [DoubleBuffer?](repeating: nil, count: k), count: k)
    for i in 0..<k {
      for j in 0..<i {
        lOff[i][j] =
          dense[j]
          ? DoubleBuffer(terms[i].levelCount * terms[i].q * terms[j].levelCount * terms[j].q)
          : DoubleBuffer(patterns[i][j]!.entries * terms[i].q * terms[j].q)
      }
    }
    self.lOff = lOff
    lXy = (0..<k).map { DoubleBuffer(m * terms[$0].levelCount * terms[$0].q) }
    lXyXy = DoubleBuffer(m * m)

    lambda = terms.map { DoubleBuffer($0.q * $0.q) }
    let maxQ = terms.map(\.q).max() ?? 1
    scratchB = (0..<k).map { i in
      var most = 1
      for j in 0..<i { most = max(most, patterns[i][j]!.maxPerColumn * maxQ) }
      return DoubleBuffer(most * terms[i].q)
    }
    scratchD = DoubleBuffer(maxQ * maxQ)
    scratchW = DoubleBuffer(maxQ * maxQ)
    scratchT = DoubleBuffer(max(maxQ, m) * maxQ)
    scratchXy = DoubleBuffer(m * maxQ)
    gram = DoubleBuffer(m * BlockedCholesky.gramChunk)
    nestedFastPath =
      k > 0 && terms[0].q <= 2
      && (1..<k).allSatisfy { !dense[$0] && patterns[$0][0]!.nested }

    accumulate(terms: terms, x: x, y: y)
  }

  /// A second factor of the same system, for factoring another θ on another thread: the
  /// cross-products (read-only once accumulated) and patterns are shared, the factor and scratch
  /// buffers are its own. Each factorisation overwrites everything it reads, so either copy gives
  /// the same bits at a θ (`SatterthwaiteParallelTests`).
  init(sharingCrossProductsOf o: BlockedCholesky) {
    p = o.p
    m = o.m
    n = o.n
    termCount = o.termCount
    q = o.q
    levels = o.levels
    size = o.size
    dense = o.dense
    patterns = o.patterns
    aDiag = o.aDiag
    aOff = o.aOff
    aXy = o.aXy
    aXyXy = o.aXyXy
    lDiag = o.lDiag.map { DoubleBuffer($0.count) }
    lOff = o.lOff.map { row in row.map { $0.map { DoubleBuffer($0.count) } } }
    lXy = o.lXy.map { DoubleBuffer($0.count) }
    lXyXy = DoubleBuffer(o.lXyXy.count)
    lambda = o.lambda.map { DoubleBuffer($0.count) }
    scratchB = o.scratchB.map { DoubleBuffer($0.count) }
    scratchD = DoubleBuffer(o.scratchD.count)
    scratchW = DoubleBuffer(o.scratchW.count)
    scratchT = DoubleBuffer(o.scratchT.count)
    scratchXy = DoubleBuffer(o.scratchXy.count)
    gram = DoubleBuffer(o.gram.count)
    nestedFastPath = o.nestedFastPath
  }

  private func accumulate(terms: [RandomEffectsTerm], x: Matrix, y: [Double]) {
    let k = termCount
    var xy = [Double](repeating: 0, count: m)
    x.values.withUnsafeBufferPointer { xv in
      for t in 0..<k {
        let qt = q[t]
        let codes = terms[t].factor.codes
        terms[t].z.withUnsafeBufferPointer { z in
          let a = aDiag[t].p
          let ax = aXy[t].p
          for r in 0..<n {
            let l = Int(codes[r])
            let zr = z.baseAddress! + r * qt
            let blk = a + l * qt * qt
            for c in 0..<qt { for rr in 0..<qt { blk[rr + c * qt] += zr[rr] * zr[c] } }
            for c in 0..<p { xy[c] = xv[r + c * n] }
            xy[p] = y[r]
            let bx = ax + l * qt * m
            for c in 0..<qt {
              let zc = zr[c]
              if zc == 0 { continue }
              for rr in 0..<m { bx[rr + c * m] += xy[rr] * zc }
            }
          }
        }
        for j in 0..<t {
          let pat = patterns[t][j]!
          let qj = q[j]
          let cj = terms[j].factor.codes
          let block = aOff[t][j]!.p
          terms[t].z.withUnsafeBufferPointer { zt in
            terms[j].z.withUnsafeBufferPointer { zj in
              for r in 0..<n {
                let c = Int(cj[r])
                let e = pat.find(column: c, row: codes[r])
                let b = block + e * qt * qj
                let zi = zt.baseAddress! + r * qt
                let zc = zj.baseAddress! + r * qj
                for cc in 0..<qj { for rr in 0..<qt { b[rr + cc * qt] += zi[rr] * zc[cc] } }
              }
            }
          }
        }
      }
      let a = aXyXy.p
      for r in 0..<n {
        for c in 0..<p { xy[c] = xv[r + c * n] }
        xy[p] = y[r]
        for c in 0..<m { for rr in c..<m { a[rr + c * m] += xy[rr] * xy[c] } }
      }
    }
  }

  // MARK: factorisation

  /// Factors the system at θ. With `storeAll` false, the blocks of the first (largest) term's
  /// column are not written back (only the deviance is then available); with `storeAll` true
  /// every block is kept for ``fixedEffects()``, ``conditionalModes(beta:)`` and
  /// ``unscaledFixedCovariance()``.
  /// - Returns: false when a pivot is not positive (rank-deficient fixed effects or a perfect
  ///   fit); the deviance is then undefined.
  @discardableResult
  func factor(lambdas: [[Double]], storeAll: Bool) -> Bool {
    storedAll = false
    for t in 0..<termCount {
      for i in 0..<(q[t] * q[t]) { lambda[t].p[i] = lambdas[t][i] }
    }
    var logDet = LogAccumulator()
    initialise()
    for j in 0..<termCount {
      let ok: Bool
      if dense[j] {
        ok = eliminateDense(j, &logDet)
      } else if j == 0 && nestedFastPath {
        ok = eliminateFirstNested(store: storeAll, &logDet)
      } else {
        ok = eliminateBlockDiagonal(j, fused: j == 0, store: storeAll || j > 0, &logDet)
      }
      if !ok { return false }
    }
    // Last block: [R_Xᵀ 0; cᵀ r].
    let a = lXyXy.p
    guard SmallDense.choleskyLower(a, n: m, lda: m) else { return false }
    var rx = LogAccumulator()
    for i in 0..<p { rx.add(a[i + i * m]) }
    ldL2 = 2 * logDet.value
    ldRX2 = 2 * rx.value
    let r = a[p + p * m]
    pwrss = r * r
    storedAll = storeAll
    return true
  }

  /// Copies the scaled cross-products into L for every block column after the first (the first
  /// is scaled on the fly), and [X y]ᵀ[X y] into the last block.
  private func initialise() {
    for i in 0..<(m * m) { lXyXy.p[i] = aXyXy.p[i] }
    for j in 1..<max(termCount, 1) {
      let qj = q[j]
      let lamj = lambda[j].p
      let lj = levels[j]
      if dense[j] {
        let nj = size[j]
        let d = lDiag[j]
        d.zero()
        for c in 0..<lj {
          SmallDense.congruence(lamj, aDiag[j].p + c * qj * qj, q: qj, into: scratchD.p, scratch: scratchT.p)
          for b in 0..<qj {
            for a in 0..<qj {
              d.p[(c * qj + a) + (c * qj + b) * nj] = scratchD.p[a + b * qj] + (a == b ? 1 : 0)
            }
          }
        }
        for i in (j + 1)..<termCount {
          let qi = q[i]
          let ni = size[i]
          let pat = patterns[i][j]!
          let dst = lOff[i][j]!
          dst.zero()
          for c in 0..<lj {
            for e in pat.colStart[c]..<pat.colStart[c + 1] {
              let ri = Int(pat.rowLevel[e])
              SmallDense.scaleBoth(
                lambda[i].p, aOff[i][j]!.p + e * qi * qj, lamj, qi: qi, qj: qj, into: scratchW.p,
                scratch: scratchT.p)
              for b in 0..<qj {
                for a in 0..<qi { dst.p[(ri * qi + a) + (c * qj + b) * ni] = scratchW.p[a + b * qi] }
              }
            }
          }
        }
      } else {
        for c in 0..<lj {
          let dst = lDiag[j].p + c * qj * qj
          SmallDense.congruence(lamj, aDiag[j].p + c * qj * qj, q: qj, into: dst, scratch: scratchT.p)
          for a in 0..<qj { dst[a + a * qj] += 1 }
        }
        for i in (j + 1)..<termCount {
          let qi = q[i]
          let count = patterns[i][j]!.entries
          let src = aOff[i][j]!.p
          let dst = lOff[i][j]!.p
          for e in 0..<count {
            SmallDense.scaleBoth(
              lambda[i].p, src + e * qi * qj, lamj, qi: qi, qj: qj, into: dst + e * qi * qj,
              scratch: scratchT.p)
          }
        }
      }
      // [X y]ᵀ Z_j Λ_j, level by level (same layout for both regimes).
      let src = aXy[j].p
      let dst = lXy[j].p
      for c in 0..<lj {
        SmallDense.multiplyRight(src + c * qj * m, rows: m, lamj, q: qj, into: dst + c * qj * m)
      }
    }
  }

  /// Raw pointers of one term below the column being eliminated (no reference counting in the
  /// per-level loop).
  private struct Below {
    var q: Int
    var colStart: UnsafeMutablePointer<Int>
    var rowLevel: UnsafeMutablePointer<Int32>
    var a: UnsafeMutablePointer<Double>
    var l: UnsafeMutablePointer<Double>
    var b: UnsafeMutablePointer<Double>
    var lambda: UnsafeMutablePointer<Double>
    var dense: Bool
    var size: Int
    var diag: UnsafeMutablePointer<Double>
    var xy: UnsafeMutablePointer<Double>
  }

  /// Raw pointers of the block L[i][k] between two terms below the column.
  private struct Cross {
    var colStart: UnsafeMutablePointer<Int>
    var rowLevel: UnsafeMutablePointer<Int32>
    var l: UnsafeMutablePointer<Double>
  }

  /// Eliminates block column j whose diagonal block is block diagonal, one level at a time:
  /// factor the level's q × q block, solve the entries below it, and subtract their outer
  /// products from the trailing blocks. With `fused`, the entries are scaled from the
  /// cross-products here (first column); otherwise they were initialised and updated in L.
  ///
  /// Kept whole (over 120 lines, issue 17): this is the innermost loop of every criterion
  /// evaluation; the per-level factor, solve and trailing update share raw pointers and loop
  /// indices, and splitting them into functions would pass those through calls in the hot loop
  /// (and hinder the inlining and vectorisation the debug and release builds rely on).
  private func eliminateBlockDiagonal(
    _ j: Int, fused: Bool, store: Bool, _ logDet: inout LogAccumulator
  ) -> Bool {
    let qj = q[j]
    let qq = qj * qj
    let m = self.m
    let lamj = lambda[j].p
    let d = scratchD.p
    let w = scratchW.p
    let t = scratchT.p
    let bxy = scratchXy.p
    let aDiagJ = aDiag[j].p
    let lDiagJ = lDiag[j].p
    let aXyJ = aXy[j].p
    let lXyJ = lXy[j].p
    let xyxy = lXyXy.p
    let nb = termCount - j - 1
    var below: [Below] = []
    for i in (j + 1)..<termCount {
      let pat = patterns[i][j]!
      below.append(
        Below(
          q: q[i], colStart: pat.colStart, rowLevel: pat.rowLevel, a: aOff[i][j]!.p, l: lOff[i][j]!.p,
          b: scratchB[i].p, lambda: lambda[i].p, dense: dense[i], size: size[i], diag: lDiag[i].p,
          xy: lXy[i].p))
    }
    var cross: [Cross] = []
    for i in (j + 1)..<termCount {
      for k in (j + 1)..<termCount {
        if k < i {
          let pat = patterns[i][k]!
          cross.append(Cross(colStart: pat.colStart, rowLevel: pat.rowLevel, l: lOff[i][k]!.p))
        } else {
          cross.append(Cross(colStart: emptyPattern.colStart, rowLevel: emptyPattern.rowLevel, l: d))  // unused
        }
      }
    }
    return below.withUnsafeBufferPointer { below in
      cross.withUnsafeBufferPointer { cross in
        for c in 0..<levels[j] {
          // 1. The level's diagonal block.
          if fused {
            SmallDense.congruence(lamj, aDiagJ + c * qq, q: qj, into: d, scratch: t)
            for a in 0..<qj { d[a &* (qj &+ 1)] += 1 }
          } else {
            let src = lDiagJ + c * qq
            for a in 0..<qq { d[a] = src[a] }
          }
          guard SmallDense.choleskyLower(d, n: qj, lda: qj) else { return false }
          for a in 0..<qj { logDet.add(d[a &* (qj &+ 1)]) }
          if store {
            let dst = lDiagJ + c * qq
            for a in 0..<qq { dst[a] = d[a] }
          }
          if fused {
            // W = λ_j D⁻ᵀ, so that A λ_j D⁻ᵀ = A W.
            for a in 0..<qq { w[a] = lamj[a] }
            SmallDense.solveRightLowerTransposed(w, rows: qj, d, q: qj)
          }

          // 2. Entries below the diagonal block: other terms, then [X y].
          for bi in 0..<nb {
            let t_i = below[bi]
            let qi = t_i.q
            let blk = qi &* qj
            let start = t_i.colStart[c]
            let end = t_i.colStart[c &+ 1]
            for e in start..<end {
              let b = t_i.b + (e &- start) &* blk
              if fused {
                // λ_iᵀ (A W)
                SmallDense.multiply(t_i.a + e &* blk, rows: qi, inner: qj, w, cols: qj, into: t)
                SmallDense.multiplyLeftTransposed(t_i.lambda, qi: qi, t, cols: qj, into: b)
              } else {
                let src = t_i.l + e &* blk
                for a in 0..<blk { b[a] = src[a] }
                SmallDense.solveRightLowerTransposed(b, rows: qi, d, q: qj)
              }
              if store {
                let dst = t_i.l + e &* blk
                for a in 0..<blk { dst[a] = b[a] }
              }
            }
          }
          if fused {
            SmallDense.multiply(aXyJ + c &* qj &* m, rows: m, inner: qj, w, cols: qj, into: bxy)
          } else {
            let src = lXyJ + c &* qj &* m
            for a in 0..<(m &* qj) { bxy[a] = src[a] }
            SmallDense.solveRightLowerTransposed(bxy, rows: m, d, q: qj)
          }
          if store {
            let dst = lXyJ + c &* qj &* m
            for a in 0..<(m &* qj) { dst[a] = bxy[a] }
          }

          // 3. Rank-qj updates of the trailing blocks.
          for bk in 0..<nb {
            let t_k = below[bk]
            let qk = t_k.q
            let ks = t_k.colStart[c]
            let ke = t_k.colStart[c &+ 1]
            let bkp = t_k.b
            let kblk = qk &* qj
            if t_k.dense && qk == 1 && qj == 1 {
              // Scalar levels (crossed random intercepts, InstEval's students × lecturers): the
              // rank-1 update b bᵀ of the dense block, column by column, without a call per
              // entry pair. Row levels are sorted within a column, so i1 ≥ i2 is the lower
              // triangle.
              let nk = t_k.size
              let rows = t_k.rowLevel + ks
              let count = ke &- ks
              for i2 in 0..<count {
                let v2 = bkp[i2]
                let column = t_k.diag + Int(rows[i2]) &* nk
                for i1 in i2..<count { column[Int(rows[i1])] -= bkp[i1] * v2 }
              }
            } else if t_k.dense {
              let nk = t_k.size
              for e1 in ks..<ke {
                let r1 = Int(t_k.rowLevel[e1])
                for e2 in ks..<ke {
                  let r2 = Int(t_k.rowLevel[e2])
                  if r2 > r1 { continue }
                  SmallDense.subtractProductTransposed(
                    t_k.diag + (r1 &* qk &+ r2 &* qk &* nk), ldc: nk, bkp + (e1 &- ks) &* kblk, rows: qk,
                    bkp + (e2 &- ks) &* kblk, cols: qk, inner: qj)
                }
              }
            } else {
              let r = Int(t_k.rowLevel[ks])
              SmallDense.subtractProductTransposed(
                t_k.diag + r &* qk &* qk, ldc: qk, bkp, rows: qk, bkp, cols: qk, inner: qj)
            }
            for bi in (bk + 1)..<nb {
              let t_i = below[bi]
              let qi = t_i.q
              let iblk = qi &* qj
              let ist = t_i.colStart[c]
              let iend = t_i.colStart[c &+ 1]
              let x = cross[bi &* nb &+ bk]
              for e in ist..<iend {
                let ri = t_i.rowLevel[e]
                let b1 = t_i.b + (e &- ist) &* iblk
                if t_k.dense && qi == 1 && qk == 1 && qj == 1 {
                  let ni = t_i.size
                  let v1 = b1[0]
                  let rowp = x.l + Int(ri)
                  for e2 in ks..<ke { rowp[Int(t_k.rowLevel[e2]) &* ni] -= v1 * bkp[e2 &- ks] }
                } else if t_k.dense {
                  let ni = t_i.size
                  for e2 in ks..<ke {
                    let rk = Int(t_k.rowLevel[e2])
                    SmallDense.subtractProductTransposed(
                      x.l + (Int(ri) &* qi &+ rk &* qk &* ni), ldc: ni, b1, rows: qi,
                      bkp + (e2 &- ks) &* kblk, cols: qk, inner: qj)
                  }
                } else {
                  let rk = Int(t_k.rowLevel[ks])
                  let pos = BlockPattern.find(x.colStart, x.rowLevel, column: rk, row: ri)
                  SmallDense.subtractProductTransposed(
                    x.l + pos &* qi &* qk, ldc: qi, b1, rows: qi, bkp, cols: qk, inner: qj)
                }
              }
            }
            if qk == 1 && qj == 1 {
              for e in ks..<ke {
                let xk = t_k.xy + Int(t_k.rowLevel[e]) &* m
                let v = bkp[e &- ks]
                for r in 0..<m { xk[r] -= bxy[r] * v }
              }
            } else {
              for e in ks..<ke {
                let rk = Int(t_k.rowLevel[e])
                SmallDense.subtractProductTransposed(
                  t_k.xy + rk &* qk &* m, ldc: m, bxy, rows: m, bkp + (e &- ks) &* kblk, cols: qk,
                  inner: qj)
              }
            }
          }
          SmallDense.subtractGramLower(xyxy, n: m, bxy, inner: qj)
        }
        return true
      }
    }
  }

  /// `eliminateBlockDiagonal(0, fused: true, …)` written out for the common case: the first term
  /// has one or two columns (random intercept, or intercept and slope) and every later term is
  /// nested in it with a block-diagonal block (patients in therapists in clinics). Same
  /// arithmetic, but with the 2 × 2 algebra in registers and the [X y] Gram update gathered into
  /// chunks of `gramChunk` columns, stored row by row so that each entry of the update is one
  /// contiguous (vectorised) dot product.
  ///
  /// Kept whole (over 120 lines, issue 17): it is the hand-specialised fast path of the hot loop
  /// above, with the 2 × 2 algebra held in local registers across the whole level loop; split
  /// into functions, those locals and pointers would cross call boundaries on every level.
  private func eliminateFirstNested(store: Bool, _ logDet: inout LogAccumulator) -> Bool {
    let qj = q[0]
    let m = self.m
    let lam = lambda[0].p
    let l0 = lam[0]
    let l1 = qj == 2 ? lam[1] : 0
    let l3 = qj == 2 ? lam[3] : 0
    let aDiag0 = aDiag[0].p
    let lDiag0 = lDiag[0].p
    let aXy0 = aXy[0].p
    let lXy0 = lXy[0].p
    let xyxy = lXyXy.p
    let g = gram.p
    let chunk = BlockedCholesky.gramChunk
    var filled = 0
    let nb = termCount - 1
    // Per later term: its parent level of each level of term 0, scaled cross-products, L blocks.
    var parents: [UnsafeMutablePointer<Int32>] = []
    var aOffs: [UnsafeMutablePointer<Double>] = []
    var lOffs: [UnsafeMutablePointer<Double>] = []
    var diags: [UnsafeMutablePointer<Double>] = []
    var xys: [UnsafeMutablePointer<Double>] = []
    var lams: [UnsafeMutablePointer<Double>] = []
    var qs: [Int] = []
    var bs: [UnsafeMutablePointer<Double>] = []
    for i in 1..<termCount {
      parents.append(patterns[i][0]!.rowLevel)
      aOffs.append(aOff[i][0]!.p)
      lOffs.append(lOff[i][0]!.p)
      diags.append(lDiag[i].p)
      xys.append(lXy[i].p)
      lams.append(lambda[i].p)
      qs.append(q[i])
      bs.append(scratchB[i].p)
    }
    var crossPos: [UnsafeMutablePointer<Double>] = []  // L[i][k] for 1 ≤ k < i, flattened (i−1)·nb + (k−1)
    var crossPatterns: [BlockPattern] = []
    for i in 1..<termCount {
      for k in 1..<termCount {
        if k < i {
          crossPos.append(lOff[i][k]!.p)
          crossPatterns.append(patterns[i][k]!)
        } else {
          crossPos.append(scratchD.p)
          crossPatterns.append(emptyPattern)
        }
      }
    }
    let crossStarts = crossPatterns.map(\.colStart)
    let crossRows = crossPatterns.map(\.rowLevel)
    // Levels in blocks of `levelBlock`: first the 2 × 2 factors and W of the whole block, whose
    // sqrt/divide chains are independent from level to level and overlap in the pipeline, then
    // the updates. Same arithmetic in the same order as one pass; 25% faster on the million-row
    // growth model, whose time this chain dominated (issue 24).
    let levelBlock = 64
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 &* levelBlock) { wbuf -> Bool in
      let wb = wbuf.baseAddress!
      var start = 0
      while start < levels[0] {
        let end = min(start &+ levelBlock, levels[0])
        for c in start..<end {
          // D = λᵀAλ + I, its Cholesky factor (d0, d1; d2) and W = λ D⁻ᵀ.
          var w00 = 0.0, w01 = 0.0, w10 = 0.0, w11 = 0.0
          if qj == 2 {
            let a = aDiag0 + c &* 4
            let t00 = a[0] * l0 + a[2] * l1
            let t10 = a[1] * l0 + a[3] * l1
            let t11 = a[3] * l3
            let dd00 = l0 * t00 + l1 * t10 + 1
            let dd10 = l3 * t10
            let dd11 = l3 * t11 + 1
            guard dd00 > 0 else { return false }
            let d0 = dd00.squareRoot()
            let inv0 = 1 / d0
            let d1 = dd10 * inv0
            let s = dd11 - d1 * d1
            guard s > 0 else { return false }
            let d2 = s.squareRoot()
            let inv2 = 1 / d2
            logDet.add(d0)
            logDet.add(d2)
            if store {
              let dst = lDiag0 + c &* 4
              dst[0] = d0
              dst[1] = d1
              dst[2] = 0
              dst[3] = d2
            }
            w00 = l0 * inv0
            w01 = -w00 * d1 * inv2
            w10 = l1 * inv0
            w11 = (l3 - w10 * d1) * inv2
          } else {
            let dd = l0 * aDiag0[c] * l0 + 1
            guard dd > 0 else { return false }
            let d0 = dd.squareRoot()
            logDet.add(d0)
            if store { lDiag0[c] = d0 }
            w00 = l0 / d0
          }
          let wc = wb + (c &- start) &* 4
          wc[0] = w00
          wc[1] = w01
          wc[2] = w10
          wc[3] = w11
        }
        for c in start..<end {
          let wc = wb + (c &- start) &* 4
          let w00 = wc[0], w01 = wc[1], w10 = wc[2], w11 = wc[3]
          // Entries of the later terms (one per term: the parent level).
          for bi in 0..<nb {
            let qi = qs[bi]
            let src = aOffs[bi] + c &* qi &* qj
            let b = bs[bi]
            let li = lams[bi]
            if qi == 1 {
              let s0 = li[0]
              if qj == 2 {
                b[0] = s0 * (src[0] * w00 + src[1] * w10)
                b[1] = s0 * (src[0] * w01 + src[1] * w11)
              } else {
                b[0] = s0 * src[0] * w00
              }
            } else {
              // (A W) then λ_iᵀ ·
              let t = scratchT.p
              for r in 0..<qi {
                if qj == 2 {
                  let x0 = src[r]
                  let x1 = src[r &+ qi]
                  t[r] = x0 * w00 + x1 * w10
                  t[r &+ qi] = x0 * w01 + x1 * w11
                } else {
                  t[r] = src[r] * w00
                }
              }
              SmallDense.multiplyLeftTransposed(li, qi: qi, t, cols: qj, into: b)
            }
            if store {
              let dst = lOffs[bi] + c &* qi &* qj
              for a in 0..<(qi &* qj) { dst[a] = b[a] }
            }
          }
          // [X y] entries (m × qj, column-major in g0), then gathered for the Gram update.
          let ax = aXy0 + c &* qj &* m
          let g0 = scratchXy.p
          if qj == 2 {
            let g1 = g0 + m
            for r in 0..<m {
              let x0 = ax[r]
              let x1 = ax[r &+ m]
              let v0 = x0 * w00 + x1 * w10
              let v1 = x0 * w01 + x1 * w11
              g0[r] = v0
              g1[r] = v1
              g[r &* chunk &+ filled] = v0
              g[r &* chunk &+ filled &+ 1] = v1
            }
          } else {
            for r in 0..<m {
              let v = ax[r] * w00
              g0[r] = v
              g[r &* chunk &+ filled] = v
            }
          }
          if store {
            let dst = lXy0 + c &* qj &* m
            for a in 0..<(m &* qj) { dst[a] = g0[a] }
          }
          // Updates of the later terms' blocks.
          for bk in 0..<nb {
            let qk = qs[bk]
            let rk = Int(parents[bk][c])
            let b = bs[bk]
            if qk == 1 {
              let b0 = b[0]
              if qj == 2 {
                let b1 = b[1]
                diags[bk][rk] -= b0 * b0 + b1 * b1
                let xk = xys[bk] + rk &* m
                let g1 = g0 + m
                for r in 0..<m { xk[r] -= g0[r] * b0 + g1[r] * b1 }
              } else {
                diags[bk][rk] -= b0 * b0
                let xk = xys[bk] + rk &* m
                for r in 0..<m { xk[r] -= g0[r] * b0 }
              }
            } else {
              SmallDense.subtractProductTransposed(
                diags[bk] + rk &* qk &* qk, ldc: qk, b, rows: qk, b, cols: qk, inner: qj)
              SmallDense.subtractProductTransposed(
                xys[bk] + rk &* qk &* m, ldc: m, g0, rows: m, b, cols: qk, inner: qj)
            }
            for bi in (bk &+ 1)..<nb {
              let qi = qs[bi]
              let ri = parents[bi][c]
              let x = bi &* nb &+ bk
              let pos = BlockPattern.find(crossStarts[x], crossRows[x], column: rk, row: ri)
              SmallDense.subtractProductTransposed(
                crossPos[x] + pos &* qi &* qk, ldc: qi, bs[bi], rows: qi, b, cols: qk, inner: qj)
            }
          }
          filled &+= qj
          if filled &+ 2 > chunk {
            BlockedCholesky.subtractGramRows(xyxy, m: m, g, stride: chunk, count: filled)
            filled = 0
          }
        }
        start = end
      }
      if filled > 0 { BlockedCholesky.subtractGramRows(xyxy, m: m, g, stride: chunk, count: filled) }
      return true
    }
  }

  /// Lower triangle of C (m × m) −= G Gᵀ, G m × count stored row by row with `stride`.
  private static func subtractGramRows(
    _ c: UnsafeMutablePointer<Double>, m: Int, _ g: UnsafePointer<Double>, stride: Int, count: Int
  ) {
    for j in 0..<m {
      let gj = g + j &* stride
      for i in j..<m {
        let gi = g + i &* stride
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        while k &+ 4 <= count {
          s0 += gi[k] * gj[k]
          s1 += gi[k &+ 1] * gj[k &+ 1]
          s2 += gi[k &+ 2] * gj[k &+ 2]
          s3 += gi[k &+ 3] * gj[k &+ 3]
          k &+= 4
        }
        while k < count {
          s0 += gi[k] * gj[k]
          k &+= 1
        }
        c[i &+ j &* m] -= (s0 + s1) + (s2 + s3)
      }
    }
  }

  /// Eliminates block column j stored dense (crossed factors) with LAPACK/BLAS.
  private func eliminateDense(_ j: Int, _ logDet: inout LogAccumulator) -> Bool {
    let nj = size[j]
    let ljj = lDiag[j].p
    if LinearAlgebra.choleskyLowerInPlace(ljj, n: nj, lda: nj) != 0 { return false }
    for a in 0..<nj { logDet.add(ljj[a + a * nj]) }
    for i in (j + 1)..<termCount {
      LinearAlgebra.solveRightLowerTransposed(ljj, n: nj, ldl: nj, lOff[i][j]!.p, m: size[i], ldb: size[i])
    }
    LinearAlgebra.solveRightLowerTransposed(ljj, n: nj, ldl: nj, lXy[j].p, m: m, ldb: m)
    for k in (j + 1)..<termCount {
      let nk = size[k]
      let lkj = lOff[k][j]!.p
      LinearAlgebra.subtractRankKLower(lDiag[k].p, n: nk, ldc: nk, lkj, k: nj, lda: nk)
      for i in (k + 1)..<termCount {
        LinearAlgebra.subtractProductTransposed(
          lOff[i][k]!.p, m: size[i], n: nk, ldc: size[i], lOff[i][j]!.p, lda: size[i], lkj, ldb: nk,
          k: nj)
      }
      LinearAlgebra.subtractProductTransposed(
        lXy[k].p, m: m, n: nk, ldc: m, lXy[j].p, lda: m, lkj, ldb: nk, k: nj)
    }
    LinearAlgebra.subtractRankKLower(lXyXy.p, n: m, ldc: m, lXy[j].p, k: nj, lda: m)
    return true
  }

  // MARK: solutions (after `factor(…, storeAll: true)`)

  /// β̂(θ) = R_X⁻¹ c, from the last block.
  func fixedEffects() -> [Double] {
    precondition(storedAll, "factor with storeAll first")
    let a = lXyXy.p
    var beta = (0..<p).map { a[p + $0 * m] }
    // Solve L_XXᵀ β = c (L_XX = R_Xᵀ lower).
    for i in stride(from: p - 1, through: 0, by: -1) {
      var s = beta[i]
      for k in (i + 1)..<max(p, i + 1) { s -= a[k + i * m] * beta[k] }
      beta[i] = s / a[i + i * m]
    }
    return beta
  }

  /// R_X (upper triangular, p × p) = L_XXᵀ.
  func rx() -> Matrix {
    let a = lXyXy.p
    var out = Matrix(rows: p, cols: p)
    for j in 0..<p { for i in 0...j { out[i, j] = a[j + i * m] } }
    return out
  }

  /// The spherical conditional modes u (per term, level-major: level c's q values at
  /// `u[t][c*q ..< (c+1)*q]`) for the given β: L_ZZᵀ u = c_Z − L_XZᵀ β.
  func conditionalModes(beta: [Double]) -> [[Double]] {
    precondition(storedAll, "factor with storeAll first")
    var u: [[Double]] = []
    for t in 0..<termCount {
      let nt = size[t]
      let a = lXy[t].p
      var v = [Double](repeating: 0, count: nt)
      for col in 0..<nt {
        var s = a[p + col * m]
        for r in 0..<p { s -= a[r + col * m] * beta[r] }
        v[col] = s
      }
      u.append(v)
    }
    for t in stride(from: termCount - 1, through: 0, by: -1) {
      let qt = q[t]
      var w = u[t]
      w.withUnsafeMutableBufferPointer { wp in
        let wb = wp.baseAddress!
        for i in (t + 1)..<max(termCount, t + 1) {
          let qi = q[i]
          u[i].withUnsafeBufferPointer { ui in
            if dense[t] {
              LinearAlgebra.subtractTransposedProduct(wb, lOff[i][t]!.p, m: size[i], n: size[t], lda: size[i], ui.baseAddress!)
            } else {
              let pat = patterns[i][t]!
              let l = lOff[i][t]!.p
              for c in 0..<levels[t] {
                for e in pat.colStart[c]..<pat.colStart[c + 1] {
                  let ri = Int(pat.rowLevel[e])
                  let b = l + e * qi * qt
                  // w_c −= Bᵀ u_ri
                  for cc in 0..<qt {
                    var s = 0.0
                    for rr in 0..<qi { s += b[rr + cc * qi] * ui[ri * qi + rr] }
                    wb[c * qt + cc] -= s
                  }
                }
              }
            }
          }
        }
        if dense[t] {
          LinearAlgebra.solveLowerTransposed(lDiag[t].p, n: size[t], ldl: size[t], wb)
        } else {
          for c in 0..<levels[t] {
            SmallDense.solveLowerTransposed(lDiag[t].p + c * qt * qt, q: qt, wb + c * qt)
          }
        }
      }
      u[t] = w
    }
    return u
  }
}

/// log(∏ dᵢ) accumulated as a product with occasional logarithms (one `log` per many pivots).
struct LogAccumulator {
  private var product = 1.0
  private var logSum = 0.0

  mutating func add(_ d: Double) {
    if d > 1e50 || d < 1e-50 {
      logSum += _log(d)
      return
    }
    product *= d
    if product > 1e200 || product < 1e-200 {
      logSum += _log(product)
      product = 1
    }
  }

  var value: Double { logSum + _log(product) }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }

enum BlockCholeskyPatterns {
  /// The pattern of the cross-product of two grouping factors.
  static func make(rows: [Int32], rowLevels: Int, cols: [Int32], colLevels: Int) -> BlockPattern {
    // Nested (each column level meets one row level): one entry per column.
    var parent = [Int32](repeating: -1, count: colLevels)
    var nested = true
    for r in 0..<rows.count {
      let c = Int(cols[r])
      if parent[c] < 0 {
        parent[c] = rows[r]
      } else if parent[c] != rows[r] {
        nested = false
        break
      }
    }
    if nested {
      return BlockPattern(colStart: Array(0...colLevels), rowLevel: parent, nested: true, maxPerColumn: 1)
    }
    var keys = [Int](repeating: 0, count: rows.count)
    for r in 0..<rows.count { keys[r] = Int(cols[r]) * rowLevels + Int(rows[r]) }
    keys.sort()
    var colStart = [Int](repeating: 0, count: colLevels + 1)
    var rowLevel: [Int32] = []
    var last = -1
    for key in keys where key != last {
      last = key
      rowLevel.append(Int32(key % rowLevels))
      colStart[key / rowLevels + 1] += 1
    }
    var most = 0
    for c in 0..<colLevels {
      most = max(most, colStart[c + 1])
      colStart[c + 1] += colStart[c]
    }
    return BlockPattern(colStart: colStart, rowLevel: rowLevel, nested: false, maxPerColumn: most)
  }

}

/// Small dense kernels on column-major blocks (q is 1–4 in practice), written out so that the
/// per-level loops allocate nothing.
enum SmallDense {
  /// In-place lower Cholesky of the n × n block at `a`; false on a non-positive pivot.
  @inline(__always)
  static func choleskyLower(_ a: UnsafeMutablePointer<Double>, n: Int, lda: Int) -> Bool {
    for j in 0..<n {
      var d = a[j + j * lda]
      for k in 0..<j { d -= a[j + k * lda] * a[j + k * lda] }
      if !(d > 0) { return false }
      let s = d.squareRoot()
      a[j + j * lda] = s
      for i in (j + 1)..<max(n, j + 1) {
        var v = a[i + j * lda]
        for k in 0..<j { v -= a[i + k * lda] * a[j + k * lda] }
        a[i + j * lda] = v / s
      }
    }
    return true
  }

  /// B := B D⁻ᵀ, B rows × q (leading dimension rows), D q × q lower.
  @inline(__always)
  static func solveRightLowerTransposed(
    _ b: UnsafeMutablePointer<Double>, rows: Int, _ d: UnsafePointer<Double>, q: Int
  ) {
    for k in 0..<q {
      let dk = d[k + k * q]
      for r in 0..<rows {
        var v = b[r + k * rows]
        for l in 0..<k { v -= b[r + l * rows] * d[k + l * q] }
        b[r + k * rows] = v / dk
      }
    }
  }

  /// x := D⁻ᵀ x, D q × q lower.
  @inline(__always)
  static func solveLowerTransposed(_ d: UnsafePointer<Double>, q: Int, _ x: UnsafeMutablePointer<Double>) {
    for i in stride(from: q - 1, through: 0, by: -1) {
      var v = x[i]
      for k in (i + 1)..<max(q, i + 1) { v -= d[k + i * q] * x[k] }
      x[i] = v / d[i + i * q]
    }
  }

  /// out = λᵀ A λ (q × q), `scratch` ≥ q × q.
  @inline(__always)
  static func congruence(
    _ lam: UnsafePointer<Double>, _ a: UnsafePointer<Double>, q: Int,
    into out: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
  ) {
    multiply(a, rows: q, inner: q, lam, cols: q, into: scratch)
    multiplyLeftTransposed(lam, qi: q, scratch, cols: q, into: out)
  }

  /// out = λ_iᵀ A λ_j (qi × qj).
  @inline(__always)
  static func scaleBoth(
    _ li: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ lj: UnsafePointer<Double>, qi: Int,
    qj: Int, into out: UnsafeMutablePointer<Double>, scratch: UnsafeMutablePointer<Double>
  ) {
    multiply(a, rows: qi, inner: qj, lj, cols: qj, into: scratch)
    multiplyLeftTransposed(li, qi: qi, scratch, cols: qj, into: out)
  }

  /// out = A λ (rows × q).
  @inline(__always)
  static func multiplyRight(
    _ a: UnsafePointer<Double>, rows: Int, _ lam: UnsafePointer<Double>, q: Int,
    into out: UnsafeMutablePointer<Double>
  ) {
    multiply(a, rows: rows, inner: q, lam, cols: q, into: out)
  }

  /// out = A B, A rows × inner, B inner × cols (all column-major, tight).
  @inline(__always)
  static func multiply(
    _ a: UnsafePointer<Double>, rows: Int, inner: Int, _ b: UnsafePointer<Double>, cols: Int,
    into out: UnsafeMutablePointer<Double>
  ) {
    for c in 0..<cols {
      for r in 0..<rows { out[r + c * rows] = 0 }
      for k in 0..<inner {
        let bkc = b[k + c * inner]
        if bkc == 0 { continue }
        for r in 0..<rows { out[r + c * rows] += a[r + k * rows] * bkc }
      }
    }
  }

  /// out = λᵀ T, λ qi × qi, T qi × cols.
  @inline(__always)
  static func multiplyLeftTransposed(
    _ lam: UnsafePointer<Double>, qi: Int, _ t: UnsafePointer<Double>, cols: Int,
    into out: UnsafeMutablePointer<Double>
  ) {
    for c in 0..<cols {
      for r in 0..<qi {
        var s = 0.0
        for k in 0..<qi { s += lam[k + r * qi] * t[k + c * qi] }
        out[r + c * qi] = s
      }
    }
  }

  /// C −= A Bᵀ, A rows × inner, B cols × inner (tight), C with leading dimension ldc.
  @inline(__always)
  static func subtractProductTransposed(
    _ c: UnsafeMutablePointer<Double>, ldc: Int, _ a: UnsafePointer<Double>, rows: Int,
    _ b: UnsafePointer<Double>, cols: Int, inner: Int
  ) {
    for j in 0..<cols {
      for k in 0..<inner {
        let bjk = b[j + k * cols]
        for i in 0..<rows { c[i + j * ldc] -= a[i + k * rows] * bjk }
      }
    }
  }

  /// Lower triangle of C (n × n) −= A Aᵀ, A n × inner.
  @inline(__always)
  static func subtractGramLower(
    _ c: UnsafeMutablePointer<Double>, n: Int, _ a: UnsafePointer<Double>, inner: Int
  ) {
    for k in 0..<inner {
      let ak = a + k * n
      for j in 0..<n {
        let ajk = ak[j]
        for i in j..<n { c[i + j * n] -= ak[i] * ajk }
      }
    }
  }
}
