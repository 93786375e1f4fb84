// swift-tools-version:6.0
// Bordin: Markdown reports with embedded analysis directives → self-contained HTML.
// Layering (DESIGN.md §7): bordin → BordinReport → BordinSimulation → {BordinStats, BordinPlot} → BordinData → C shims.
// ARCHITECTURE.md walks through the targets and their family folders.
import PackageDescription

let package = Package(
  name: "Bordin",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "bordin", targets: ["bordin"]),
    .library(name: "BordinReport", targets: ["BordinReport"]),
    .library(name: "BordinStats", targets: ["BordinStats"]),
    .library(name: "BordinSimulation", targets: ["BordinSimulation"]),
    .library(name: "BordinData", targets: ["BordinData"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
  ],
  targets: [
    // C shims: module.modulemap + shim.h, nothing else.
    .systemLibrary(name: "CCmarkGFM", path: "Sources/CCmarkGFM", pkgConfig: "libcmark-gfm",
                   providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
    // Headers only: LAPACKE and OpenBLAS are opened at run time (LinearAlgebra.swift).
    .systemLibrary(name: "CLapacke", path: "Sources/CLapacke",
                   providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
    .systemLibrary(name: "CRmath", path: "Sources/CRmath", pkgConfig: "libRmath",
                   providers: [.apt(["r-mathlib"])]),
    .systemLibrary(name: "CNLopt", path: "Sources/CNLopt", pkgConfig: "nlopt",
                   providers: [.apt(["libnlopt-dev"])]),
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                   providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CReadStat", path: "Sources/CReadStat",
                   providers: [.apt(["libreadstat-dev"])]),

    .target(name: "BordinData", dependencies: ["CSQLite", "CReadStat"]),
    .target(name: "BordinStats", dependencies: ["BordinData", "CLapacke", "CRmath", "CNLopt"]),
    // The study simulators (designs with known true values); public BordinStats API only.
    .target(name: "BordinSimulation", dependencies: ["BordinData", "BordinStats"]),
    .target(name: "BordinPlot"),
    .target(name: "BordinReport", dependencies: [
      "BordinData", "BordinStats", "BordinSimulation", "BordinPlot", "CCmarkGFM",
      .product(name: "Yams", package: "Yams"),
      .product(name: "Crypto", package: "swift-crypto"),
    ]),
    .executableTarget(name: "bordin", dependencies: [
      "BordinReport", "BordinStats",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    .executableTarget(name: "lmm-bench", dependencies: ["BordinStats", "BordinSimulation"], path: "Benchmarks/LMMBenchmark"),

    // Shared by the test targets: the tolerance table (DESIGN.md §9), assertClose, fixture paths,
    // snapshots.
    .target(name: "BordinTestSupport", dependencies: ["BordinData"], path: "Tests/BordinTestSupport"),
    .testTarget(name: "BordinDataTests", dependencies: ["BordinData", "BordinTestSupport"]),
    .testTarget(name: "BordinStatsTests", dependencies: ["BordinStats", "BordinTestSupport"]),
    .testTarget(name: "BordinSimulationTests", dependencies: ["BordinSimulation", "BordinStats", "BordinTestSupport"]),
    .testTarget(name: "BordinPlotTests", dependencies: ["BordinPlot", "BordinTestSupport"], exclude: ["Snapshots"]),
    .testTarget(name: "BordinReportTests", dependencies: ["BordinReport", "BordinTestSupport"]),
  ]
)
