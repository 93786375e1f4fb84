import ArgumentParser
import BordinReport

/// `bordin describe-data FILE` (alias `data`): the codebook of a data file as Bordin reads it.
struct DescribeData: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe-data",
    abstract: "Print the codebook of a data file (SPSS, Stata, SAS or CSV): names, labels, types, levels, missing counts.",
    aliases: ["data"])

  @Argument(help: "The data file (.sav, .zsav, .por, .dta, .sas7bdat, .csv, .tsv).")
  var file: String

  @Option(help: "The format when the extension does not tell: spss, stata, sas or csv.")
  var format: String?

  @Option(name: .customLong("user-missing"), help: "drop (default: user-missing codes are missing) or keep.")
  var userMissing: String = "drop"

  @Option(name: .customLong("value-labels"), help: "factors (default: labelled columns are factors) or codes.")
  var valueLabels: String = "factors"

  func validate() throws {
    guard ["drop", "keep"].contains(userMissing) else { throw ValidationError("--user-missing must be drop or keep; got '\(userMissing)'") }
    guard ["factors", "codes"].contains(valueLabels) else { throw ValidationError("--value-labels must be factors or codes; got '\(valueLabels)'") }
  }

  func run() throws {
    var o = Codebook.Options()
    o.format = format
    o.userMissingKeep = userMissing == "keep"
    o.valueLabelCodes = valueLabels == "codes"
    do {
      print(escapeControls(try Codebook.describe(path: file, options: o), keepNewlines: true), terminator: "")
    } catch {
      printError(error.description)
      throw ExitCode(1)
    }
  }
}
