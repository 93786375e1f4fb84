# R 4.2.2 (psych 2.2.9, lavaan 0.6-14) calls behind the literal reference values in
# Tests/BordinStatsTests for informant agreement and reliability (ICC, informant pairs and
# Bland-Altman, Cohen's kappa, Krippendorff's alpha, alpha/omega, discrepancy models).
# Run from the package root: Rscript Tests/Fixtures/r/agreement-literals.R
suppressPackageStartupMessages({ library(psych); library(lavaan) })
f <- function(label, ...) cat(label, ":", sprintf("%.17g", c(...)), "\n")

# --- Part 1: ICC (psych::ICC, ANOVA mean squares) ------------------------------------------
sf <- read.csv("Tests/Fixtures/data/shrout-fleiss.csv")
i <- ICC(sf[, -1], lmer = FALSE)
print(i$results, digits = 15)
f("MS (B, J, E, W)", i$stats[3, 1], i$stats[3, 2], i$stats[3, 3],
  (i$stats[2, 2] + i$stats[2, 3]) / (i$stats[1, 2] + i$stats[1, 3]))
cp <- read.csv("Tests/Fixtures/data/coping-power-sim.csv")
cc <- cp[complete.cases(cp), ]
i2 <- ICC(cc[, c("bond_child", "bond_therapist")], lmer = FALSE)
for (k in 1:6) f(paste("coping ICC", i2$results$type[k]), unlist(i2$results[k, 2:8]))
# 90% intervals (alpha = .10) on Shrout-Fleiss
i3 <- ICC(sf[, -1], lmer = FALSE, alpha = 0.10)
for (k in 1:6) f(paste("SF 90%", i3$results$type[k]), i3$results[k, 7], i3$results[k, 8])

# --- Part 2: informant pairs (cor.test, paired t.test, Bland-Altman with 1.96 * sd) -----------
pairs <- function(d, a, b) {
  ok <- complete.cases(d[, c(a, b)]); x <- d[ok, a]; y <- d[ok, b]; dd <- x - y
  r <- cor.test(x, y); t <- t.test(x, y, paired = TRUE); n <- length(dd); s <- sd(dd)
  loa <- mean(dd) + c(-1.96, 1.96) * s
  se.loa <- sqrt(3 * s^2 / n); tq <- qt(0.975, n - 1)
  f(paste("pair", a, b, "r t df p mean_diff"), r$estimate, t$statistic, t$parameter, t$p.value, mean(dd))
  f(paste("pair", a, b, "ba bias lb ub sd n"), mean(dd), loa, s, n)
  f(paste("pair", a, b, "loa se, lb ci, ub ci"), se.loa, loa[1] - tq * se.loa, loa[1] + tq * se.loa,
    loa[2] - tq * se.loa, loa[2] + tq * se.loa)
}
for (a in 1:3) for (b in (a + 1):4) pairs(sf, paste0("J", a), paste0("J", b))
pairs(cp, "bond_child", "bond_therapist")   # pairwise complete: 348 rows

# --- Part 3: Cohen's kappa (psych::cohen.kappa) ----------------------------------------------
kc <- read.csv("Tests/Fixtures/data/kappa-codes.csv")
k <- cohen.kappa(kc[, c("coder_a", "coder_b")])
f("kappa quadratic (k, wk, var k, var wk, ci)", k$kappa, k$weighted.kappa, k$var.kappa, k$var.weighted,
  k$confid[1, c(1, 3)], k$confid[2, c(1, 3)])
lin <- 1 - abs(outer(1:4, 1:4, "-")) / 3
k <- cohen.kappa(kc[, c("coder_a", "coder_b")], w = lin)
f("kappa linear (wk, var wk, ci)", k$weighted.kappa, k$var.weighted, k$confid[2, c(1, 3)])
k <- cohen.kappa(kc[, c("coder_a", "coder_b")], levels = 1:5)   # a declared, unused category 5
f("kappa levels 1:5 (k, wk, var k, var wk, ci)", k$kappa, k$weighted.kappa, k$var.kappa, k$var.weighted,
  k$confid[1, c(1, 3)], k$confid[2, c(1, 3)])
# Cohen (1968) example from ?cohen.kappa: proportions with n.obs = 200
p <- matrix(c(.44, .07, .09, .05, .20, .05, .01, .03, .06), ncol = 3, byrow = TRUE)
k <- cohen.kappa(p, n.obs = 200)
f("cohen1968 (k, wk, var k, var wk)", k$kappa, k$weighted.kappa, k$var.kappa, k$var.weighted)
# The Fleiss-Cohen-Everitt (1969) weighted variance as published; psych's differs (see CohenKappa.swift)
fce <- function(tab, w) { n <- sum(tab); x <- tab / n; rs <- rowSums(x); cs <- colSums(x)
  po <- sum(w * x); pc <- sum(w * outer(rs, cs)); wi <- as.vector(w %*% cs); wj <- as.vector(t(w) %*% rs)
  (sum(x * (w * (1 - pc) - outer(wi, wj, "+") * (1 - po))^2) - (po * pc - 2 * pc + po)^2) / (n * (1 - pc)^4) }
q4 <- 1 - outer(1:4, 1:4, "-")^2 / 9
f("FCE 1969 var quadratic, linear", fce(table(kc$coder_a, kc$coder_b), q4), fce(table(kc$coder_a, kc$coder_b), lin))
# three coders: pairwise kappas and their averages
set.seed(1978)
kc$coder_c <- ifelse(runif(120) < 0.7, kc$coder_a, sample(1:4, 120, replace = TRUE))
write.csv(kc[, c("segment", "coder_a", "coder_b", "coder_c")], "Tests/Fixtures/data/kappa-three.csv", row.names = FALSE)
cat("coder_c:", paste(kc$coder_c, collapse = ","), "\n")
k3 <- cohen.kappa(kc[, c("coder_a", "coder_b", "coder_c")])
print(k3$cohen.kappa, digits = 15)
f("av.kappa av.wt", k3$av.kappa, k3$av.wt)

# --- Part 4: Krippendorff's alpha, by the coincidence matrix (Krippendorff 2011) ---------------
kripp <- function(m, level) {    # m: units x coders, NA = missing
  vals <- sort(unique(as.vector(m[!is.na(m)])))
  o <- matrix(0, length(vals), length(vals))
  for (u in seq_len(nrow(m))) {
    v <- m[u, !is.na(m[u, ])]; mu <- length(v); if (mu < 2) next
    for (a in seq_len(mu)) for (b in seq_len(mu)) if (a != b) {
      i <- match(v[a], vals); j <- match(v[b], vals); o[i, j] <- o[i, j] + 1 / (mu - 1) }
  }
  nc <- rowSums(o); n <- sum(nc); d2 <- matrix(0, length(vals), length(vals))
  for (i in seq_along(vals)) for (j in seq_along(vals)) {
    c <- vals[i]; kk <- vals[j]
    d2[i, j] <- switch(level, nominal = as.numeric(i != j),
      ordinal = if (i == j) 0 else (sum(nc[min(i, j):max(i, j)]) - (nc[i] + nc[j]) / 2)^2,
      interval = (c - kk)^2, ratio = ((c - kk) / (c + kk))^2)
  }
  1 - (n - 1) * sum(o * d2) / sum(outer(nc, nc) * d2)
}
ke <- as.matrix(read.csv("Tests/Fixtures/data/krippendorff-example.csv")[, -1])
for (l in c("nominal", "ordinal", "interval", "ratio")) f(paste("kripp example", l), kripp(ke, l))
# complete data, three coders (kappa-three above): no missing values
k3m <- as.matrix(kc[, c("coder_a", "coder_b", "coder_c")])
for (l in c("nominal", "ordinal", "interval", "ratio")) f(paste("kripp three coders", l), kripp(k3m, l))

# --- Part 5: reliability (psych::alpha) and omega total (lavaan::cfa, one factor, ML) ----------
# lavaan's default stopping point is within ~1e-6 of the ML optimum; omega_ml() finds the optimum
# itself (factanal with tight optim settings, then Newton on diag(LL' + Psi - R) = 0) and
# rescales to the covariance metric with divisor n, as lavaan's ML (likelihood = "normal").
omega1 <- function(d) {
  m <- paste("F =~", paste(colnames(d), collapse = " + "))
  fit <- cfa(m, d, std.lv = TRUE)
  pe <- parameterEstimates(fit); l <- pe$est[pe$op == "=~"]
  th <- pe$est[pe$op == "~~" & pe$lhs == pe$rhs & pe$lhs != "F"]
  c(sum(l)^2 / (sum(l)^2 + sum(th)), l, fitMeasures(fit, c("chisq", "df")))
}
omega_ml <- function(d) {
  S <- cov(d); n <- nrow(d); R <- cov2cor(S)
  fa <- factanal(covmat = S, factors = 1, n.obs = n,
    control = list(opt = list(factr = 1, pgtol = 0, maxit = 10000)))
  psi <- fa$uniquenesses
  load <- function(psi) { sc <- 1 / sqrt(psi); e <- eigen(R * outer(sc, sc), symmetric = TRUE)
    sqrt(psi) * e$vectors[, 1] * sqrt(max(e$values[1] - 1, 0)) }
  g <- function(psi) { L <- load(psi); L^2 + psi - 1 }
  for (it in 1:20) {
    J <- sapply(seq_along(psi), function(j) { h <- 1e-7 * psi[j]; e <- psi; e[j] <- e[j] + h
      (g(e) - g(psi)) / h })
    psi <- psi - solve(J, g(psi))
  }
  L <- load(psi); L <- L * sign(sum(L)); s <- sqrt(diag(S) * (n - 1) / n)
  lc <- L * s; th <- psi * s^2
  c(sum(lc)^2 / (sum(lc)^2 + sum(th)), lc, psi)
}
bfi <- read.csv("Tests/Fixtures/data/bfi-agreeableness.csv")
bfi$A1 <- 7 - bfi$A1
f("bfi omega, loadings (lavaan default)", omega1(bfi))
f("bfi omega, loadings, uniquenesses (ML optimum)", omega_ml(bfi))
a <- alpha(bfi)
print(a$total, digits = 15); print(a$alpha.drop, digits = 15); print(a$item.stats, digits = 15)
f("bfi ase", a$total$ase)
att <- attitude[, 1:7]
write.csv(att, "Tests/Fixtures/data/attitude.csv", row.names = FALSE)
a <- alpha(att)
f("attitude total (raw std G6 av.r S/N ase)", unlist(a$total[1, c(1:6)]))
for (v in colnames(att)) f(paste("attitude drop", v, "(raw std G6 av.r)"), unlist(a$alpha.drop[v, 1:4]))
for (v in colnames(att)) f(paste("attitude item", v, "(raw.r std.r r.cor r.drop)"), unlist(a$item.stats[v, 2:5]))
f("attitude omega, loadings (lavaan default)", omega1(att))
f("attitude omega, loadings, uniquenesses (ML optimum)", omega_ml(att))
# the same bfi items unreversed with psych's keys argument
bfi0 <- read.csv("Tests/Fixtures/data/bfi-agreeableness.csv")
a <- alpha(bfi0, keys = c("A1"))
f("bfi keys=A1 (raw std G6 av.r)", unlist(a$total[1, 1:4]))
# pairwise missing values: every 7th cell of A2 and every 11th of A4 set to NA
bm <- bfi; bm$A2[seq(7, 600, 7)] <- NA; bm$A4[seq(11, 600, 11)] <- NA
a <- alpha(bm)
f("bfi pairwise (raw std G6 av.r)", unlist(a$total[1, 1:4]))
f("bfi pairwise drop raw", a$alpha.drop[, 1]); f("bfi pairwise r.drop", a$item.stats$r.drop)

# --- Part 6: discrepancy (polynomial regression, difference-score model, surface grid) ---------
m <- lm(ext_post ~ bond_child + bond_therapist + I(bond_child^2) + I(bond_child * bond_therapist) +
  I(bond_therapist^2) + ext_pre, cc)
dm <- lm(ext_post ~ I(bond_child - bond_therapist) + ext_pre, cc)
s <- summary(dm)
f("difference model coef", coef(dm)); f("difference model se", s$coefficients[, 2])
f("difference model p", s$coefficients[, 4]); f("difference model r2", s$r.squared)
a <- anova(dm, m)   # Edwards (1994): the difference score's constraints as a nested-model F test
f("difference vs polynomial F df1 df2 p", a$F[2], a$Df[2], a$Res.Df[2], a$`Pr(>F)`[2])
g <- expand.grid(bond_child = c(2, 3, 4), bond_therapist = c(2.5, 3.5))
g$ext_pre <- mean(cc$ext_pre)
f("grid (x fastest, controls at mean)", predict(m, g))
b <- coef(m)
f("grid (controls at 0)", b[1] + b[2] * g$bond_child + b[3] * g$bond_therapist + b[4] * g$bond_child^2 +
  b[5] * g$bond_child * g$bond_therapist + b[6] * g$bond_therapist^2)

# --- Part 7: symmetric eigendecomposition (LinearAlgebra.symmetricEigen) ----------------------
e <- eigen(matrix(c(4, 1, 2, 1, 3, 0, 2, 0, 5), 3), symmetric = TRUE)
f("eigen values", e$values); f("eigen vectors (column-major)", e$vectors)
