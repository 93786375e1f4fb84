# R 4.2.2 (lme4 1.1-31, lmerTest 3.1-3) calls behind Tests/Fixtures/lmm-insteval.json and
# Tests/Fixtures/data/insteval-sub.csv: lme4's InstEval restricted to its first 300 students (a
# subsample small enough for the debug-build tests; the full data set is Benchmarks/bench.sh's
# crossed random-effects benchmark), fitted as y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept):
# three crossed grouping factors, the lecturer block stored dense.
# Run from the package root: Rscript Tests/Fixtures/r/lmm-insteval.R
# The helpers (js, tight, describe) are lmm-references.R's function definitions.
for (e in parse("Tests/Fixtures/r/lmm-references.R")) {
  if (is.call(e) && identical(e[[1]], as.name("<-")) && is.call(e[[3]]) &&
      identical(e[[3]][[1]], as.name("function"))) eval(e)
}
suppressMessages({ library(lme4); library(lmerTest) })
data(InstEval)
sub <- droplevels(InstEval[as.integer(as.character(InstEval$s)) <= 300, c("y", "service", "s", "d", "dept")])
sub$service <- as.integer(as.character(sub$service))
write.csv(sub, "Tests/Fixtures/data/insteval-sub.csv", row.names = FALSE)
d <- read.csv("Tests/Fixtures/data/insteval-sub.csv", colClasses = c(s = "character", d = "character", dept = "character"))
cases <- list(
  insteval_sub_reml = describe(tight(y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept), d, TRUE))
)
out <- paste0('{"source": "Tests/Fixtures/r/lmm-insteval.R", "versions": {"R": "',
              getRversion(), '", "lme4": "', packageVersion("lme4"), '", "lmerTest": "',
              packageVersion("lmerTest"), '"}, "cases": ', js(cases), "}\n")
writeLines(out, "Tests/Fixtures/lmm-insteval.json")
