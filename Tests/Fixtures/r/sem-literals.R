# R 4.2.2 + lavaan 0.6-14 calls behind the SEM fixtures in Tests/Fixtures/sem-*.json
# (used by Tests/BordinStatsTests/SEM*Tests.swift). Run from the package root:
#   Rscript Tests/Fixtures/r/sem-literals.R
# Writes Tests/Fixtures/sem-*.json and the data files Tests/Fixtures/data/hs1939*.csv and
# demo-growth*.csv (public data sets shipped with lavaan: HolzingerSwineford1939, Demo.growth).
suppressPackageStartupMessages(library(lavaan))
library(jsonlite)

num <- function(x) if (is.na(x)) NULL else unname(x)
params <- function(fit) {
  pe <- parameterEstimates(fit, standardized = TRUE, remove.eq = TRUE, remove.def = FALSE)
  lapply(seq_len(nrow(pe)), function(i) list(
    lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], label = pe$label[i],
    est = pe$est[i], se = num(pe$se[i]), z = num(pe$z[i]), p = num(pe$pvalue[i]),
    std_all = num(pe$std.all[i])))
}
fitm <- function(fit, baseline) {
  f <- fitMeasures(fit, baseline.model = baseline)
  list(chisq = f[["chisq"]], df = f[["df"]], p = f[["pvalue"]], cfi = f[["cfi"]], tli = f[["tli"]],
       rmsea = f[["rmsea"]], rmsea_ci_lb = f[["rmsea.ci.lower"]], rmsea_ci_ub = f[["rmsea.ci.upper"]],
       srmr = f[["srmr"]], logLik = f[["logl"]], logLik_h1 = f[["unrestricted.logl"]],
       aic = f[["aic"]], bic = f[["bic"]], n = f[["ntotal"]], npar = f[["npar"]],
       baseline_chisq = f[["baseline.chisq"]], baseline_df = f[["baseline.df"]])
}
# lavaan stops nlminb at a relative change of 1e-10 in its objective, which leaves relative
# errors up to ~1e-4 in estimates near zero on flat likelihoods (and the stopping point depends on
# the BLAS). The fixtures therefore hold the optimum polished by Newton steps with lavaan's own
# gradient and observed Hessian (lav_model_gradient, lav_model_hessian), then re-evaluated by
# lavaan at that point (optim.method = "none"); `default_est`/`default_logLik` keep what sem()
# returns with its defaults.
polish <- function(fit) {
  M <- fit@Model; x <- lavaan:::lav_model_get_parameters(M)
  K <- if (M@eq.constraints) M@eq.constraints.K else diag(length(x))
  obj <- function(M) lavaan:::lav_model_objective(lavmodel = M, lavsamplestats = fit@SampleStats, lavdata = fit@Data, lavcache = fit@Cache)[1]
  fx <- obj(M)
  for (i in 1:10) {
    g <- lavaan:::lav_model_gradient(lavmodel = M, lavsamplestats = fit@SampleStats, lavdata = fit@Data, lavcache = fit@Cache)
    H <- lavaan:::lav_model_hessian(lavmodel = M, lavsamplestats = fit@SampleStats, lavdata = fit@Data, lavoptions = fit@Options, lavcache = fit@Cache)
    gr <- crossprod(K, g); Hr <- crossprod(K, H %*% K)
    step <- solve(Hr, gr); dec <- sum(gr * step)
    if (!is.finite(dec) || dec < 1e-24) break
    # a Newton step only where the Hessian is positive definite and the objective does not rise
    if (min(eigen(Hr, symmetric = TRUE, only.values = TRUE)$values) <= 0) break
    x1 <- x - as.numeric(K %*% step); M1 <- lavaan:::lav_model_set_parameters(M, x1); fx1 <- obj(M1)
    if (!is.finite(fx1) || fx1 > fx + 1e-14) break  # (rounding of F near the optimum)
    x <- x1; M <- M1; fx <- fx1
  }
  pt <- parTable(fit); pt$est[pt$free > 0] <- x; pt$start <- pt$est
  pt
}
tight <- function(call) {
  f0 <- suppressWarnings(eval(call))
  pt <- polish(f0)
  call2 <- call; call2$start <- quote(pt); call2$optim.method <- "none"; call2$optim.force.converged <- TRUE
  # lavaan replaces start values that imply a non-positive-definite latent covariance matrix
  # (lav_start_check_cov); a Heywood solution is such a point, so skip that check here.
  check <- lavaan:::lav_start_check_cov
  assignInNamespace("lav_start_check_cov", function(lavpartable = NULL, start = NULL) start, "lavaan")
  f1 <- suppressWarnings(eval(call2))
  assignInNamespace("lav_start_check_cov", check, "lavaan")
  # if lavaan still did not evaluate at the polished point, keep the default fit
  ok <- isTRUE(all.equal(parTable(f1)$free, parTable(f0)$free)) &&
        max(abs(parTable(f1)$est - pt$est)[pt$free > 0]) < 1e-10 &&
        fitMeasures(f1, "logl")[[1]] >= fitMeasures(f0, "logl")[[1]] - 1e-9
  list(default = f0, tight = if (ok) f1 else f0, polished = ok, baseline = lavaan:::lav_object_independence(f0))
}
write_case <- function(id, title, data, model, call, fits, extra = list()) {
  t0 <- proc.time()[["elapsed"]]; for (i in 1:5) suppressWarnings(eval(call)); ms <- (proc.time()[["elapsed"]] - t0) / 5 * 1000
  fit <- fits$tight
  fm <- fitm(fit, fits$baseline)
  out <- list(id = id, title = title, data = data,
              spec = list(model = I(strsplit(model, "\n")[[1]]), call = deparse(call, width.cutoff = 500)),
              source = if (fits$polished) "Tests/Fixtures/r/sem-literals.R (lavaan optimum polished by Newton steps, see polish())" else "Tests/Fixtures/r/sem-literals.R (lavaan defaults; polishing not possible)",
              polished = fits$polished,
              versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                              lavaan = as.character(packageVersion("lavaan"))),
              r_ms_per_fit = round(ms, 1),
              results = c(list(parameters = params(fit), fit = fm,
                               converged = lavInspect(fits$default, "converged"),
                               default_est = parameterEstimates(fits$default)$est,
                               default_logLik = fitMeasures(fits$default, "logl")[[1]]), extra))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
             file.path("Tests/Fixtures", paste0(id, ".json")))
}

# 1. Holzinger & Swineford (1939) three-factor CFA, complete data (listwise, expected information).
hs <- HolzingerSwineford1939[, c("id", paste0("x", 1:9))]
write.csv(hs, "Tests/Fixtures/data/hs1939.csv", row.names = FALSE, na = "")
hs.model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
call <- quote(sem(hs.model, data = hs, fixed.x = FALSE))
fits <- tight(call)
write_case("sem-hs1939-complete", "Three-factor CFA (Holzinger & Swineford 1939), complete data, ML, expected information",
           "data/hs1939.csv", hs.model, call, fits)

# 2. The same CFA under FIML: x1 NA when id %% 5 == 0, x5 when id %% 7 == 0, x9 when id %% 4 == 1.
hsm <- hs
hsm$x1[hsm$id %% 5 == 0] <- NA; hsm$x5[hsm$id %% 7 == 0] <- NA; hsm$x9[hsm$id %% 4 == 1] <- NA
write.csv(hsm, "Tests/Fixtures/data/hs1939-missing.csv", row.names = FALSE, na = "")
call <- quote(sem(hs.model, data = hsm, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-hs1939-fiml", "Three-factor CFA, MAR missingness in x1/x5/x9, FIML, observed information",
           "data/hs1939-missing.csv", hs.model, call, fits)

# 3. Mediation with a defined indirect and total effect (panel-3wave, FIML).
p3 <- read.csv("Tests/Fixtures/data/panel-3wave.csv")
med.model <- "symptoms2 ~ a*alliance1\nalliance3 ~ b*symptoms2 + c*alliance1\nsymptoms3 ~ symptoms2\nab := a*b\ntotal := c + a*b\nprop := ab / total\nodd := exp(b) - log(c) + sqrt(c^2) * b^2 - (-a)"
call <- quote(sem(med.model, data = p3, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-mediation-fiml", "Mediation alliance1 -> symptoms2 -> alliance3 with ab := a*b, FIML",
           "data/panel-3wave.csv", med.model, call, fits)

# 4. The 3-wave CLPM with lags constrained equal across waves (shared labels), FIML.
clpm.eq <- paste(c(
  "alliance2 ~ a_x*alliance1 + c_yx*symptoms1", "symptoms2 ~ a_y*symptoms1 + c_xy*alliance1",
  "alliance2 ~~ symptoms2", "alliance2 ~~ alliance2", "symptoms2 ~~ symptoms2",
  "alliance3 ~ a_x*alliance2 + c_yx*symptoms2", "symptoms3 ~ a_y*symptoms2 + c_xy*alliance2",
  "alliance3 ~~ symptoms3", "alliance3 ~~ alliance3", "symptoms3 ~~ symptoms3",
  "alliance1 ~~ symptoms1", "alliance1 ~~ alliance1", "symptoms1 ~~ symptoms1"), collapse = "\n")
call <- quote(sem(clpm.eq, data = p3, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-clpm-3wave-equal", "CLPM, 3 waves, autoregressive and cross-lagged paths equal across waves, FIML",
           "data/panel-3wave.csv", clpm.eq, call, fits)

# 5. The 3-wave CLPM with listwise deletion (lavaan defaults: no mean structure, expected information).
clpm <- paste(c(
  "alliance2 ~ alliance1 + symptoms1", "symptoms2 ~ symptoms1 + alliance1",
  "alliance2 ~~ symptoms2", "alliance2 ~~ alliance2", "symptoms2 ~~ symptoms2",
  "alliance3 ~ alliance2 + symptoms2", "symptoms3 ~ symptoms2 + alliance2",
  "alliance3 ~~ symptoms3", "alliance3 ~~ alliance3", "symptoms3 ~~ symptoms3",
  "alliance1 ~~ symptoms1", "alliance1 ~~ alliance1", "symptoms1 ~~ symptoms1"), collapse = "\n")
call <- quote(sem(clpm, data = p3, missing = "listwise", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-clpm-3wave-listwise", "CLPM, 3 waves, listwise deletion, ML, expected information",
           "data/panel-3wave.csv", clpm, call, fits)

# 6. The 4-wave CLPM on lavaan's Demo.growth (N = 400) under FIML: t3 NA in rows 1, 7, 13, ...;
#    c4 NA in rows 2, 7, 12, ...; t4 NA in rows 3, 11, 19, ... (the timing benchmark of DESIGN.md §10).
dg <- Demo.growth[, c(paste0("t", 1:4), paste0("c", 1:4))]
dg$t3[seq(1, 400, by = 6)] <- NA; dg$c4[seq(2, 400, by = 5)] <- NA; dg$t4[seq(3, 400, by = 8)] <- NA
write.csv(dg, "Tests/Fixtures/data/demo-growth-missing.csv", row.names = FALSE, na = "")
dg.model <- paste(c(
  "t2 ~ t1 + c1", "c2 ~ c1 + t1", "t2 ~~ c2", "t2 ~~ t2", "c2 ~~ c2",
  "t3 ~ t2 + c2", "c3 ~ c2 + t2", "t3 ~~ c3", "t3 ~~ t3", "c3 ~~ c3",
  "t4 ~ t3 + c3", "c4 ~ c3 + t3", "t4 ~~ c4", "t4 ~~ t4", "c4 ~~ c4",
  "t1 ~~ c1", "t1 ~~ t1", "c1 ~~ c1"), collapse = "\n")
call <- quote(sem(dg.model, data = dg, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-clpm-demogrowth-fiml", "CLPM, 4 waves (Demo.growth t and c), FIML",
           "data/demo-growth-missing.csv", dg.model, call, fits)

# 7. An RI-CLPM on complete Demo.growth: a Heywood case (negative variance estimate).
dgc <- Demo.growth[, c(paste0("t", 1:4), paste0("c", 1:4))]
write.csv(dgc, "Tests/Fixtures/data/demo-growth.csv", row.names = FALSE, na = "")
ri.model <- paste(c(
  "RIx =~ 1*t1 + 1*t2 + 1*t3 + 1*t4", "RIy =~ 1*c1 + 1*c2 + 1*c3 + 1*c4",
  "wx1 =~ 1*t1", "wx2 =~ 1*t2", "wx3 =~ 1*t3", "wx4 =~ 1*t4",
  "wy1 =~ 1*c1", "wy2 =~ 1*c2", "wy3 =~ 1*c3", "wy4 =~ 1*c4",
  "t1 ~~ 0*t1", "t2 ~~ 0*t2", "t3 ~~ 0*t3", "t4 ~~ 0*t4", "c1 ~~ 0*c1", "c2 ~~ 0*c2", "c3 ~~ 0*c3", "c4 ~~ 0*c4",
  "wx2 ~ wx1 + wy1", "wy2 ~ wy1 + wx1", "wx2 ~~ wy2", "wx2 ~~ wx2", "wy2 ~~ wy2",
  "wx3 ~ wx2 + wy2", "wy3 ~ wy2 + wx2", "wx3 ~~ wy3", "wx3 ~~ wx3", "wy3 ~~ wy3",
  "wx4 ~ wx3 + wy3", "wy4 ~ wy3 + wx3", "wx4 ~~ wy4", "wx4 ~~ wx4", "wy4 ~~ wy4",
  "wx1 ~~ wy1", "wx1 ~~ wx1", "wy1 ~~ wy1", "RIx ~~ RIx", "RIy ~~ RIy", "RIx ~~ RIy",
  "RIx ~~ 0*wx1", "RIx ~~ 0*wy1", "RIy ~~ 0*wx1", "RIy ~~ 0*wy1"), collapse = "\n")
call <- quote(sem(ri.model, data = dgc, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-riclpm-demogrowth-heywood", "RI-CLPM on Demo.growth, FIML: negative variance (Heywood case)",
           "data/demo-growth.csv", ri.model, call, fits)

# 8b. A non-recursive model (reciprocal paths, identified by the wave-1 instruments), FIML.
nr.model <- "alliance2 ~ symptoms2 + alliance1\nsymptoms2 ~ alliance2 + symptoms1"
call <- quote(sem(nr.model, data = p3, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-nonrecursive-fiml", "Reciprocal effects alliance2 <-> symptoms2 with wave-1 instruments, FIML",
           "data/panel-3wave.csv", nr.model, call, fits)

# 8c. A regression with incomplete exogenous predictors (modelled: fixed.x = FALSE), FIML; the
#     baseline model frees the covariance of the two predictors.
rx.model <- "symptoms3 ~ alliance2 + symptoms2"
call <- quote(sem(rx.model, data = p3, missing = "ml", fixed.x = FALSE))
fits <- tight(call)
write_case("sem-regression-missing-x-fiml", "Regression on incomplete exogenous predictors, FIML",
           "data/panel-3wave.csv", rx.model, call, fits)

# 8. The shared reference cases (shared/reference/clpm-3wave.json, riclpm-4wave.json), polished.
for (id in c("clpm-3wave", "riclpm-4wave")) {
  ref <- fromJSON(file.path("Tests/Fixtures", paste0(id, ".json")))
  dd <- read.csv(file.path("Tests/Fixtures", ref$data))
  mm <- paste(ref$spec$model, collapse = "\n")
  call <- quote(sem(mm, data = dd, missing = "ml", fixed.x = FALSE))
  fits <- tight(call)
  write_case(paste0(id, "-tight"), paste(ref$title, "(optimum polished)"), ref$data, mm, call, fits)
}

# Missing-data patterns of the reference cases (lavInspect "patterns"/"coverage").
for (f in c("panel-3wave", "panel-4wave")) {
  d <- read.csv(file.path("Tests/Fixtures/data", paste0(f, ".csv")))[, -1]
  fit <- sem(paste(names(d)[1], "~~", names(d)[1]), data = d, missing = "ml")
  Mp <- lavaan:::lav_data_missing_patterns(as.matrix(d), sort.freq = TRUE, coverage = TRUE)
  cat(f, ": patterns", Mp$npatterns, "freq", Mp$freq, "coverage", sprintf("%.6f", diag(Mp$coverage)), "\n")
}

# Parameter tables as lavaan builds them for sem(fixed.x = FALSE) with a mean structure
# (SEMModelTests literals): lhs op rhs, free or fixed value, label.
show <- function(m) {
  pt <- lavaanify(m, auto = TRUE, model.type = "sem", meanstructure = TRUE, fixed.x = FALSE,
                  int.ov.free = TRUE, int.lv.free = FALSE)
  pt <- pt[pt$op != "==", ]
  cat("MODEL:", gsub("\n", "; ", m), "\n")
  cat(sprintf('"%s %s %s %s%s",', pt$lhs, pt$op, pt$rhs,
              ifelse(pt$free > 0, "free", paste0("fixed ", pt$ustart)),
              ifelse(pt$label != "", paste0(" ", pt$label), "")), sep = "\n")
}
show("y ~ x1 + x2 + x3")
show("f =~ x1 + x2 + x3\ng =~ x4 + x5\ny ~ f + g\nz ~ y")
show("f =~ NA*x1 + a*x2 + a*x3\nf ~~ 1*f\ny1 + y2 ~ f\nx1 ~~ 0*x1")
show("y ~ b*x + b*z\nx ~~ z\ny ~ 0*1")
show("f =~ x1\nf ~~ f")
