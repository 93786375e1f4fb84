import XCTest

@testable import BordinReport

/// The directive definitions are the single source of truth (issue 17): the option readers take
/// allowed values and defaults from them, so every declared default must be valid for its type,
/// and what the pipeline needs to know about a kind is a declared trait.
final class DirectiveDefinitionTests: XCTestCase {
  func testEveryDeclaredDefaultIsValidForItsType() {
    for def in directiveDefinitions {
      var seen = Set<String>()
      for spec in def.options + DirectiveDefinition.commonOptions {
        XCTAssertTrue(seen.insert(spec.name).inserted, "\(def.name) declares '\(spec.name)' twice")
        guard let d = spec.defaultValue else { continue }
        switch spec.type {
        case .choice(let allowed): XCTAssertTrue(allowed.contains(d), "\(def.name).\(spec.name): default \(d) not in \(allowed)")
        case .bool: XCTAssertTrue(d == "true" || d == "false", "\(def.name).\(spec.name): default \(d)")
        case .number: XCTAssertNotNil(Double(d), "\(def.name).\(spec.name): default \(d)")
        case .integer: XCTAssertNotNil(Int(d), "\(def.name).\(spec.name): default \(d)")
        default: break
        }
        XCTAssertFalse(spec.required, "\(def.name).\(spec.name) is required yet has a default")
      }
    }
  }

  func testTraitsAreDeclaredOnTheDefinitions() {
    let cacheable = directiveDefinitions.filter { $0.traits.contains(.cacheable) }.map(\.name)
    XCTAssertEqual(Set(cacheable), ["describe", "correlate", "regress", "ttest", "lmm", "growth", "meta", "sem", "clpm",
                                    "agree", "kappa", "reliability", "discrepancy", "glm", "crosstab", "change", "anova"])
    XCTAssertEqual(directiveDefinitions.filter { $0.traits.contains(.presentation) }.map(\.name), ["table", "plot"])
    XCTAssertEqual(directiveDefinitions.filter { $0.traits.contains(.figure) }.map(\.name), ["plot"])
    XCTAssertEqual(directiveDefinitions.filter { $0.traits.contains(.dataset) }.map(\.name), ["data"])
    XCTAssertNotNil(directiveDefinition("compare")?.references)
    XCTAssertNotNil(directiveDefinition("recovery")?.references)
  }

  func testEveryPlotTypeHasADefaultSizeAndTheHelpShowsIt() throws {
    XCTAssertEqual(PlotDirective.defaultSizes.map(\.type), PlotDirective.types)
    let width = try XCTUnwrap(directiveDefinition("plot")?.option("width"))
    XCTAssertTrue(width.help.contains("forest 640"), width.help)
    XCTAssertTrue(width.help.contains("surface 540"), width.help)
  }

  func testAContentSizedPlotRefusesASizeInsteadOfIgnoringIt() throws {
    let p = TestProject()
    p.write("d.csv", "study,yi,vi\na,0.1,0.01\nb,0.3,0.02\nc,0.2,0.015\n")
    let errors = p.errors("---\ndata:\n  d: d.csv\n---\n\n```{meta #m}\ndata: d\nyi: yi\nvi: vi\nstudy: study\n```\n\n```{plot #fig-f}\ntype: forest\nof: m\nheight: 300\n```\n")
    XCTAssertEqual(errors.map(\.code), ["option-value"])
    XCTAssertEqual(errors.first?.line, 16)
    XCTAssertTrue(errors.first?.message.contains("sizes its height to its content") ?? false, "\(errors)")
  }
}
