import BordinData
import BordinStats
import BordinTestSupport
import XCTest

/// SEM.fit errors and warnings: every diagnostic names the variable or parameter and says what
/// to do.
final class SEMDiagnosticsTests: XCTestCase {
  private func statsError(_ body: () throws -> Any) -> StatsError? {
    do {
      _ = try body()
      return nil
    } catch { return error as? StatsError }
  }

  private var hs: Table { get throws { try Fixtures.csv("data/hs1939.csv") } }
  private var panel: Table { get throws { try Fixtures.csv("data/panel-3wave.csv") } }

  func testUnknownVariableSuggestsAColumn() throws {
    let e = statsError { try SEM.fit(model: "alliance2 ~ aliance1", data: try self.panel) }
    XCTAssertEqual(e?.code, "unknown-variable")
    XCTAssertTrue(e?.message.contains("'aliance1'") == true)
    XCTAssertTrue(e?.remedy.contains("Did you mean 'alliance1'?") == true, e?.remedy ?? "")
  }

  func testConstantVariable() throws {
    var t = try panel
    t = Table(t.names.map { ($0, $0 == "symptoms1" ? Column.numeric([Double](repeating: 3, count: t.rowCount)) : t[$0]!) })
    for missing in [SEMMissing.fiml, .listwise] {
      let e = statsError { try SEM.fit(model: "symptoms2 ~ symptoms1", data: t, options: SEMOptions(missing: missing)) }
      XCTAssertEqual(e?.code, "zero-variance")
      XCTAssertTrue(e?.message.contains("'symptoms1' has zero variance") == true, e?.message ?? "")
    }
  }

  func testNonNumericColumn() throws {
    let e = statsError { try SEM.fit(model: "alliance2 ~ id", data: try self.panel) }
    XCTAssertEqual(e?.code, "not-numeric")
    XCTAssertTrue(e?.message.contains("'id'") == true)
  }

  func testVariableMissingInEveryRow() throws {
    var t = try panel
    t = Table(t.names.map { ($0, $0 == "symptoms3" ? Column.numeric([Double](repeating: .nan, count: t.rowCount)) : t[$0]!) })
    let e = statsError { try SEM.fit(model: "symptoms3 ~ symptoms1", data: t) }
    XCTAssertEqual(e?.code, "all-missing")
    XCTAssertTrue(e?.message.contains("'symptoms3' is missing in every row") == true)
  }

  func testNegativeDegreesOfFreedomIsUnidentified() throws {
    let e = statsError { try SEM.fit(model: "f =~ x1 + x2", data: try self.hs) }
    XCTAssertEqual(e?.code, "unidentified")
    XCTAssertTrue(e?.message.contains("6 free parameters") == true, e?.message ?? "")
    XCTAssertTrue(e?.message.contains("df = -1") == true, e?.message ?? "")
  }

  /// A two-indicator factor on its own: df = 3 overall, but its loading, variance and residual
  /// variances cannot be separated; the error names exactly those parameters.
  func testSingularInformationNamesTheParameters() throws {
    let e = statsError { try SEM.fit(model: "f =~ x1 + x2\nx4 ~ x5", data: try self.hs) }
    XCTAssertEqual(e?.code, "unidentified")
    let message = e?.message ?? ""
    for name in ["f =~ x2", "f ~~ f", "x1 ~~ x1", "x2 ~~ x2"] {
      XCTAssertTrue(message.contains(name), "\(name) in \(message)")
    }
    XCTAssertFalse(message.contains("x4 ~ x5"), message)
    XCTAssertFalse(e?.remedy.isEmpty ?? true)
  }

  func testNonConvergenceIsAWarning() throws {
    let ref = try SEMReferenceCase("riclpm-4wave")
    let r = try SEM.fit(model: ref.model, data: ref.data, options: SEMOptions(maxIterations: 1))
    XCTAssertFalse(r.converged)
    XCTAssertTrue(r.warnings.contains { $0.code == "not-converged" }, "\(r.warnings)")
  }

  /// x3 = x1 + x2 exactly: an error naming the dependent variables (lavaan: "sample covariance
  /// matrix is not positive-definite").
  func testSingularSampleCovarianceIsAnError() throws {
    let t = try hs
    let x1 = t.numbers("x1")
    let x2 = t.numbers("x2")
    let data = Table([
      ("y", t["x4"]!), ("x1", .numeric(x1)), ("x2", .numeric(x2)),
      ("x3", .numeric(zip(x1, x2).map { $0 + $1 })),
    ])
    for missing in [SEMMissing.fiml, .listwise] {
      let e = statsError { try SEM.fit(model: "y ~ x1 + x2 + x3", data: data, options: SEMOptions(missing: missing)) }
      XCTAssertEqual(e?.code, "sample-covariance-not-pd")
      XCTAssertTrue(e?.message.contains("x1, x2, x3 are linearly dependent") == true, e?.message ?? "")
    }
  }

  /// Nearly collinear variables: a warning, and the fit goes on.
  func testNearlySingularSampleCovarianceIsAWarning() throws {
    let t = try hs
    let x1 = t.numbers("x1")
    let x2 = t.numbers("x2")
    let data = Table([
      ("y", t["x4"]!), ("x1", .numeric(x1)), ("x2", .numeric(x2)),
      ("x3", .numeric(zip(x1, x2).enumerated().map { $1.0 + $1.1 + ($0 % 2 == 0 ? 5e-3 : -5e-3) })),
    ])
    let r = try SEM.fit(model: "y ~ x1 + x2 + x3", data: data)
    XCTAssertTrue(r.warnings.contains { $0.code == "sample-covariance-not-pd" }, "\(r.warnings)")
    // Closer to collinear, the paths are empirically unidentified: an error that says why.
    let closer = Table([
      ("y", t["x4"]!), ("x1", .numeric(x1)), ("x2", .numeric(x2)),
      ("x3", .numeric(zip(x1, x2).enumerated().map { $1.0 + $1.1 + ($0 % 2 == 0 ? 1e-4 : -1e-4) })),
    ])
    let e = statsError { try SEM.fit(model: "y ~ x1 + x2 + x3", data: closer) }
    XCTAssertEqual(e?.code, "sample-covariance-not-pd")
    XCTAssertTrue(e?.message.contains("y ~ x1, y ~ x2, y ~ x3") == true, e?.message ?? "")
  }

  func testEmptyRowsAreDroppedWithAWarning() throws {
    let ref = try SEMReferenceCase("clpm-3wave")
    var cols: [(String, Column)] = []
    for name in ref.data.names {
      let c = ref.data[name]!
      switch c {
      case .numeric(let v): cols.append((name, .numeric(v + [.nan, .nan])))
      case .text(let v): cols.append((name, .text(v + ["X1", "X2"])))
      case .logical(let v): cols.append((name, .logical(v + [nil, nil])))
      }
    }
    let r = try SEM.fit(model: ref.model, data: Table(cols))
    XCTAssertEqual(r.fit.n, 209)
    XCTAssertEqual(r.rowsDropped, 2)
    XCTAssertTrue(r.warnings.contains { $0.code == "empty-rows" && $0.message.hasPrefix("2 rows") }, "\(r.warnings)")
    XCTAssertEqual(r.fit.logLik, (ref.fit["logLik"] as! NSNumber).doubleValue, accuracy: 1e-6)
  }

  /// Listwise deletion uses the 114 complete rows, FIML all 209: different n, same model.
  func testListwiseAndFIMLUseDifferentRows() throws {
    let ref = try SEMReferenceCase("clpm-3wave")
    let fiml = try SEM.fit(model: ref.model, data: ref.data)
    let listwise = try SEM.fit(model: ref.model, data: ref.data, options: SEMOptions(missing: .listwise))
    XCTAssertEqual(fiml.fit.n, 209)
    XCTAssertEqual(listwise.fit.n, 114)
    XCTAssertEqual(listwise.rowsDropped, 95)
    XCTAssertEqual(listwise.patterns.map(\.count), [114])
    XCTAssertEqual(fiml.patterns.count, 3)
    XCTAssertTrue(listwise.warnings.isEmpty)
    XCTAssertNotEqual(fiml.parameter("alliance2", "~", "alliance1")!.est, listwise.parameter("alliance2", "~", "alliance1")!.est)
    XCTAssertEqual(listwise.information, .expected)
    XCTAssertEqual(fiml.information, .observed)
    // Listwise with a mean structure: intercepts reported, one more free parameter each.
    let withMeans = try SEM.fit(
      model: ref.model, data: ref.data, options: SEMOptions(missing: .listwise, meanstructure: true))
    XCTAssertEqual(withMeans.fit.npar, listwise.fit.npar + 6)
    XCTAssertEqual(withMeans.fit.df, listwise.fit.df)
    // χ² = 2·(log L₁ − log L₀): an optimised objective, 1e-6 absolute per log-likelihood (§9).
    XCTAssertEqual(withMeans.fit.chisq, listwise.fit.chisq, accuracy: 2 * Tolerance.objectiveAbsolute)
  }

  func testSyntaxErrorsThroughFit() throws {
    XCTAssertThrowsError(try SEM.fit(model: "y ~ x\ny ~~ ", data: try panel)) { e in
      let s = e as? LavaanSyntaxError
      XCTAssertEqual(s?.line, 2)
    }
  }

  func testInterceptsNeedAMeanStructure() throws {
    let e = statsError {
      try SEM.fit(model: "alliance2 ~ 1 + alliance1", data: try self.panel,
                  options: SEMOptions(missing: .listwise, meanstructure: false))
    }
    XCTAssertEqual(e?.code, "bad-option")
  }

  /// A negative variance (Heywood case) is a warning with the variable's name; the latent
  /// covariance matrix is then not positive definite either.
  func testHeywoodWarnings() throws {
    let ref = try SEMReferenceCase("sem-riclpm-demogrowth-heywood")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let codes = Set(r.warnings.map(\.code))
    XCTAssertEqual(codes, ["negative-variance", "latent-covariance-not-pd"])
    let w = try XCTUnwrap(r.warnings.first { $0.code == "negative-variance" })
    XCTAssertTrue(w.message.contains("latent variable 'RIx'"), w.message)
    XCTAssertFalse(w.remedy.isEmpty)
  }
}
