# References for Tests/BordinStatsTests/PracCaregiverSatterthwaiteTests.swift (R 4.2.2, lme4
# 1.1-31, lmerTest 3.1-3). Run from the project root: Rscript Tests/Fixtures/r/satterthwaite-prac-caregiver.R
suppressMessages(library(lmerTest))
d <- read.csv("data/prac/long.csv")
f <- tasc_caregiver ~ months + (1 + months | child)
# lme4's default optimiser, and nloptwrap run tightly: the surface is flat in the slope terms.
m <- lmer(f, data = d, REML = TRUE)
print(REMLcrit(m), digits = 15); print(summary(m)$coefficients, digits = 12)
m2 <- lmer(f, data = d, REML = TRUE, control = lmerControl(optimizer = "nloptwrap",
  optCtrl = list(xtol_rel = 1e-14, ftol_rel = 1e-15, maxeval = 1e5)))
print(REMLcrit(m2), digits = 15); print(summary(m2)$coefficients, digits = 12)
# lmerTest at Bordin's θ (from Bordin's σ and random-effect SDs and correlation).
s0 <- 2.9591676500778568; s1 <- 0.055282415679103934; rho <- 0.52745473071006; sig <- 2.49493591626092
L <- t(chol(matrix(c(s0^2, rho*s0*s1, rho*s0*s1, s1^2), 2))) / sig
theta <- c(L[1, 1], L[2, 1], L[2, 2])
lf <- lFormula(f, data = d, REML = TRUE)
devfun <- do.call(mkLmerDevfun, lf)
print(devfun(theta), digits = 15)
mb <- mkMerMod(environment(devfun), opt = list(par = theta, fval = devfun(theta), conv = 0, message = ""),
               lf$reTrms, fr = lf$fr)
print(summary(lmerTest:::as_lmerModLT(mb, devfun))$coefficients, digits = 12)
