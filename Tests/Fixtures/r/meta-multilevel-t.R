# R 4.2.2 + metafor 3.8-1: rma.mv(test = "t") on metadat's dat.konstantopoulos2011 (the
# three-level case of meta3-konstantopoulos2011), behind Tests/Fixtures/meta-multilevel-t.json
# (MetaMultilevelTTests). Run from the package root:
#   Rscript Tests/Fixtures/r/meta-multilevel-t.R
# test = "t": the same fit as test = "z" (SEs unscaled), t statistics with k - p df, t-based
# CIs, QM as F(m, k - p) = QM/m, and the prediction interval with the t(k - p) quantile.
suppressMessages({ library(metafor); library(jsonlite) })
tight_mv <- list(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
num <- function(x) unname(as.numeric(x))
kon <- read.csv("Tests/Fixtures/data/meta-konstantopoulos2011.csv")
fit <- function(m) list(k = m$k, coef = num(m$beta), se = num(m$se), t = num(m$zval),
                        df = if (m$test == "t") m$ddf[1] else NULL, p = num(m$pval), ci_lb = num(m$ci.lb), ci_ub = num(m$ci.ub),
                        sigma2 = num(m$sigma2), QM = num(m$QM), QM_df1 = m$QMdf[1],
                        QM_df2 = m$QMdf[2], QM_p = num(m$QMp), logLik = num(logLik(m)))
res <- list()
m <- rma.mv(yi, vi, random = ~ 1 | district/school, data = kon, test = "t", control = tight_mv)
pr <- predict(m)
res$kon_t <- c(fit(m), list(pi_lb = num(pr$pi.lb), pi_ub = num(pr$pi.ub)))
m90 <- rma.mv(yi, vi, random = ~ 1 | district/school, data = kon, test = "t", level = 90, control = tight_mv)
pr90 <- predict(m90)
res$kon_t_90 <- c(fit(m90), list(pi_lb = num(pr90$pi.lb), pi_ub = num(pr90$pi.ub)))
m <- rma.mv(yi, vi, mods = ~ year, random = ~ 1 | district/school, data = kon, test = "t", control = tight_mv)
res$kon_year_t <- fit(m)
# The multilevel Egger test: the standard errors as a moderator (Sterne & Egger 2005; the
# "rma.mv with sei as a moderator" variant), z and t tests; the intercept is the limit estimate.
kon$sei <- sqrt(kon$vi)
m <- rma.mv(yi, vi, mods = ~ sei, random = ~ 1 | district/school, data = kon, control = tight_mv)
res$kon_egger_z <- fit(m)
m <- rma.mv(yi, vi, mods = ~ sei, random = ~ 1 | district/school, data = kon, test = "t", control = tight_mv)
res$kon_egger_t <- fit(m)
writeLines(toJSON(list(id = "meta-multilevel-t", source = "Tests/Fixtures/r/meta-multilevel-t.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       metafor = as.character(packageVersion("metafor"))),
                       results = res),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           "Tests/Fixtures/meta-multilevel-t.json")
