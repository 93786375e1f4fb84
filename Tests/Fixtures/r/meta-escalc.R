# R 4.2.2 + metafor 3.8-1 + metadat calls behind Tests/Fixtures/meta-escalc.json (BCGEscalcTests,
# MetaEscalcDirectiveTests). Run from the package root:
#   Rscript Tests/Fixtures/r/meta-escalc.R
# It writes Tests/Fixtures/meta-escalc.json and Tests/Fixtures/data/meta-bcg-counts.csv
# (metadat::dat.bcg: tpos, tneg, cpos, cneg, plus n1 = tpos + tneg, n2 = cpos + cneg) and
# Tests/Fixtures/data/meta-zero-cells.csv (a made-up 2 x 2 set with zero cells, for the
# continuity correction add = 1/2, to = "only0", and drop00).
suppressMessages({ library(metafor); library(jsonlite) })
tight <- list(threshold = 1e-12, maxiter = 10000)
num <- function(x) unname(as.numeric(x))
bcg <- metadat::dat.bcg
bcg$n1 <- bcg$tpos + bcg$tneg
bcg$n2 <- bcg$cpos + bcg$cneg
write.csv(bcg[, c("trial", "author", "year", "tpos", "tneg", "cpos", "cneg", "n1", "n2", "ablat")],
          "Tests/Fixtures/data/meta-bcg-counts.csv", row.names = FALSE)
zero <- data.frame(study = c("A", "B", "C", "D", "E"), ai = c(0, 3, 0, 12, 5), bi = c(20, 17, 25, 8, 0),
                   ci = c(4, 0, 0, 9, 2), di = c(16, 20, 25, 11, 18))
write.csv(zero, "Tests/Fixtures/data/meta-zero-cells.csv", row.names = FALSE)

fit <- function(measure, d) {
  es <- escalc(measure, ai = d$tpos, bi = d$tneg, ci = d$cpos, di = d$cneg)
  res <- rma(yi, vi, data = es, method = "REML", control = tight)
  pr <- predict(res, transf = if (measure == "RD") NULL else exp)
  out <- list(yi = num(es$yi), vi = num(es$vi), k = res$k, estimate = num(res$beta), se = num(res$se),
              z = num(res$zval), p = num(res$pval), ci_lb = num(res$ci.lb), ci_ub = num(res$ci.ub),
              tau2 = num(res$tau2), I2 = num(res$I2), H2 = num(res$H2), Q = num(res$QE), Q_p = num(res$QEp),
              pi_lb = num(pr$pi.lb), pi_ub = num(pr$pi.ub))
  if (measure != "RD") {
    out$exp_estimate <- num(pr$pred); out$exp_ci_lb <- num(pr$ci.lb); out$exp_ci_ub <- num(pr$ci.ub)
    out$exp_pi_lb <- num(pr$pi.lb); out$exp_pi_ub <- num(pr$pi.ub)
    p0 <- predict(res); out$pi_lb <- num(p0$pi.lb); out$pi_ub <- num(p0$pi.ub)
  }
  out
}
esc <- function(measure, d, ...) { es <- escalc(measure, ai = d$ai, bi = d$bi, ci = d$ci, di = d$di, ...); list(yi = num(es$yi), vi = num(es$vi)) }
results <- list(
  bcg_RR = fit("RR", bcg),
  bcg_OR = fit("OR", bcg),
  bcg_RD = fit("RD", bcg),
  zero_RR = esc("RR", zero),
  zero_OR = esc("OR", zero),
  zero_RD = esc("RD", zero),
  zero_RR_drop00 = esc("RR", zero, drop00 = TRUE),
  zero_OR_drop00 = esc("OR", zero, drop00 = TRUE))
out <- list(id = "meta-escalc", source = "Tests/Fixtures/r/meta-escalc.R",
            versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                            metafor = as.character(packageVersion("metafor"))),
            results = results)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "Tests/Fixtures/meta-escalc.json")
