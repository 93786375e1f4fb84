// lmm-bench: times Bordin's linear mixed model on DESIGN.md §10's growth design.
//
//   swift build -c release --product lmm-bench
//   .build/release/lmm-bench [--csv DIR] [--ml] [ROWS …]     (default: 8000 80000 1000000)
//   .build/release/lmm-bench --data FILE.csv --formula F [--repeat K] [--xtol BOBYQA_RADIUS] [--ftol BOBYQA_FTOL_ABS|none] [--xtol-rel R|none]
//
// For each size it generates SimulatedGrowthDesign(rows:) (seed 1979), fits
// `y ~ wave * x + (1 + wave | patient) + (1 | therapist)` by REML twice — without and with
// lmerTest's Satterthwaite df — and prints the wall times, the REML criterion and the number of
// deviance evaluations. With --csv DIR it also writes DIR/growth-ROWS.csv for
// Benchmarks/lmm-bench.R, which fits the same data with lme4.
//
// With --data and --formula it instead reads a CSV (e.g. lme4's InstEval written by R) and fits
// that formula by REML K times (default 1) with Satterthwaite df, printing the read time, each
// fit's wall time, the evaluations, the REML criterion and θ.

import BordinData
import BordinSimulation
import BordinStats
import Foundation

// One BLAS thread from the start, as the `bordin` command runs (no spinning OpenBLAS workers).
LinearAlgebra.releaseBLASThreads()

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

var sizes: [Int] = []
var csvDirectory: String? = nil
var reml = true
var dataPath: String? = nil
var formula: String? = nil
var repeats = 1
var xtol = LMMOptions().xtolAbs
var ftol = LMMOptions().ftolAbs
var xtolRel = LMMOptions().xtolRel
var arguments = CommandLine.arguments.dropFirst()
while let a = arguments.popFirst() {
  switch a {
  case "--csv": csvDirectory = arguments.popFirst()
  case "--ml": reml = false
  case "--data": dataPath = arguments.popFirst()
  case "--formula": formula = arguments.popFirst()
  case "--xtol": xtol = Double(arguments.popFirst() ?? "") ?? xtol
  case "--ftol": ftol = Double(arguments.popFirst() ?? "")
  case "--xtol-rel": xtolRel = Double(arguments.popFirst() ?? "")
  case "--repeat": repeats = max(1, Int(arguments.popFirst() ?? "1") ?? 1)
  default:
    guard let n = Int(a), n >= 50 else {
      FileHandle.standardError.write("usage: lmm-bench [--csv DIR] [--ml] [ROWS …]\n".data(using: .utf8)!)
      exit(2)
    }
    sizes.append(n)
  }
}

if let path = dataPath, let f = formula {
  var table = Table()
  let tRead = try seconds {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    table = try CSVReader.read(bytes)
  }
  print("rows\tread_s\tfit_s\tevaluations\tcriterion\ttheta")
  for _ in 0..<repeats {
    var fit: LMMResult? = nil
    let tFit = try seconds { fit = try MixedModel.fit(f, data: table, options: LMMOptions(reml: reml, xtolAbs: xtol, ftolAbs: ftol, xtolRel: xtolRel)) }
    guard let r = fit else { continue }
    let theta = r.theta.map { String(format: "%.8f", $0) }.joined(separator: ",")
    print(
      "\(table.rowCount)\t\(String(format: "%.3f", tRead))\t\(String(format: "%.3f", tFit))\t"
        + "\(r.evaluations)\t\(String(format: "%.10f", r.deviance))\t\(theta)")
  }
  exit(0)
}
if sizes.isEmpty { sizes = [8_000, 80_000, 1_000_000] }

print("rows\tpatients\ttherapists\tgenerate_s\tfit_s\tfit_df_s\tevaluations\tcriterion\ttheta")
for rows in sizes {
  let design = SimulatedGrowthDesign(rows: rows)
  var table = Table()
  let tGen = seconds { table = design.table() }
  if let dir = csvDirectory {
    let path = "\(dir)/growth-\(rows).csv"
    try design.csv().write(toFile: path, atomically: true, encoding: .utf8)
  }
  var fit: LMMResult? = nil
  let tFit = try seconds {
    fit = try MixedModel.fit(
      SimulatedGrowthDesign.formula, data: table, options: LMMOptions(reml: reml, df: .none))
  }
  var withDF: LMMResult? = nil
  let tDF = try seconds {
    withDF = try MixedModel.fit(SimulatedGrowthDesign.formula, data: table, options: LMMOptions(reml: reml))
  }
  guard let r = fit, let s = withDF else { continue }
  precondition(r.deviance == s.deviance, "the two fits differ")
  let theta = r.theta.map { String(format: "%.17g", $0) }.joined(separator: ",")
  print(
    "\(rows)\t\(design.patients)\t\(design.therapists)\t\(String(format: "%.3f", tGen))\t"
      + "\(String(format: "%.3f", tFit))\t\(String(format: "%.3f", tDF))\t\(r.evaluations)\t"
      + "\(String(format: "%.10f", r.deviance))\t\(theta)")
  for f in s.fixed {
    print("  \(f.term)\t\(f.estimate)\t\(f.se)\t\(f.df)")
  }
}
