import BordinData
import Foundation

// The known within-study covariance matrix V of a multivariate meta-analysis, built as metafor's
// `vcalc(vi, cluster, rvars = c(v1i, v2i, …))` builds it (metafor ≥ 3.8; the construction on the
// help page of dat.berkey1998).
//
// Rows are grouped by `cluster` (the study); within a cluster of kᵢ rows, in data order, row a's
// value of the b-th `rvars` column is the (a, b) element of the study's block, b ≤ a (only the
// lower triangle is read, as vcalc). With `vi` the blocks are correlation matrices R and
// V = diag(√vᵢ) R diag(√vᵢ); without it (vcalc's `vi = 1`) they are the covariances themselves.
// Rows of different clusters are independent (V is block diagonal).
//
// References: Berkey, C. S., Hoaglin, D. C., Antczak-Bouckoms, A., Mosteller, F. & Colditz,
// G. A. (1998). Meta-analysis of multiple outcomes by regression with random effects. Statistics
// in Medicine, 17, 2537–2550; Viechtbauer, W. (2010), JSS 36(3); metafor's `vcalc`.

/// The within-study covariance of every row, as blocks per cluster (study).
public struct WithinStudyCovariance: Sendable, Equatable {
  /// Cluster index of every row (nil when the cluster value is missing).
  public var cluster: [Int?]
  /// Position of every row within its cluster (data order).
  public var position: [Int]
  /// Cluster labels, in order of first appearance.
  public var clusterNames: [String]
  /// Per cluster the kᵢ × kᵢ block over all its rows (NaN where a value is missing).
  public var blocks: [Matrix]

  /// The sampling variance of row i (the diagonal of V).
  public func variance(_ i: Int) -> Double {
    guard let c = cluster[i] else { return .nan }
    return blocks[c][position[i], position[i]]
  }

  /// The covariance of rows i and j (0 for rows of different clusters).
  public func covariance(_ i: Int, _ j: Int) -> Double {
    guard let a = cluster[i], let b = cluster[j], a == b else { return 0 }
    return blocks[a][position[i], position[j]]
  }

  /// Builds V from the `rvars` columns as `vcalc(vi, cluster, rvars)`.
  /// - Parameters:
  ///   - rvars: the columns (names and values); there must be as many as rows in the largest
  ///     cluster; in a cluster of kᵢ rows only the first kᵢ are read.
  ///   - cluster: the cluster (study) label of every row.
  ///   - vi: sampling variances when `rvars` hold correlations; nil when they hold covariances.
  /// - Throws: `StatsError` `bad-covariance` when there are fewer `rvars` columns than rows in a cluster, or
  ///   a correlation outside [−1, 1] (or a diagonal other than 1) with `vi`.
  public static func build(
    rvars: [(name: String, values: [Double])], cluster: [String?], vi: [Double]? = nil
  ) throws -> WithinStudyCovariance {
    var index: [String: Int] = [:]
    var names: [String] = []
    var members: [[Int]] = []
    var clusterOf: [Int?] = []
    var position: [Int] = []
    for (i, label) in cluster.enumerated() {
      guard let label else {
        clusterOf.append(nil)
        position.append(0)
        continue
      }
      let c: Int
      if let known = index[label] {
        c = known
      } else {
        c = names.count
        index[label] = c
        names.append(label)
        members.append([])
      }
      clusterOf.append(c)
      position.append(members[c].count)
      members[c].append(i)
    }
    var blocks: [Matrix] = []
    for (c, rows) in members.enumerated() {
      guard rows.count <= rvars.count else {
        throw StatsError(
          code: "bad-covariance",
          message: "study '\(names[c])' has \(rows.count) rows but V gives \(rvars.count) covariance column\(rvars.count == 1 ? "" : "s") (\(rvars.map(\.name).joined(separator: ", ")))",
          remedy: "Give as many columns as rows in the largest study: row a's b-th column is its covariance with the study's b-th row (as metafor's vcalc rvars).")
      }
      var m = Matrix(rows: rows.count, cols: rows.count)
      for (a, row) in rows.enumerated() {
        for b in 0...a {
          var value = rvars[b].values[row]
          if let vi {
            if !value.isNaN, a == b ? value != 1 : abs(value) > 1 {
              throw StatsError(
                code: "bad-covariance",
                message: "'\(rvars[b].name)' in row \(row + 1) (study '\(names[c])') is \(formatShortest(value)); with 'vi' the V columns are correlations\(a == b ? " and the diagonal must be 1" : " between −1 and 1")",
                remedy: "Give correlations with 'vi', or covariances without it.")
            }
            value *= (vi[row] * vi[rows[b]]).squareRoot()
          }
          m[a, b] = value
          m[b, a] = value
        }
      }
      blocks.append(m)
    }
    return WithinStudyCovariance(cluster: clusterOf, position: position, clusterNames: names, blocks: blocks)
  }

  /// The k × k matrix V of the rows used, after checking that it is complete and each study's
  /// block is positive definite.
  /// - Throws: `StatsError` `bad-covariance` naming the row and study of a missing covariance, a
  ///   non-positive variance, or the study whose block is not positive definite.
  public func matrix(rows: [Int], rvars: [String]) throws -> Matrix {
    let k = rows.count
    var m = Matrix(rows: k, cols: k)
    var byCluster: [Int: [Int]] = [:]
    for (a, i) in rows.enumerated() { if let c = cluster[i] { byCluster[c, default: []].append(a) } }
    for c in byCluster.keys.sorted() {
      let used = byCluster[c]!
      var block = Matrix(rows: used.count, cols: used.count)
      for (p, a) in used.enumerated() {
        for (q, b) in used.enumerated() where q <= p {
          let value = covariance(rows[a], rows[b])
          let (hi, lo) = position[rows[a]] >= position[rows[b]] ? (rows[a], rows[b]) : (rows[b], rows[a])
          guard !value.isNaN else {
            throw StatsError(
              code: "bad-covariance",
              message: "V has no value for row \(hi + 1) of study '\(clusterNames[c])' in '\(rvars[position[lo]])' (its covariance with row \(lo + 1))",
              remedy: "Fill in the covariance, or leave the row out.")
          }
          if p == q, !(value > 0) {
            throw StatsError(
              code: "bad-covariance",
              message: "the sampling variance of row \(hi + 1) (study '\(clusterNames[c])', '\(rvars[position[hi]])') is \(formatShortest(value)); it must be positive",
              remedy: "Check the variance column.")
          }
          block[p, q] = value
          block[q, p] = value
          m[a, b] = value
          m[b, a] = value
        }
      }
      if used.count > 1, (try? LinearAlgebra.cholesky(block)) == nil {
        throw StatsError(
          code: "bad-covariance",
          message: "the within-study covariance matrix of study '\(clusterNames[c])' (rows \(used.map { String(rows[$0] + 1) }.joined(separator: ", "))) is not positive definite",
          remedy: "Check its covariances: |cov(a, b)| must be below √(var(a)·var(b)), and a correlation matrix must be positive definite.")
      }
    }
    return m
  }
}
