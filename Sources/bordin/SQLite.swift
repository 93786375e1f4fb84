import ArgumentParser
import BordinReport
import Foundation

struct SQLite: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sqlite",
    abstract: "Build an SQLite database from CSV files, one table per file (named after it).")

  @Argument(help: "The database to write (replaced).")
  var database: String

  @Argument(help: "CSV or TSV files.")
  var files: [String]

  func validate() throws {
    try OutputPaths.checkFile(database, option: "the database")
    if let clash = DatabaseBuilder.inputClash(database: database, csvFiles: files) {
      throw ValidationError("the database '\(database)' is the input '\(clash)'; writing it would destroy that file. Give another database path")
    }
  }

  func run() throws {
    do {
      try DatabaseBuilder.build(database: database, csvFiles: files)
      say(database)
    } catch {
      printError(error.description)
      throw ExitCode(1)
    }
  }
}
