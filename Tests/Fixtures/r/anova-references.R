# R 4.2.2 (+ car 3.1, effectsize 0.8) calls behind Tests/Fixtures/anova-references.json
# (Anova*Tests, AnovaDirectiveTests) and baseline-references.json (BaselineTableTests).
# Run from the package root:
#   Rscript Tests/Fixtures/r/anova-references.R
# It also writes the datasets it uses to Tests/Fixtures/data/ (toothgrowth, moore,
# warpbreaks-unbalanced, warpbreaks-empty-cell, birthwt-baseline), so the Swift tests read exactly the rows R used.
suppressMessages({ library(jsonlite); library(car); library(effectsize); library(MASS) })
dir <- "Tests/Fixtures"

# ---------------------------------------------------------------------------------------------
# Datasets (factors as text: R and Bordin both sort their levels)
wb <- read.csv(file.path(dir, "data/warpbreaks.csv"))         # written by glm-crosstab-change.R
wbu <- wb[-c(1, 2, 3, 11, 20, 28, 29, 40, 47, 52), ]          # unbalanced: 44 rows, cells 6-9
write.csv(wbu, file.path(dir, "data/warpbreaks-unbalanced.csv"), row.names = FALSE)
tg <- data.frame(len = ToothGrowth$len, supp = as.character(ToothGrowth$supp), dose = as.character(ToothGrowth$dose))
write.csv(tg, file.path(dir, "data/toothgrowth.csv"), row.names = FALSE)
mo <- data.frame(conformity = carData::Moore$conformity, fcategory = as.character(carData::Moore$fcategory),
                 partner = as.character(carData::Moore$partner.status), fscore = carData::Moore$fscore)
write.csv(mo, file.path(dir, "data/moore.csv"), row.names = FALSE)
cp <- read.csv("data/coping-power/children.csv")

# ---------------------------------------------------------------------------------------------
# anova: car::Anova(lm(...), type = 2 | 3), type 3 under contr.sum; effectsize::eta_squared.
anovaCase <- function(id, title, data, datafile, formula, type) {
  old <- options(contrasts = if (type == 3) c("contr.sum", "contr.poly") else c("contr.treatment", "contr.poly"))
  on.exit(options(old))
  m <- lm(as.formula(formula), data = data)
  a <- car::Anova(m, type = type)
  e <- effectsize::eta_squared(a, partial = TRUE, verbose = FALSE)
  rn <- rownames(a)
  terms <- lapply(which(rn != "Residuals"), function(j) {
    t <- list(term = rn[j], ss = a[j, "Sum Sq"], df = a[j, "Df"], F = a[j, "F value"], p = a[j, "Pr(>F)"])
    k <- match(rn[j], e$Parameter)
    # One-term models: effectsize calls the column Eta2 (partial and total coincide).
    if (!is.na(k)) t$eta2_partial <- if (is.null(e$Eta2_partial)) e$Eta2[k] else e$Eta2_partial[k]
    t
  })
  r <- which(rn == "Residuals")
  list(id = id, title = title, data = datafile, formula = formula, type = type,
       source = sprintf("car::Anova(lm(%s), type = %d)%s; effectsize::eta_squared(partial = TRUE)", formula, type,
                        if (type == 3) " with contr.sum" else ""),
       results = list(terms = terms, residual_ss = a[r, "Sum Sq"], residual_df = a[r, "Df"], n = nobs(m),
                      rows_dropped = length(m$na.action)))
}
cases <- list()
for (type in c(2, 3)) {
  cases <- c(cases, list(
    anovaCase(paste0("warpbreaks-oneway-", type), "warpbreaks: breaks ~ tension", wb, "data/warpbreaks.csv", "breaks ~ tension", type),
    anovaCase(paste0("warpbreaks-", type), "warpbreaks: breaks ~ wool * tension (balanced)", wb, "data/warpbreaks.csv", "breaks ~ wool * tension", type),
    anovaCase(paste0("warpbreaks-unbalanced-", type), "warpbreaks without 10 rows: breaks ~ wool * tension (unbalanced)", wbu, "data/warpbreaks-unbalanced.csv", "breaks ~ wool * tension", type),
    anovaCase(paste0("toothgrowth-", type), "ToothGrowth: len ~ supp * dose (dose a factor)", tg, "data/toothgrowth.csv", "len ~ supp * dose", type),
    anovaCase(paste0("moore-", type), "carData::Moore: conformity ~ fcategory * partner (unbalanced)", mo, "data/moore.csv", "conformity ~ fcategory * partner", type),
    anovaCase(paste0("moore-ancova-", type), "carData::Moore: conformity ~ partner + fscore (ANCOVA)", mo, "data/moore.csv", "conformity ~ partner + fscore", type),
    anovaCase(paste0("coping-ancova-", type), "coping power: ext_post ~ format + ext_pre (ANCOVA)", cp, "../../data/coping-power/children.csv", "ext_post ~ format + ext_pre", type),
    anovaCase(paste0("coping-twoway-", type), "coping power: ext_post ~ format * sex + ext_pre", cp, "../../data/coping-power/children.csv", "ext_post ~ format * sex + ext_pre", type)))
}
# Type 2 with an empty cell (no wool B at tension H): car drops the aliased coefficient
# (singular.ok for type 2) and compares models; type 3 refuses such a design.
wbe <- wb[!(wb$wool == "B" & wb$tension == "H"), ]
write.csv(wbe, file.path(dir, "data/warpbreaks-empty-cell.csv"), row.names = FALSE)
cases <- c(cases, list(anovaCase("warpbreaks-empty-cell-2", "warpbreaks without wool B at tension H: breaks ~ wool * tension (an empty cell)",
                                 wbe, "data/warpbreaks-empty-cell.csv", "breaks ~ wool * tension", 2)))
write(toJSON(list(generator = "Tests/Fixtures/r/anova-references.R", R = R.version.string,
                  car = as.character(packageVersion("car")), effectsize = as.character(packageVersion("effectsize")),
                  cases = cases), auto_unbox = TRUE, digits = NA, pretty = TRUE),
      file.path(dir, "anova-references.json"))

# ---------------------------------------------------------------------------------------------
# Table 1 (baseline): per group mean (SD) with Welch t (2 groups) or one-way ANOVA F (more);
# n (%) per level with Pearson's chi-squared (no continuity correction), or Fisher's exact test
# for a 2 x 2 table with an expected count < 5.
bw <- data.frame(smoke = ifelse(birthwt$smoke == 1, "smoker", "non-smoker"), age = birthwt$age, lwt = birthwt$lwt,
                 race = c("white", "black", "other")[birthwt$race], ht = ifelse(birthwt$ht == 1, "yes", "no"),
                 low = ifelse(birthwt$low == 1, "low", "normal"))
write.csv(bw, file.path(dir, "data/birthwt-baseline.csv"), row.names = FALSE)
baseline <- function(id, data, datafile, by, vars) {
  g <- sort(unique(data[[by]]))
  rows <- lapply(vars, function(v) {
    ok <- !is.na(data[[v]]) & !is.na(data[[by]])
    x <- data[[v]][ok]; b <- data[[by]][ok]
    if (is.numeric(x)) {
      groups <- lapply(g, function(l) list(group = l, n = sum(b == l), mean = mean(x[b == l]), sd = sd(x[b == l])))
      if (length(g) == 2) {
        t <- t.test(x[b == g[1]], x[b == g[2]])
        test <- list(test = "welch", statistic = unname(t$statistic), df = unname(t$parameter), p = t$p.value)
      } else {
        a <- summary(aov(x ~ factor(b)))[[1]]
        test <- list(test = "anova", statistic = a[1, "F value"], df1 = a[1, "Df"], df2 = a[2, "Df"], p = a[1, "Pr(>F)"])
      }
      c(list(var = v, type = "numeric", groups = groups), test)
    } else {
      tab <- table(factor(x, levels = sort(unique(x))), factor(b, levels = g))
      levels <- lapply(rownames(tab), function(l) list(level = l, counts = as.numeric(tab[l, ]),
                                                        pct = as.numeric(100 * tab[l, ] / colSums(tab))))
      ch <- suppressWarnings(chisq.test(tab, correct = FALSE))
      test <- if (all(dim(tab) == 2) && min(ch$expected) < 5) {
        list(test = "fisher", p = fisher.test(tab)$p.value)
      } else list(test = "chisq", statistic = unname(ch$statistic), df = unname(ch$parameter), p = ch$p.value)
      c(list(var = v, type = "categorical", levels = levels, min_expected = min(ch$expected)), test)
    }
  })
  list(id = id, data = datafile, by = by, groups = g, n = as.numeric(table(factor(data[[by]], levels = g))), vars = rows)
}
tables <- list(
  baseline("birthwt-smoke", bw, "data/birthwt-baseline.csv", "smoke", c("age", "lwt", "race", "ht")),
  baseline("birthwt-low", bw, "data/birthwt-baseline.csv", "low", c("lwt", "ht", "smoke")),
  baseline("warpbreaks-tension", wb, "data/warpbreaks.csv", "tension", c("breaks", "wool")),
  baseline("coping-format", cp, "../../data/coping-power/children.csv", "format", c("age", "sex", "black", "ext_pre", "int_pre")))
write(toJSON(list(generator = "Tests/Fixtures/r/anova-references.R", R = R.version.string, cases = tables),
             auto_unbox = TRUE, digits = NA, pretty = TRUE),
      file.path(dir, "baseline-references.json"))
