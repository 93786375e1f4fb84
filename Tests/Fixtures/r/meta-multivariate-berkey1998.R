# R 4.2.2 + metafor 3.8-1: multivariate meta-analysis with an unstructured between-study
# covariance, rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN"),
# on metadat's dat.berkey1998 (Berkey, Hoaglin, Antczak-Bouckoms, Mosteller & Colditz 1998,
# Statistics in Medicine 17, 2537-2550), behind Tests/Fixtures/meta-berkey1998.json and
# Tests/Fixtures/data/meta-berkey1998.csv (Berkey1998Tests). Run from the package root:
#   Rscript Tests/Fixtures/r/meta-multivariate-berkey1998.R
# V is built as the dataset's help page builds it, vcalc(vi = 1, cluster, rvars = c(v1i, v2i)):
# within a trial, row a's column b is cov(row a, row b) (lower triangle). The fits use bobyqa
# to rhoend 1e-12 so that the reference is the REML/ML optimum, not nlminb's stopping point.
suppressMessages({ library(metafor); library(jsonlite) })
tight <- list(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
num <- function(x) unname(as.numeric(x))
dat <- dat.berkey1998
write.csv(dat[, c("trial", "author", "year", "ni", "outcome", "yi", "vi", "v1i", "v2i")],
          "Tests/Fixtures/data/meta-berkey1998.csv", row.names = FALSE)
dat <- read.csv("Tests/Fixtures/data/meta-berkey1998.csv")
fit <- function(m) {
  out <- list(k = m$k, terms = rownames(m$beta), coef = num(m$beta), se = num(m$se), stat = num(m$zval),
              p = num(m$pval), ci_lb = num(m$ci.lb), ci_ub = num(m$ci.ub),
              tau2 = num(m$tau2), rho = num(m$rho), levels = m$g.levels.f[[1]], k_lvl = num(m$g.levels.k),
              groups = m$g.nlevels[2], QE = num(m$QE), QE_df = m$k - m$p, QE_p = num(m$QEp),
              QM = num(m$QM), QM_df = m$QMdf[1], QM_p = num(m$QMp),
              logLik = num(logLik(m)), deviance = num(deviance(m)), AIC = num(AIC(m)), BIC = num(BIC(m)))
  if (m$test == "t") { out$df <- m$ddf[1]; out$QM_df2 <- m$QMdf[2] }
  out
}
V <- vcalc(vi = 1, cluster = trial, rvars = c(v1i, v2i), data = dat)
res <- list()
res$reml <- fit(rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN",
                       data = dat, control = tight))
res$ml_year <- fit(rma.mv(yi, V, mods = ~ outcome + outcome:I(year - 1983) - 1, random = ~ outcome | trial,
                          struct = "UN", data = dat, method = "ML", control = tight))
res$reml_t <- fit(rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN",
                         data = dat, test = "t", control = tight))
res$reml_intercept <- fit(rma.mv(yi, V, random = ~ outcome | trial, struct = "UN", data = dat, control = tight))
# The other structures: compound symmetry (metafor's default for ~ outcome | trial), diagonal.
res$reml_cs <- fit(rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "CS",
                          data = dat, control = tight))
res$reml_diag <- fit(rma.mv(yi, V, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "DIAG",
                            data = dat, control = tight))
# A trial with one outcome only: Becker et al. without its AL row (row 10), V from the same rvars.
d9 <- dat[-10, ]
V9 <- vcalc(vi = 1, cluster = trial, rvars = c(v1i, v2i), data = d9)
res$one_outcome <- fit(rma.mv(yi, V9, mods = ~ outcome - 1, random = ~ outcome | trial, struct = "UN",
                              data = d9, control = tight))
# The same nine rows with year as a moderator (ML): the between-trial correlation goes to 1, the
# boundary of the parameter space.
res$boundary_ml_year <- fit(rma.mv(yi, V9, mods = ~ outcome + outcome:I(year - 1983) - 1, random = ~ outcome | trial,
                                   struct = "UN", data = d9, method = "ML", control = tight))
writeLines(toJSON(list(id = "meta-berkey1998", source = "Tests/Fixtures/r/meta-multivariate-berkey1998.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       metafor = as.character(packageVersion("metafor"))),
                       results = res),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           "Tests/Fixtures/meta-berkey1998.json")
