/// The lines that differ between two versions of a text, for `bordin verify`'s report of a
/// changed template.
///
/// The common first and last lines are set aside; the rest is aligned by a longest common
/// subsequence of lines (dynamic programming, so at most ``maxCells`` line pairs: a larger
/// middle is reported as one changed block). Every index stays inside its array by
/// construction: the alignment walks two cursors that only move forward to the ends.
enum LineDiff {
  static let maxCells = 4_000_000
  /// Most lines reported; the rest are summarised.
  static let maxLines = 20
  /// Longest line shown; longer ones are cut.
  static let maxLineLength = 200

  static func changes(old: String, new: String, file: String) -> [String] {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false)
    var lo = 0
    while lo < a.count, lo < b.count, a[lo] == b[lo] { lo += 1 }
    var hiA = a.count, hiB = b.count
    while hiA > lo, hiB > lo, a[hiA - 1] == b[hiB - 1] { hiA -= 1; hiB -= 1 }
    let x = Array(a[lo..<hiA]), y = Array(b[lo..<hiB])
    var out: [String] = []
    func show(_ s: Substring) -> String { s.count > maxLineLength ? String(s.prefix(maxLineLength)) + "…" : String(s) }
    func emit(_ s: String) -> Bool {
      if out.count == maxLines { out.append("…"); return false }
      out.append(s)
      return true
    }
    if x.isEmpty, y.isEmpty { return [] }
    guard x.count * y.count <= maxCells else {
      return ["\(file):\(lo + 1)–\(lo + y.count): \(x.count) lines replaced by \(y.count)"]
    }
    // lcs[i][j]: length of the longest common subsequence of x[i...] and y[j...].
    let w = y.count + 1
    var lcs = [Int32](repeating: 0, count: (x.count + 1) * w)
    if !x.isEmpty, !y.isEmpty {
      for i in stride(from: x.count - 1, through: 0, by: -1) {
        for j in stride(from: y.count - 1, through: 0, by: -1) {
          lcs[i * w + j] = x[i] == y[j] ? lcs[(i + 1) * w + j + 1] + 1 : max(lcs[(i + 1) * w + j], lcs[i * w + j + 1])
        }
      }
    }
    var i = 0, j = 0
    while i < x.count || j < y.count {
      let line = lo + j + 1  // in the new text
      if i < x.count, j < y.count, x[i] == y[j] {
        i += 1; j += 1
      } else if i < x.count, j < y.count, lcs[(i + 1) * w + j] == lcs[i * w + j + 1], lcs[(i + 1) * w + j + 1] == lcs[i * w + j] {
        // Neither deleting nor inserting keeps more in common: a changed line.
        guard emit("\(file):\(line): line changed: '\(show(x[i]))' → '\(show(y[j]))'") else { break }
        i += 1; j += 1
      } else if j < y.count, i == x.count || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j] {
        guard emit("\(file):\(line): line added: \(show(y[j]))") else { break }
        j += 1
      } else {
        guard emit("\(file):\(line): line removed: \(show(x[i]))") else { break }
        i += 1
      }
    }
    return out
  }
}
