# lme4 on its own InstEval data, the crossed random-effects benchmark of Benchmarks/bench.sh.
#
#   Rscript Benchmarks/insteval-bench.R DIR      (writes DIR/insteval.csv for lmm-bench --data)
#   Rscript Benchmarks/insteval-bench.R DIR fit  (times lme4's fit; prints the same columns as
#                                                 lmm-bench --data)
#
# Fits y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept) by REML with lme4's defaults
# (73,421 rows; 2,972 students × 1,128 lecturers × 14 departments).
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
if (length(args) < 2) {
  write.csv(InstEval, file.path(dir, "insteval.csv"), row.names = FALSE)
} else {
  cat("rows\tread_s\tfit_s\tevaluations\tcriterion\ttheta\n")
  t1 <- proc.time()[["elapsed"]]
  fit <- lmer(y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept), InstEval, REML = TRUE)
  t2 <- proc.time()[["elapsed"]]
  cat(sprintf("%d\t%.3f\t%.3f\t%d\t%.10f\t%s\n", nrow(InstEval), 0, t2 - t1, fit@optinfo$feval,
              REMLcrit(fit), paste(sprintf("%.8f", getME(fit, "theta")), collapse = ",")))
}
