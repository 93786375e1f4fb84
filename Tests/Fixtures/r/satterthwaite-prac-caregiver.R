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
# lmerTest at Bordin's θ (MixedModel.fit's θ after its Newton polish, OPENBLAS_CORETYPE=Haswell;
# the other kernels' θ differ by < 2e-9 relative).
theta <- c(1.1860695594991957, 0.011687266403045885, 0.01882492705709591)
lf <- lFormula(f, data = d, REML = TRUE)
devfun <- do.call(mkLmerDevfun, lf)
print(devfun(theta), digits = 15)
mb <- mkMerMod(environment(devfun), opt = list(par = theta, fval = devfun(theta), conv = 0, message = ""),
               lf$reTrms, fr = lf$fr)
print(summary(lmerTest:::as_lmerModLT(mb, devfun))$coefficients, digits = 15)
