import BordinData
import Dispatch

/// Evaluates a report's directives in dependency order and holds what they produced.
///
/// Directives refer to each other by label (`data: long`, `of: pooled`); the label graph is
/// sorted topologically (ties keep source order, so evaluation is deterministic) and a cycle is
/// an error naming every label on it. A directive whose input failed is skipped silently: the
/// input's own diagnostic explains it.
final class Evaluation {
  let sink: DiagnosticSink
  let datasets: [String: LoadedDataset]
  let params: [(String, String)]
  private(set) var invocations: [Invocation] = []
  private(set) var outputs: [String: DirectiveOutput] = [:]
  private(set) var kinds: [String: String] = [:]
  /// Labels whose values are used inline (the first use carries `id="use-LABEL"`).
  var firstUse = Set<String>()
  /// "Figure N" / "Table N" numbers by label, in order of appearance.
  private(set) var numbers: [String: Int] = [:]

  /// Recorded results to print instead of the computed ones (``RenderOptions/replay``).
  var replay: [String: ResultValue]?

  /// Column, term and value labels for tables and plots (DESIGN.md §4).
  var labels = Labels()

  /// The result cache, when enabled.
  var cache: ResultCache?
  /// How many directives were served from the cache (for tests and `--verbose`).
  private(set) var cacheHits = 0

  /// `sink` is the render's one diagnostics object (shared, not copied); by default a new one.
  init(file: String, datasets: [String: LoadedDataset], params: [(String, String)], sink: DiagnosticSink? = nil) {
    self.sink = sink ?? DiagnosticSink(file: file)
    self.datasets = datasets
    self.params = params
  }

  /// Reads the directive blocks: info string, label, YAML body, option names.
  func read(_ blocks: [MarkdownDocument.FencedBlock]) {
    var used = Set<String>()
    var auto = 0
    for b in blocks {
      let at = SourceLocation(line: b.line, column: b.column)
      guard let (kind, label) = parseInfo(b.info, at: at) else { continue }
      guard let def = directiveDefinition(kind) else {
        sink.error(at, "unknown-directive", "unknown directive kind '\(kind)'\(didYouMeanSuffix(kind, directiveDefinitions.map(\.name)))",
                   remedy: "`bordin directives` lists the kinds; for ordinary code use an info string without braces")
        continue
      }
      var name: String
      if let label {
        guard !used.contains(label) else {
          sink.error(at, "duplicate-label", "label '\(label)' is used by more than one directive",
                     remedy: "give each directive its own label")
          continue
        }
        name = label
      } else {
        repeat { auto += 1; name = "\(kind)-\(auto)" } while used.contains(name) || blocks.contains { $0.info.contains("#\(name)") }
      }
      used.insert(name)
      let body: YAMLNode
      do {
        body = try YAMLNode.parse(b.body, lineOffset: b.line, columnOffset: b.column - 1)
      } catch {
        sink.error(error.at, "yaml-syntax", "the options of \(kind) '\(name)' are not valid YAML: \(error.message)",
                   remedy: "write the block body as 'option: value' lines")
        continue
      }
      guard case .map(let options, _) = body else {
        sink.error(body.location, "yaml-syntax", "the options of \(kind) '\(name)' must be a mapping of 'option: value'; got \(body.shape)",
                   remedy: "write the block body as 'option: value' lines")
        continue
      }
      let known = def.options.map(\.name) + DirectiveDefinition.commonOptions.map(\.name)
      var ok = true
      for o in options where !known.contains(o.key) {
        sink.error(o.keyAt, "unknown-option", "\(kind) has no option '\(o.key)'\(didYouMeanSuffix(o.key, known))",
                   remedy: "its options are: \(known.joined(separator: ", ")) (`bordin directives \(kind)`)")
        ok = false
      }
      for spec in def.options where spec.required && !options.contains(where: { $0.key == spec.name }) {
        sink.error(at, "missing-option", "\(kind) '\(name)' needs option '\(spec.name)' (\(spec.help))",
                   remedy: "add '\(spec.name): …' to the block")
        ok = false
      }
      kinds[name] = kind
      if ok {
        invocations.append(Invocation(kind: kind, label: name, labelled: label != nil, at: at, options: options, blockIndex: b.index))
      }
    }
    var fig = 0, tbl = 0
    for inv in invocations {
      if inv.label.hasPrefix("fig-") { fig += 1; numbers[inv.label] = fig }
      if inv.label.hasPrefix("tbl-") { tbl += 1; numbers[inv.label] = tbl }
    }
  }

  /// `{kind #label}` → (kind, label); records a diagnostic and returns nil when malformed.
  private func parseInfo(_ info: String, at: SourceLocation) -> (String, String?)? {
    guard info.hasPrefix("{"), let close = info.firstIndex(of: "}") else {
      sink.error(at, "directive-syntax", "directive info string '\(info)' has no closing '}'", remedy: "write it as {kind #label}")
      return nil
    }
    let inner = info[info.index(after: info.startIndex)..<close]
    let words = inner.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard let kind = words.first, !kind.hasPrefix("#") else {
      sink.error(at, "directive-syntax", "directive info string '\(info)' names no kind", remedy: "write it as {kind #label}")
      return nil
    }
    var label: String?
    for w in words.dropFirst() {
      guard w.hasPrefix("#"), label == nil else {
        sink.error(at, "directive-syntax", "unexpected '\(w)' in directive info string '\(info)'", remedy: "write it as {kind #label}")
        return nil
      }
      let l = String(w.dropFirst())
      guard !l.isEmpty, l.allSatisfy(CrossReference.isLabelChar), l.first != "-" else {
        sink.error(at, "bad-label", "label '\(l)' may hold only lower-case letters, digits and hyphens",
                   remedy: "for example #\(l.lowercased().map { CrossReference.isLabelChar($0) ? $0 : "-" }.map(String.init).joined())")
        return nil
      }
      label = l
    }
    return (kind.lowercased() == kind ? kind : kind.lowercased(), label)
  }

  /// Runs every directive in dependency order.
  func run() {
    let byLabel = Dictionary(uniqueKeysWithValues: invocations.map { ($0.label, $0) })
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    var order: [Invocation] = []
    var stack: [String] = []
    func visit(_ inv: Invocation) {
      if state[inv.label] == 2 { return }
      if state[inv.label] == 1 {
        let cycle = (stack.drop { $0 != inv.label } + [inv.label]).joined(separator: " → ")
        sink.error(inv.at, "cycle", "directives depend on each other in a cycle: \(cycle)",
                   remedy: "break the cycle: a directive cannot use its own result, directly or through others")
        return
      }
      state[inv.label] = 1
      stack.append(inv.label)
      for r in inv.references where datasets[r.name] == nil {
        if let dep = byLabel[r.name] { visit(dep) }
      }
      stack.removeLast()
      state[inv.label] = 2
      order.append(inv)
    }
    for inv in invocations { visit(inv) }
    let cyclic = Set(sink.items.filter { $0.code == "cycle" }.flatMap { d in invocations.filter { d.message.contains($0.label) }.map(\.label) })
    var failed = Set<String>()
    let keys = cache == nil ? [:] : ResultCache.keys(order, datasets: datasets, params: params)
    // Results whose fitted model a plot draws (`of`, a surface's `scale_with`) are computed, not cached.
    let drawn = Set(invocations.filter { directiveDefinition($0.kind)?.traits.contains(.figure) == true }
      .flatMap { $0.references.map(\.name) })
    // Levels: a directive runs after every directive it reads (level 0 reads none). Those of one
    // level are independent, so its estimators run in parallel, each on its own copy of the evaluation;
    // their outputs and diagnostics are taken in `order` afterwards, so the report is the same
    // bytes as a serial run (DESIGN §5).
    var level: [String: Int] = [:]
    for inv in order {
      // Any reference naming an earlier directive counts, even when a data source has the same
      // name (`of: m` beside a data source `m` reads the directive).
      level[inv.label] = 1 + (inv.references.compactMap { level[$0.name] }.max() ?? -1)
    }
    var diagnostics: [String: [Diagnostic]] = [:]
    for l in Set(level.values).sorted() {
      var batch: [(Invocation, DirectiveDefinition)] = []
      for inv in order where level[inv.label] == l {
        if cyclic.contains(inv.label) { failed.insert(inv.label); continue }
        if inv.references.contains(where: { failed.contains($0.name) }) { failed.insert(inv.label); continue }
        guard let def = directiveDefinition(inv.kind) else { continue }
        batch.append((inv, def))
      }
      let copies = batch.map { _ in Evaluation(copying: self) }
      var done = [(output: DirectiveOutput?, hit: Bool)](repeating: (nil, false), count: batch.count)
      // Estimators run in parallel; figures and tables, which may draw on a fitted model object
      // of an earlier directive (shared, with its own work buffers), run one after another.
      let serial = batch.indices.filter { batch[$0].1.traits.contains(.figure) || batch[$0].1.traits.contains(.presentation) }
      let parallel = batch.indices.filter { !serial.contains($0) }
      done.withUnsafeMutableBufferPointer { slots in
        let work = LevelRun(copies: copies, batch: batch, keys: keys, drawn: drawn, slots: slots)
        if parallel.count > 1 {
          DispatchQueue.concurrentPerform(iterations: parallel.count) { j in work.run(parallel[j]) }
        } else {
          parallel.forEach(work.run)
        }
        serial.forEach(work.run)
      }
      for (i, (inv, _)) in batch.enumerated() {
        diagnostics[inv.label] = copies[i].sink.items
        if done[i].hit { cacheHits += 1 }
        if let out = done[i].output { outputs[inv.label] = out } else { failed.insert(inv.label) }
      }
    }
    for inv in order { for d in diagnostics[inv.label] ?? [] { sink.append(d) } }
  }

  /// A copy for running one directive on another thread: the same inputs and the outputs so
  /// far, its own diagnostics (merged in evaluation order by ``run()``).
  private init(copying p: Evaluation) {
    let own = DiagnosticSink(file: p.sink.file)
    own.lineMap = p.sink.lineMap
    sink = own
    datasets = p.datasets
    params = p.params
    invocations = p.invocations
    outputs = p.outputs
    kinds = p.kinds
    firstUse = p.firstUse
    numbers = p.numbers
    replay = p.replay
    labels = p.labels
    cache = p.cache
  }

  /// Runs one directive (or serves it from the cache); nil when it failed (its diagnostics are
  /// in ``sink``). `hit`: served from the cache.
  fileprivate func runOne(_ inv: Invocation, _ def: DirectiveDefinition, key: String?, drawn: Set<String>) -> (output: DirectiveOutput?, hit: Bool) {
    let cacheable = cache != nil && def.traits.contains(.cacheable) && !drawn.contains(inv.label)
    do {
      var out: DirectiveOutput
      var hit = false
      if cacheable, let key, let cached = cache?.load(key) {
        out = cached
        hit = true
      } else {
        out = try def.run(inv, self)
        if cacheable, let key { cache?.store(key, out) }
      }
      if let recorded = replay?[inv.label], let computed = out.result { out.result = computed.withNumbers(of: recorded) }
      for w in out.warnings { sink.warning(inv.at, "warning", "\(inv.kind) '\(inv.label)': \(w)") }
      if !out.warnings.isEmpty { out.html = WarningNote.html(out.warnings) + out.html }
      return (out, hit)
    } catch {
      return (nil, false)
    }
  }

  func output(_ label: String) -> DirectiveOutput? { outputs[label] }

  /// The dataset called `name` (front matter source or `data` label), or a diagnostic.
  func dataset(_ name: String, at: SourceLocation) throws(DirectiveFailure) -> Table {
    if let d = datasets[name] { return d.table }
    if let t = outputs[name]?.dataset { return t }
    if kinds[name] != nil {
      sink.error(at, "not-a-dataset", "'\(name)' is a \(kinds[name]!) directive, not a dataset", remedy: "name a data source or a data directive")
    } else {
      let names = Array(datasets.keys).sorted() + invocations.filter { directiveDefinition($0.kind)?.traits.contains(.dataset) == true }.map(\.label)
      sink.error(at, "unknown-data", "no dataset called '\(name)'\(didYouMeanSuffix(name, names))",
                 remedy: names.isEmpty ? "declare it under 'data:' in the front matter" : "datasets: \(names.joined(separator: ", "))")
    }
    throw DirectiveFailure()
  }

  /// The dataset named by the invocation's `data` option.
  func dataset(for inv: Invocation, option: String = "data") throws(DirectiveFailure) -> (name: String, table: Table) {
    let r = OptionReader(inv, self)
    let name = try r.requiredString(option)
    return (name, try dataset(name, at: inv.location(option)))
  }

  /// The result of the directive labelled `label`, or a diagnostic.
  func result(_ label: String, at: SourceLocation) throws(DirectiveFailure) -> (kind: String, value: ResultValue) {
    if let o = outputs[label], let v = o.result, let k = kinds[label] { return (k, v) }
    if let k = kinds[label] {
      sink.error(at, "no-result", "'\(label)' (\(k)) has no result to show", remedy: "refer to a directive that computes a result")
    } else {
      sink.error(at, "unknown-label", "no directive is labelled '\(label)'\(didYouMeanSuffix(label, Array(kinds.keys).sorted()))")
    }
    throw DirectiveFailure()
  }

}

/// One level of ``Evaluation/run()``: directive `i` runs on its own copy of the evaluation and
/// writes only slot `i`, so the iterations share nothing mutable.
private struct LevelRun: @unchecked Sendable {
  let copies: [Evaluation]
  let batch: [(Invocation, DirectiveDefinition)]
  let keys: [String: String]
  let drawn: Set<String>
  let slots: UnsafeMutableBufferPointer<(output: DirectiveOutput?, hit: Bool)>

  func run(_ i: Int) {
    slots[i] = copies[i].runOne(batch[i].0, batch[i].1, key: keys[batch[i].0.label], drawn: drawn)
  }
}
