// swift-tools-version:6.0
// libFuzzer targets for Bordin's parsers. Built only by `make fuzz` (Scripts/fuzz.sh), with
// -sanitize=fuzzer,address and -parse-as-library so that libFuzzer supplies main().
import PackageDescription

let package = Package(
  name: "BordinFuzz",
  dependencies: [.package(name: "Bordin", path: "..")],
  targets: [
    .executableTarget(name: "fuzz-csv", dependencies: [.product(name: "BordinData", package: "Bordin")]),
    .executableTarget(name: "fuzz-expression", dependencies: [.product(name: "BordinData", package: "Bordin")]),
    .executableTarget(name: "fuzz-formula", dependencies: [.product(name: "BordinStats", package: "Bordin")]),
    .executableTarget(name: "fuzz-directive", dependencies: [.product(name: "BordinReport", package: "Bordin")]),
    .executableTarget(name: "fuzz-lavaan", dependencies: [.product(name: "BordinStats", package: "Bordin")]),
    // fuzz-bibtex and fuzz-frontmatter (issue 15): BibTeX fields and front matter from a stranger.
    .executableTarget(name: "fuzz-bibtex", dependencies: [.product(name: "BordinReport", package: "Bordin")]),
    .executableTarget(name: "fuzz-frontmatter", dependencies: [.product(name: "BordinReport", package: "Bordin")]),
  ]
)

// fuzz-verify: `bordin verify`'s reader (a results.json + page pair, no rendering).
package.targets.append(.executableTarget(name: "fuzz-verify", dependencies: [.product(name: "BordinReport", package: "Bordin")]))

// fuzz-readstat: SPSS, Stata and SAS files through ReadStat (issue 22).
package.targets.append(.executableTarget(name: "fuzz-readstat", dependencies: [.product(name: "BordinData", package: "Bordin")]))
