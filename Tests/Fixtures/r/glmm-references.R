# R 4.2.2 + lme4 1.1-31 (+ mlmRev) calls behind Tests/Fixtures/glmm-references.json (GLMM*Tests,
# GLMMDirectiveTests). Run from the package root:
#   Rscript Tests/Fixtures/r/glmm-references.R
# It writes the datasets it fits to Tests/Fixtures/data/ (cbpp, grouseticks, Contraception) and
# refits every model on the CSV it wrote, so the Swift tests read exactly the rows R fitted.
#
# For each model:
#   default:     glmer(..., nAGQ = 1) with lme4's defaults (its stopping point);
#   glmer_tight: glmer with bobyqa to maxfun 1e5 and tolPwrss 1e-14;
#   results:     the Laplace optimum: the Laplace deviance of (θ, β) with its inner PIRLS iterated
#                to a step of 1e-12 (laplaceDevfun below, checked against lme4's devFunOnly
#                function: deviance_lme4_devfun), minimised by bobyqa from glmer_tight and
#                polished by three Newton steps (numDeriv gradients, one numDeriv Hessian); SEs are √diag
#                of 2·[H⁻¹]ββ, H the Hessian of that deviance over (θ, β) by numDeriv's
#                Richardson extrapolation (lme4's vcov uses the same formula with a cruder
#                finite-difference Hessian, deriv12, on its default inner tolerance).
suppressMessages({ library(jsonlite); library(lme4); library(mlmRev); library(numDeriv); library(minqa) })
num <- function(x) unname(as.numeric(x))
dir <- "Tests/Fixtures"

# ---------------------------------------------------------------------------------------------
# Datasets (written, then read back: R fits the CSV the tests read)
write.csv(data.frame(herd = as.integer(as.character(cbpp$herd)), incidence = cbpp$incidence,
                     size = cbpp$size, period = as.integer(as.character(cbpp$period))),
          file.path(dir, "data/cbpp.csv"), row.names = FALSE)
gt <- grouseticks
write.csv(data.frame(INDEX = as.integer(as.character(gt$INDEX)), TICKS = gt$TICKS,
                     BROOD = as.integer(as.character(gt$BROOD)), HEIGHT = gt$HEIGHT,
                     YEAR = as.integer(as.character(gt$YEAR)),
                     LOCATION = as.integer(as.character(gt$LOCATION))),
          file.path(dir, "data/grouseticks.csv"), row.names = FALSE)
ct <- Contraception
write.csv(data.frame(woman = as.integer(as.character(ct$woman)),
                     district = as.integer(as.character(ct$district)),
                     use = as.character(ct$use), livch = as.character(ct$livch), age = ct$age,
                     urban = as.character(ct$urban)),
          file.path(dir, "data/contraception.csv"), row.names = FALSE)

cbppd <- read.csv(file.path(dir, "data/cbpp.csv"))
gtd <- read.csv(file.path(dir, "data/grouseticks.csv"))
gtd$cHEIGHT <- gtd$HEIGHT - 462
ctd <- read.csv(file.path(dir, "data/contraception.csv"))
ctd$use <- factor(ctd$use)
prac <- read.csv("data/prac/wide.csv")
prac$left8 <- as.numeric(prac$last_month < 8)

# ---------------------------------------------------------------------------------------------
# tolPwrss 1e-14: at 1e-12 and 1e-13 lme4's PIRLS still stops early on grouseticks (its
# deviance at a fixed (θ, β) is then 1.1e-5 too high); 1e-15 fails ("maxstephalfit").
tightCtrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5), tolPwrss = 1e-14)

# The Laplace deviance of a glmer fit's model at (θ, β), with the inner problem (PIRLS over u at
# fixed β) iterated until its step is below 1e-12: lme4's own devfun stops PIRLS on the change in
# the penalised deviance, which fixes u only to ~√tolPwrss, and its ldL2 then moves the deviance
# by up to ~2e-6 (grouseticks with LOCATION) — enough to put numDeriv's Hessian, hence the SEs,
# 7e-4 off. Dense algebra (these models have at most 181 random effects).
laplaceDevfun <- function(m) {
  X <- as.matrix(getME(m, "X")); Zt <- getME(m, "Zt"); y <- getME(m, "y")
  wts <- weights(m); off <- getME(m, "offset"); fam <- family(m)
  Lind <- getME(m, "Lind"); Lt <- getME(m, "Lambdat"); nth <- length(getME(m, "theta"))
  q <- nrow(Zt)
  u <- rep(0, q)
  m2logp <- function(mu) if (fam$family == "binomial") -2 * sum(dbinom(round(wts * y), round(wts), mu, log = TRUE)) else -2 * sum(dpois(y, mu, log = TRUE))
  pd <- function(mu, u) sum(fam$dev.resids(y, mu, wts)) + sum(u^2)
  function(par) {
    Lt@x <- par[seq_len(nth)][Lind]
    ZL <- as.matrix(t(Lt %*% Zt))
    fixed <- drop(X %*% par[-seq_len(nth)]) + off
    uu <- u
    for (it in 1:200) {
      eta <- fixed + drop(ZL %*% uu); mu <- fam$linkinv(eta); me <- fam$mu.eta(eta)
      w <- wts * me^2 / fam$variance(mu)
      z <- (eta - fixed) + (y - mu) / me
      unew <- drop(solve(crossprod(ZL * sqrt(w)) + diag(q), crossprod(ZL, w * z)))
      pd0 <- pd(mu, uu); step <- 1
      repeat {
        uc <- uu + step * (unew - uu); muc <- fam$linkinv(fixed + drop(ZL %*% uc))
        if (pd(muc, uc) <= pd0 + 1e-13 * abs(pd0) || step < 1e-10) break
        step <- step / 2
      }
      du <- max(abs(uc - uu)); uu <- uc
      if (du < 1e-12 * max(1, abs(uu))) break
    }
    eta <- fixed + drop(ZL %*% uu); mu <- fam$linkinv(eta); me <- fam$mu.eta(eta)
    w <- wts * me^2 / fam$variance(mu)
    ldL2 <- as.numeric(determinant(crossprod(ZL * sqrt(w)) + diag(q), logarithm = TRUE)$modulus)  # log det(L Lᵀ)
    u <<- uu  # warm start for the next evaluation (the result does not depend on it)
    m2logp(mu) + sum(uu^2) + ldL2
  }
}

glmmCase <- function(id, title, data, datafile, formula, family) {
  f <- as.formula(formula)
  m0 <- glmer(f, data = data, family = family)
  m1 <- glmer(f, data = data, family = family, control = tightCtrl)
  dfun <- glmer(f, data = data, family = family, control = tightCtrl, devFunOnly = TRUE)
  lap <- laplaceDevfun(m1)
  nth <- length(getME(m1, "theta"))
  par0 <- c(getME(m1, "theta"), fixef(m1))
  lower <- c(getME(m1, "lower"), rep(-Inf, length(fixef(m1))))
  opt <- bobyqa(par0, lap, lower = lower, control = list(rhobeg = 1e-4, rhoend = 1e-9, maxfun = 1e5))
  par <- opt$par
  # Newton polish on the free coordinates (θ within 1e-6 of its bound stays there): one
  # numDeriv Hessian, three steps on numDeriv gradients.
  free <- which(!(seq_along(par) <= nth & par - lower < 1e-6))
  hfun <- function(x) { p <- par; p[free] <- x; lap(p) }
  H <- hessian(hfun, par[free])
  for (k in 1:3) {
    g <- grad(hfun, par[free])
    cand <- par; cand[free] <- par[free] - solve(H, g)
    if (lap(cand) <= lap(par)) par <- cand
  }
  dev <- lap(par)
  H <- hessian(hfun, par[free])
  V <- 2 * solve(H)
  fr <- match(nth + seq_along(fixef(m1)), free)
  Vb <- V[fr, fr, drop = FALSE]
  theta <- par[seq_len(nth)]
  beta <- par[-seq_len(nth)]
  se <- sqrt(diag(Vb))
  z <- beta / se
  # Variance components at the optimum θ (VarCorr reads the theta slot; σ = 1).
  mt <- m1
  mt@theta <- theta
  vc <- as.data.frame(VarCorr(mt))
  q <- qnorm(0.975)
  coef <- lapply(seq_along(beta), function(j) list(
    term = names(fixef(m1))[j], estimate = num(beta[j]), se = num(se[j]), z = num(z[j]),
    p = num(2 * pnorm(-abs(z[j]))), ci_lb = num(beta[j] - q * se[j]), ci_ub = num(beta[j] + q * se[j]),
    exp_estimate = num(exp(beta[j])), exp_ci_lb = num(exp(beta[j] - q * se[j])), exp_ci_ub = num(exp(beta[j] + q * se[j]))))
  random <- lapply(seq_len(nrow(vc)), function(i) list(
    grp = vc$grp[i], var1 = if (is.na(vc$var1[i])) NULL else vc$var1[i],
    var2 = if (is.na(vc$var2[i])) NULL else vc$var2[i], vcov = vc$vcov[i], sdcor = vc$sdcor[i]))
  npar <- length(par)
  n <- nobs(m1)
  ll <- -dev / 2
  s0 <- summary(m0)$coefficients
  list(id = id, title = title, data = datafile, formula = formula, family = family()$family,
       source = sprintf("glmer(%s, family = %s, data); tight: %s; Laplace optimum with converged PIRLS: bobyqa + Newton; numDeriv::hessian", formula, family()$family,
                        "glmerControl(optimizer = 'bobyqa', optCtrl = list(maxfun = 1e5), tolPwrss = 1e-14)"),
       results = list(coef = coef, random = random, theta = num(theta), logLik = ll, deviance = dev,
                      deviance_lme4_devfun = dfun(par),
                      AIC = dev + 2 * npar, BIC = dev + log(n) * npar, npar = npar, nobs = n,
                      ngroups = lapply(names(ngrps(m1)), function(g) list(name = g, levels = num(ngrps(m1)[[g]]))),
                      singular = isSingular(m1)),
       default = list(logLik = num(logLik(m0)), deviance = -2 * num(logLik(m0)), theta = num(getME(m0, "theta")),
                      # glmer's default (θ, β) with its inner problem converged (tolPwrss 1e-14):
                      # its reported deviance can be below this by its inner early stop.
                      deviance_converged = lap(c(getME(m0, "theta"), fixef(m0))),
                      estimate = num(fixef(m0)), se = num(s0[, 2]),
                      messages = c(m0@optinfo$conv$lme4$messages, m0@optinfo$warnings)),
       glmer_tight = list(logLik = num(logLik(m1)), estimate = num(fixef(m1)), se = num(summary(m1)$coefficients[, 2])))
}

cases <- list(
  glmmCase("cbpp", "lme4 cbpp: cbind(incidence, size - incidence) ~ period + (1 | herd)", cbppd, "data/cbpp.csv",
           "cbind(incidence, size - incidence) ~ factor(period) + (1 | herd)", binomial),
  glmmCase("cbpp-null", "lme4 cbpp without period (the smaller model of a likelihood-ratio test)", cbppd, "data/cbpp.csv",
           "cbind(incidence, size - incidence) ~ 1 + (1 | herd)", binomial),
  glmmCase("contraception", "mlmRev Contraception: use ~ age + I(age^2) + urban + livch + (1 + urban | district)", ctd,
           "data/contraception.csv", "use ~ age + I(age^2) + urban + livch + (1 + urban | district)", binomial),
  glmmCase("contraception-uncorrelated", "mlmRev Contraception: use ~ age + urban + (1 + age || district)", ctd,
           "data/contraception.csv", "use ~ age + urban + (1 + age || district)", binomial),
  glmmCase("grouseticks", "lme4 grouseticks: TICKS ~ YEAR + HEIGHT + (1 | BROOD) (Poisson)", gtd, "data/grouseticks.csv",
           "TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD)", poisson),
  glmmCase("grouseticks-location", "lme4 grouseticks: TICKS ~ YEAR + HEIGHT + (1 | BROOD) + (1 | LOCATION) (Poisson)", gtd,
           "data/grouseticks.csv", "TICKS ~ factor(YEAR) + cHEIGHT + (1 | BROOD) + (1 | LOCATION)", poisson),
  glmmCase("prac-dropout", "PRAC (simulated, seed 1978): left before 8 months ~ 4-month child alliance + (1 | therapist)", prac,
           "../../data/prac/wide.csv", "left8 ~ tasc_child_4 + (1 | therapist)", binomial),
  glmmCase("prac-dropout-both", "PRAC: left8 ~ child and caregiver 4-month alliance + (1 | therapist)", prac,
           "../../data/prac/wide.csv", "left8 ~ tasc_child_4 + tasc_caregiver_4 + (1 | therapist)", binomial)
)
writeLines(toJSON(list(id = "glmm-references", source = "Tests/Fixtures/r/glmm-references.R",
                       R = R.version.string, lme4 = as.character(packageVersion("lme4")), cases = cases),
                  auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           file.path(dir, "glmm-references.json"))
