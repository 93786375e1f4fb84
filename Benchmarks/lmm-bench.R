# lme4 on the data of Benchmarks/LMMBenchmark (lmm-bench --csv DIR writes DIR/growth-ROWS.csv).
#
#   Rscript Benchmarks/lmm-bench.R DIR [ROWS …]        (default: 8000 80000 1000000)
#   LMERTEST=1 Rscript Benchmarks/lmm-bench.R DIR …    (also time lmerTest's Satterthwaite df)
#
# Fits y ~ wave * x + (1 + wave | patient) + (1 | therapist) by REML with lme4's defaults and
# prints the wall time, the REML criterion, θ and the number of deviance evaluations.
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "."
sizes <- if (length(args) >= 2) as.integer(args[-1]) else c(8000L, 80000L, 1000000L)
lmertest <- nzchar(Sys.getenv("LMERTEST"))
if (lmertest) suppressMessages(library(lmerTest))
cat("rows\tread_s\tfit_s\tevaluations\tcriterion\ttheta\n")
for (n in sizes) {
  t0 <- proc.time()[["elapsed"]]
  d <- read.csv(file.path(dir, sprintf("growth-%d.csv", n)))
  t1 <- proc.time()[["elapsed"]]
  fit <- lme4::lmer(y ~ wave * x + (1 + wave | patient) + (1 | therapist), d, REML = TRUE)
  t2 <- proc.time()[["elapsed"]]
  cat(sprintf("%d\t%.3f\t%.3f\t%d\t%.10f\t%s\n", n, t1 - t0, t2 - t1, fit@optinfo$feval,
              REMLcrit(fit), paste(sprintf("%.8f", getME(fit, "theta")), collapse = ",")))
  if (lmertest) {
    t3 <- proc.time()[["elapsed"]]
    fit2 <- lmerTest::lmer(y ~ wave * x + (1 + wave | patient) + (1 | therapist), d, REML = TRUE)
    s <- summary(fit2)$coefficients
    t4 <- proc.time()[["elapsed"]]
    cat(sprintf("  lmerTest fit + df: %.3f s\n", t4 - t3))
    print(s, digits = 10)
  }
}
