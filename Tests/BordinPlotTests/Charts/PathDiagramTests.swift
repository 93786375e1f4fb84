import BordinTestSupport
import XCTest

@testable import BordinPlot

final class PathDiagramTests: XCTestCase {
  /// A three-wave cross-lagged panel model of anxiety and depression, as a `clpm` result
  /// would be drawn: autoregressive and cross-lagged paths, the wave-1 covariance and the
  /// residual covariances at waves 2 and 3.
  static func example() -> PathDiagram {
    var nodes: [PathDiagram.Node] = []
    for wave in 0..<3 {
      nodes.append(.init(id: "anx\(wave + 1)", label: "Anxiety T\(wave + 1)", column: wave, row: 0))
      nodes.append(.init(id: "dep\(wave + 1)", label: "Depression T\(wave + 1)", column: wave, row: 1))
    }
    let edges: [PathDiagram.Edge] = [
      .init(from: "anx1", to: "anx2", label: ".52***"), .init(from: "anx2", to: "anx3", label: ".48***"),
      .init(from: "dep1", to: "dep2", label: ".61***"), .init(from: "dep2", to: "dep3", label: ".57***"),
      .init(from: "anx1", to: "dep2", label: ".14*"), .init(from: "anx2", to: "dep3", label: ".11*"),
      .init(from: "dep1", to: "anx2", label: ".04", emphasised: false),
      .init(from: "dep2", to: "anx3", label: "−.02", emphasised: false),
      .init(from: "anx1", to: "dep1", kind: .covariance, label: ".45***"),
      .init(from: "anx2", to: "dep2", kind: .covariance, label: ".21**"),
      .init(from: "anx3", to: "dep3", kind: .covariance, label: ".18*"),
    ]
    return PathDiagram(
      nodes: nodes, edges: edges, columnLabels: ["Wave 1", "Wave 2", "Wave 3"],
      title: "Cross-lagged panel model of anxiety and depression", idPrefix: "fig-clpm")
  }

  func testSnapshot() {
    assertSnapshot(Self.example().svg(), named: "path-diagram.svg")
  }

  func testSameInputGivesSameBytes() {
    XCTAssertEqual(Array(Self.example().svg().utf8), Array(Self.example().svg().utf8))
  }

  func testStructure() {
    let svg = Self.example().svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    let markers = parsed.elements(named: "marker").compactMap { $0["id"] }
    XCTAssertEqual(markers, ["fig-clpm-arrow", "fig-clpm-arrow-start"])
    let arrows = parsed.elements(named: "path").filter { $0["marker-end"] != nil }
    XCTAssertEqual(arrows.count, 11, "one arrow per edge")
    XCTAssertTrue(arrows.allSatisfy { $0["marker-end"] == "url(#fig-clpm-arrow)" })
    let doubleHeaded = arrows.filter { $0["marker-start"] == "url(#fig-clpm-arrow-start)" }
    XCTAssertEqual(doubleHeaded.count, 3)
    XCTAssertEqual(arrows.filter { $0["class"] == "path emphasised" }.count, 6)
    let dashed = arrows.filter { $0["class"] == "path" }
    XCTAssertEqual(dashed.count, 2)
    XCTAssertTrue(dashed.allSatisfy { $0["stroke-dasharray"] != nil })
    XCTAssertEqual(parsed.elements(named: "rect").filter { _ in true }.count, 6 + 11, "6 boxes, 11 label backgrounds")
    XCTAssertTrue(parsed.text.contains("Depression T3"))
    XCTAssertTrue(parsed.text.contains("Wave 2"))
  }

  func testLabelsDoNotOverlap() {
    let parsed = parseXML(Self.example().svg())
    var boxes: [(Double, Double, Double, Double)] = []
    var inLabel = false
    for element in parsed.elements {
      if element.name == "g" { inLabel = element.attributes["class"] == "edge-label" }
      if inLabel && element.name == "rect",
        let x = Double(element.attributes["x"] ?? ""), let y = Double(element.attributes["y"] ?? ""),
        let w = Double(element.attributes["width"] ?? ""), let h = Double(element.attributes["height"] ?? "")
      {
        boxes.append((x, y, x + w, y + h))
      }
    }
    XCTAssertEqual(boxes.count, 11)
    for i in boxes.indices {
      for j in boxes.indices where j > i {
        let a = boxes[i]
        let b = boxes[j]
        XCTAssertFalse(a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3, "labels \(i) and \(j) overlap")
      }
    }
  }

  func testLatentVariablesAreEllipsesAndLongPathsBend() {
    let diagram = PathDiagram(
      nodes: [
        .init(id: "i", label: "Intercept", column: 1, row: -1, shape: .ellipse),
        .init(id: "x1", label: "X1", column: 0, row: 0), .init(id: "x2", label: "X2", column: 1, row: 0),
        .init(id: "x3", label: "X3", column: 2, row: 0),
      ],
      edges: [
        .init(from: "i", to: "x1", label: "1"), .init(from: "i", to: "x2", label: "1"),
        .init(from: "i", to: "x3", label: "1"), .init(from: "x1", to: "x3", label: ".20", emphasised: false),
        .init(from: "x1", to: "x2"), .init(from: "x2", to: "x1"),
      ])
    let svg = diagram.svg()
    assertValidSVG(svg)
    let parsed = parseXML(svg)
    XCTAssertEqual(parsed.elements(named: "ellipse").count, 1)
    let lag2 = parsed.elements(named: "path").first { $0["class"] == "path" }?["d"] ?? ""
    XCTAssertTrue(lag2.contains("Q"), "the lag-2 path bends around X2: \(lag2)")
    XCTAssertEqual(parsed.elements(named: "path").filter { $0["marker-end"] != nil }.count, 6)
  }

  func testGeneratedDescriptionListsTheEdges() {
    let text = Self.example().generatedDescription
    XCTAssertTrue(text.hasPrefix(
      "Path diagram of 6 variables in 3 columns and 2 rows, with 8 directed paths (6 emphasised) and 3 covariances. Paths: Anxiety T1 → Anxiety T2 .52***;"), text)
    XCTAssertTrue(text.contains("Covariances: Anxiety T1 ↔ Depression T1 .45***;"), text)
  }

  /// Boxes named by construct alone (one per wave) are told apart in words by their column.
  func testSharedNamesGetTheirColumnInTheDescription() {
    var d = Self.example()
    for i in d.nodes.indices { d.nodes[i].label = String(d.nodes[i].label.prefix { $0 != " " }) }
    let text = d.generatedDescription
    XCTAssertTrue(text.contains("Paths: Anxiety (Wave 1) → Anxiety (Wave 2) .52***;"), text)
  }

  /// A long name wraps onto lines of at most 10 em, so the box grows taller, not the figure wider.
  func testLongNamesWrapInsteadOfWidening() {
    let name = "Therapist-rated child alliance at four months"
    let lines = PathDiagram.wrap(name, width: 120, fontSize: 12)
    XCTAssertGreaterThan(lines.count, 1)
    XCTAssertEqual(lines.joined(separator: " "), name)
    for l in lines { XCTAssertLessThanOrEqual(TextMetrics.estimatedWidth(l, fontSize: 12), 120, l) }
    XCTAssertEqual(PathDiagram.wrap("tasc_therapist_child", width: 120, fontSize: 12), ["tasc_therapist_", "child"])
    XCTAssertEqual(PathDiagram.wrap("Anx", width: 120, fontSize: 12), ["Anx"])
    let short = Self.example()
    var long = Self.example()
    for i in long.nodes.indices { long.nodes[i].label += " measured by the parent questionnaire at this wave" }
    func width(_ d: PathDiagram) -> Double {
      let svg = d.svg()
      let r = svg.range(of: "width=\"")!
      return Double(svg[r.upperBound...].prefix { $0 != "\"" })!
    }
    XCTAssertLessThan(width(long), width(short) * 1.8, "names wrap; the figure does not grow with them")
  }

  func testHostileLabelsAreInert() {
    let attack = "</svg><script>alert(1)</script>"
    let diagram = PathDiagram(
      nodes: [.init(id: attack, label: attack, column: 0, row: 0), .init(id: "b", label: attack, column: 1, row: 0)],
      edges: [.init(from: attack, to: "b", label: attack), .init(from: attack, to: "b", kind: .covariance, label: attack)],
      columnLabels: [attack], title: attack, idPrefix: attack)
    let svg = diagram.svg()
    XCTAssertFalse(svg.contains("<script"), svg)
    let parsed = parseXML(svg)
    XCTAssertTrue(parsed.elements(named: "script").isEmpty)
    XCTAssertTrue(parsed.text.contains(attack))
    XCTAssertTrue(parsed.elements(named: "marker").allSatisfy { ($0["id"] ?? "").hasPrefix(FigureIDs(prefix: attack).prefix + "-arrow") })
    assertValidSVG(svg)
  }

  func testDegenerateInputsGiveValidSVG() {
    let a = PathDiagram.Node(id: "a", label: "A", column: 0, row: 0)
    let cases: [(String, PathDiagram)] = [
      ("empty", PathDiagram(nodes: [], edges: [])),
      ("edges without nodes", PathDiagram(nodes: [], edges: [.init(from: "a", to: "b")])),
      ("one node", PathDiagram(nodes: [a], edges: [.init(from: "a", to: "a"), .init(from: "a", to: "zz")])),
      ("same cell", PathDiagram(nodes: [a, .init(id: "b", label: "B", column: 0, row: 0)],
                                edges: [.init(from: "a", to: "b"), .init(from: "a", to: "b", kind: .covariance)])),
      ("duplicate ids", PathDiagram(nodes: [a, a, .init(id: "a", label: "other", column: 3, row: 3)], edges: [])),
      ("far apart", PathDiagram(nodes: [a, .init(id: "z", label: "Z", column: Int.max, row: Int.min)],
                                edges: [.init(from: "a", to: "z")])),
      ("negative grid", PathDiagram(nodes: [a, .init(id: "b", label: "", column: -2, row: -1)],
                                    edges: [.init(from: "b", to: "a", kind: .covariance)])),
      ("bad gaps", PathDiagram(nodes: [a], edges: [], columnGap: .nan, rowGap: -5)),
    ]
    for (name, diagram) in cases {
      let svg = diagram.svg()
      XCTAssertTrue(parseXML(svg).isWellFormed, name)
      assertValidSVG(svg)
      XCTAssertEqual(svg, diagram.svg(), name)
    }
    XCTAssertTrue(PathDiagram(nodes: [], edges: []).svg().contains(">No variables to draw</text>"))
  }
}
