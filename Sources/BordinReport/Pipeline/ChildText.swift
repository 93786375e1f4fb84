/// The text rewrites of a child document: label prefixes in prose and options (see
/// ``ChildDocuments``). They work on single lines, so the expanded source keeps every line of
/// every child, and diagnostics can name the child's own line.
enum ChildText {
  /// `line` of prose with inline values and cross-references to the child's own labels renamed
  /// (`` `{pooled.k}` `` → `` `{K-pooled.k}` ``, `@fig-forest` → `@fig-K-forest`) and
  /// `` `{row.NAME…}` `` turned into the row's one-row dataset, `` `{data.row-K.NAME…}` ``.
  static func rewriteProse(_ line: String, rename: (String) -> String?, rowDataset: String?) -> String {
    guard line.contains("`{") || line.contains("@") else { return line }
    let chars = Array(line)
    var out = ""
    var i = 0
    while i < chars.count {
      if chars[i] == "`", i + 1 < chars.count, chars[i + 1] == "{" {
        let (root, end) = word(chars, from: i + 2) { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        if root == "row", let rowDataset, end < chars.count, chars[end] == "." {
          out += "`{data." + rowDataset
          i = end
          continue
        }
        if let new = rename(root) {
          out += "`{" + new
          i = end
          continue
        }
        out += "`{"
        i += 2
        continue
      }
      if chars[i] == "@", i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber) {
        var (label, end) = word(chars, from: i + 1, CrossReference.isLabelChar)
        while label.hasSuffix("-") { label.removeLast(); end -= 1 }
        if label.hasPrefix("fig-") || label.hasPrefix("tbl-"), let new = rename(label) {
          out += "@" + new
          i = end
          continue
        }
      }
      out.append(chars[i])
      i += 1
    }
    return out
  }

  private static func word(_ chars: [Character], from start: Int, _ ok: (Character) -> Bool) -> (String, Int) {
    var j = start
    while j < chars.count, ok(chars[j]) { j += 1 }
    return (String(chars[start..<j]), j)
  }

  /// `line` with the first whole-word `name` at or after character `from` replaced by `new`
  /// (an option value naming a label: `of: pooled`, `data: "studies"`, `models: [a, b]`).
  static func replaceToken(_ name: String, with new: String, in line: String, from: Int) -> String {
    let chars = Array(line)
    let target = Array(name)
    var i = min(from, chars.count)
    let isWord = { (c: Character) in CrossReference.isLabelChar(c) || c == "_" || c.isLetter || c.isNumber }
    while i + target.count <= chars.count {
      if Array(chars[i..<(i + target.count)]) == target, i == 0 || !isWord(chars[i - 1]),
         i + target.count == chars.count || !isWord(chars[i + target.count]) {
        return String(chars[..<i]) + new + String(chars[(i + target.count)...])
      }
      i += 1
    }
    return line
  }

  /// Whether `line` closes a fenced code block (three or more backticks or tildes).
  static func isFence(_ line: String) -> Bool {
    let t = line.trimmingWhitespace()
    return t.count >= 3 && (t.allSatisfy { $0 == "`" } || t.allSatisfy { $0 == "~" })
  }
}
