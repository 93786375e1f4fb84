# R 4.2.2 + metafor 3.8-1 calls (at the optimum, see tight_uni) behind Tests/Fixtures/meta-extra.json (MetaExtraTests,
# MetaEdgeCaseTests). Run from the package root:
#   Rscript Tests/Fixtures/r/meta-extra.R
# It writes Tests/Fixtures/meta-extra.json and Tests/Fixtures/data/meta-normand1999.csv.
suppressMessages({ library(metafor); library(jsonlite) })

# Every fit at the optimum, not at metafor's default stopping point (threshold 1e-5, which leaves
# p-values and R^2 up to 1e-3 relative off): Fisher scoring to |delta tau^2| < 1e-12, rma.mv by
# bobyqa to rhoend 1e-12. trimfill() and regtest() refit with the fit's own control.
tight_uni <- list(threshold = 1e-12, maxiter = 10000)
tight_mv <- list(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
tight <- function(fun, control) function(...) {
  cl <- match.call(); cl[[1]] <- fun; cl$control <- control; eval(cl, parent.frame())
}
rma <- tight(quote(metafor::rma), tight_uni)
rma.mv <- tight(quote(metafor::rma.mv), tight_mv)

num <- function(x) if (is.null(x) || length(x) == 0 || all(is.na(x))) NULL else unname(as.numeric(x))

# The fields of DESIGN.md §3 from an rma.uni fit (+ confint + predict).
uni <- function(res, ci = TRUE) {
  out <- list(k = res$k, method = res$method, estimate = num(res$beta[1]), se = num(res$se[1]),
              p = num(res$pval[1]), ci_lb = num(res$ci.lb[1]), ci_ub = num(res$ci.ub[1]),
              tau2 = num(res$tau2), se_tau2 = num(res$se.tau2), I2 = num(res$I2), H2 = num(res$H2),
              Q = num(res$QE), Q_df = res$k - res$p, Q_p = num(res$QEp),
              logLik = num(logLik(res)))
  if (res$test == "z") out$z <- num(res$zval[1]) else { out$t <- num(res$zval[1]); out$df <- res$ddf }
  if (ci && !is.element(res$method, c("FE", "EE", "CE"))) {
    cf <- suppressWarnings(confint(res))
    if (!isTRUE(cf$ci.null)) {
      out$tau2_ci_lb <- num(cf$random[1, 2]); out$tau2_ci_ub <- num(cf$random[1, 3])
      out$I2_ci_lb <- num(cf$random[3, 2]); out$I2_ci_ub <- num(cf$random[3, 3])
      out$H2_ci_lb <- num(cf$random[4, 2]); out$H2_ci_ub <- num(cf$random[4, 3])
    } else out$tau2_ci_null <- TRUE
  }
  if (res$int.only) {
    pr <- predict(res)
    out$pi_lb <- num(pr$pi.lb); out$pi_ub <- num(pr$pi.ub)
  } else {
    out$coef <- as.list(setNames(num(res$beta), rownames(res$beta)))
    out$coef_se <- as.list(setNames(num(res$se), rownames(res$beta)))
    out$coef_p <- as.list(setNames(num(res$pval), rownames(res$beta)))
    out$coef_ci_lb <- as.list(setNames(num(res$ci.lb), rownames(res$beta)))
    out$coef_ci_ub <- as.list(setNames(num(res$ci.ub), rownames(res$beta)))
    out$QM <- num(res$QM); out$QM_df <- num(res$QMdf[1]); out$QM_p <- num(res$QMp)
    if (!is.na(res$QMdf[2])) out$QM_df2 <- num(res$QMdf[2])
    out$R2 <- num(res$R2)
  }
  out
}
methods <- c("FE", "DL", "HE", "HS", "SJ", "PM", "EB", "ML", "REML")
allmethods <- function(yi, vi, ...) {
  out <- list()
  for (m in methods) out[[m]] <- uni(suppressWarnings(rma(yi, vi, method = m, ...)))
  out
}

mol <- read.csv("Tests/Fixtures/data/meta-molloy2014.csv")
mol <- escalc("ZCOR", ri = ri, ni = ni, data = mol)
bcg <- read.csv("Tests/Fixtures/data/meta-bcg.csv")
kon <- read.csv("Tests/Fixtures/data/meta-konstantopoulos2011.csv")
res <- list()

# 1. escalc ZCOR values (the 16 Molloy studies).
res$zcor <- list(yi = num(mol$yi), vi = num(mol$vi))

# 2. SMD (Hedges' g, vtype LS) from dat.normand1999, and its REML pooling.
nor <- dat.normand1999[, c("study", "source", "n1i", "m1i", "sd1i", "n2i", "m2i", "sd2i")]
write.csv(nor, "Tests/Fixtures/data/meta-normand1999.csv", row.names = FALSE)
smd <- escalc("SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = nor)
res$smd <- list(yi = num(smd$yi), vi = num(smd$vi), REML = uni(rma(yi, vi, data = smd)))

# 3. Molloy at level 90 (REML) and with Knapp-Hartung for DL.
res$molloy_level90 <- uni(rma(yi, vi, data = mol, level = 90))
res$molloy_DL_knha <- uni(rma(yi, vi, data = mol, method = "DL", test = "knha"))

# 4. BCG meta-regression on ablat with every method, and with Knapp-Hartung.
res$bcg_ablat <- allmethods(bcg$yi, bcg$vi, mods = ~ ablat, data = bcg)
res$bcg_ablat_knha <- uni(rma(yi, vi, mods = ~ ablat, data = bcg, test = "knha"))
res$bcg_ablat_year <- uni(rma(yi, vi, mods = ~ ablat + year, data = bcg))

# 5. Publication bias on BCG (REML): exact Kendall (no ties), trim-and-fill on the right.
rb <- rma(yi, vi, data = bcg)
rt <- ranktest(rb)
res$bcg_ranktest <- list(tau = num(rt$tau), p = num(rt$pval))
tf <- trimfill(rb)
res$bcg_trimfill <- c(list(k0 = tf$k0, se_k0 = num(tf$se.k0), side = tf$side,
                           filled_yi = I(num(tf$yi[tf$fill])), filled_vi = I(num(tf$vi[tf$fill]))),
                      uni(tf, ci = TRUE))
eg <- regtest(rb)
res$bcg_egger <- list(z = num(eg$zval), p = num(eg$pval), limit_estimate = num(eg$est),
                      limit_ci_lb = num(eg$ci.lb), limit_ci_ub = num(eg$ci.ub))

# 6. Publication bias on Molloy: filled studies, FE trim-and-fill, Egger under knha and FE.
rm <- rma(yi, vi, data = mol)
tf <- trimfill(rm)
res$molloy_trimfill <- list(k0 = tf$k0, se_k0 = num(tf$se.k0), side = tf$side,
                            filled_yi = I(num(tf$yi[tf$fill])), filled_vi = I(num(tf$vi[tf$fill])))
# trimfill() refits the filled data with metafor's default control (not the fit's), so the
# shared reference's trimfill block is at the default stopping point: the same refit at the optimum.
res$molloy_trimfill_optimum <- uni(rma(tf$yi, tf$vi), ci = FALSE)
tf <- trimfill(rma(yi, vi, data = mol, method = "FE"))
res$molloy_trimfill_FE <- c(list(k0 = tf$k0, side = tf$side), uni(tf))
eg <- regtest(rma(yi, vi, data = mol, test = "knha"))
res$molloy_egger_knha <- list(t = num(eg$zval), df = eg$ddf, p = num(eg$pval),
                              limit_estimate = num(eg$est), limit_ci_lb = num(eg$ci.lb),
                              limit_ci_ub = num(eg$ci.ub))
eg <- regtest(rma(yi, vi, data = mol, method = "FE"))
res$molloy_egger_FE <- list(z = num(eg$zval), p = num(eg$pval), limit_estimate = num(eg$est))
eg <- regtest(rma(yi, vi, mods = ~ meanage, data = mol))
res$molloy_egger_meanage <- list(z = num(eg$zval), p = num(eg$pval))

# 7. Subgroups by design: separate REML fits, and the FE Q of their estimates (Q-between with
#    separate tau^2); the common-tau^2 test is the QM of rma(yi, vi, mods = ~ design).
sub <- list()
for (g in sort(unique(mol$design))) sub[[g]] <- uni(rma(yi, vi, data = mol, subset = design == g))
est <- sapply(sub, function(s) s$estimate); se <- sapply(sub, function(s) s$se)
qb <- rma(est, sei = se, method = "FE")
res$molloy_subgroups <- list(groups = sub, Qb_separate = num(qb$QE), Qb_separate_p = num(qb$QEp),
                             QM = num(rma(yi, vi, mods = ~ design, data = mol)$QM))

# 8. Homogeneous data (tau^2 = 0): Q below its df; the second set has Q below the lower
#    chi-square quantile as well (empty Q-profile CI).
h1 <- list(yi = c(0.10, 0.30, 0.12, 0.25, 0.05, 0.20), vi = c(0.01, 0.02, 0.015, 0.01, 0.03, 0.02))
h2 <- list(yi = c(0.10, 0.12, 0.11, 0.09, 0.105), vi = c(0.01, 0.02, 0.015, 0.01, 0.03))
res$homogeneous <- c(h1, list(fits = allmethods(h1$yi, h1$vi)))
res$homogeneous_empty_ci <- c(h2, list(fits = allmethods(h2$yi, h2$vi)))

# 9. k = 2.
k2 <- list(yi = c(0.2, 0.5), vi = c(0.01, 0.02))
res$k2 <- c(k2, list(fits = allmethods(k2$yi, k2$vi)))

# 10. Three-level model: prediction interval, ML fit, and a moderator; variance shares as in
#     the metafor FAQ (Cheung 2014): 100 sigma2 / (sum(sigma2) + (k - p)/tr(P)).
shares <- function(m) {
  W <- diag(1 / m$vi); X <- model.matrix(m)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  vt <- (m$k - m$p) / sum(diag(P))
  list(vt = vt, shares = num(100 * m$sigma2 / (sum(m$sigma2) + vt)),
       sampling = num(100 * vt / (sum(m$sigma2) + vt)))
}
mv <- rma.mv(yi, vi, random = ~ 1 | district/school, data = kon)
pr <- predict(mv)
res$kon_reml <- c(list(pi_lb = num(pr$pi.lb), pi_ub = num(pr$pi.ub)), shares(mv))
mv <- rma.mv(yi, vi, random = ~ 1 | district/school, data = kon, method = "ML")
res$kon_ml <- c(list(estimate = num(mv$beta), se = num(mv$se), sigma2 = num(mv$sigma2),
                     logLik = num(logLik(mv))), shares(mv))
mv <- rma.mv(yi, vi, mods = ~ year, random = ~ 1 | district/school, data = kon)
res$kon_year <- list(coef = num(mv$beta), se = num(mv$se), sigma2 = num(mv$sigma2),
                     QM = num(mv$QM), QM_p = num(mv$QMp), Q = num(mv$QE), logLik = num(logLik(mv)))
mv <- rma.mv(yi, vi, random = ~ 1 | district, data = kon)
res$kon_district <- list(estimate = num(mv$beta), se = num(mv$se), sigma2 = I(num(mv$sigma2)),
                         logLik = num(logLik(mv)))

writeLines(toJSON(list(id = "meta-extra", source = "Tests/Fixtures/r/meta-extra.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       metafor = as.character(packageVersion("metafor"))),
                       results = res),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           "Tests/Fixtures/meta-extra.json")

# Literals quoted in MetaEdgeCaseTests (printed, not stored):
x <- cor.test(1:5, c(2, 1, 4, 3, 5), method = "kendall")
print(c(x$estimate, x$p.value), digits = 17)   # 0.59999999999999987 0.23333333333333339
