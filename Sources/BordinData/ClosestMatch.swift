/// The candidate nearest to `s` by edit distance, for "did you mean …?" suggestions.
///
/// Distance is the Levenshtein distance over Unicode scalars; a candidate qualifies when its
/// distance is at most `max(2, s.count / 3)`. A candidate that differs from `s` only in letter
/// case always qualifies. Ties go to the earliest candidate. Returns nil when nothing qualifies
/// or when `s` is itself a candidate.
///
/// ```swift
/// closestMatch("aliance", in: ["client", "alliance"])  // "alliance"
/// ```
public func closestMatch(_ s: String, in candidates: [String]) -> String? {
  if candidates.contains(s) { return nil }
  let a = Array(s.unicodeScalars)
  let lower = s.lowercased()
  let limit = max(2, a.count / 3)
  var best: (name: String, distance: Int)?
  for c in candidates {
    if c.lowercased() == lower { return c }
    let b = Array(c.unicodeScalars)
    if abs(a.count - b.count) > limit { continue }
    let d = levenshtein(a, b)
    if d <= limit, d < (best?.distance ?? Int.max) { best = (c, d) }
  }
  return best?.name
}

/// The Levenshtein distance between two scalar sequences (two-row dynamic programme).
func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
