# The typed-results corpus of `bordin check --statistics` (issue 16), its ground truth, and a
# comparison with R's statcheck on the same text.
#
#   Rscript Tests/Fixtures/r/statcheck-corpus.R            # from the repository root
#
# Writes Tests/Fixtures/statcheck/corpus.md (one statement per line), corpus.html (one <p> per
# line), corpus-truth.tsv (per result: file, line, test, df, value, reported p, the p recomputed
# here with pt/pf/pchisq/pnorm, its range over the statistic's rounding interval, and the
# verdict) and corpus-recall.txt (detection and error recall of statcheck and, when built, of
# .build/debug/bordin). Every row's fields are known by construction (hand-annotated or
# generated), never parsed from the text, so the truth does not depend on either scanner.
#
# The verdict rule is statcheck 1.4's (error_test, decision_error_test with pEqualAlphaSig =
# TRUE, alpha = .05, OneTailedTxt = TRUE) with the cue taken from the result's own sentence,
# plus: impossible values (|r| > 1, p > 1, p < 0, negative F/chi2) are "impossible-value";
# p = .000 that fits is "reporting-error" (statcheck counts it an error).
set.seed(16)
suppressWarnings(have_statcheck <- requireNamespace("statcheck", quietly = TRUE))

rows <- list()
add <- function(file, text, test, df1, df2, value, p, prel = "=", vrel = "=", cue = FALSE, source = "hand") {
  rows[[length(rows) + 1]] <<- data.frame(file = file, text = text, test = test, df1 = df1, df2 = df2, value = value,
                                          p = p, prel = prel, vrel = vrel, cue = cue, source = source, stringsAsFactors = FALSE)
}
md <- function(...) add("corpus.md", ...)
ht <- function(...) add("corpus.html", ...)

# --- statcheck's own test sentences (tests/testthat of statcheck 1.4), as results -------------
sc <- function(text, ...) md(text, ..., source = "statcheck")
sc("t(28) = 2.20, p = .03", "t", 28, NA, "2.20", ".03")
sc("t(28)=2.20,p=.03", "t", 28, NA, "2.20", ".03")
sc("t(28.1) = 2.20, p = .03", "t", 28.1, NA, "2.20", ".03")
sc("t(28) = -2.20, p = .03", "t", 28, NA, "-2.20", ".03")
sc("t(553) = − 4.46, p < .0001", "t", 553, NA, "-4.46", ".0001", "<")
sc("t(28) = 2.20, p = 0.03", "t", 28, NA, "2.20", "0.03")
sc("t(28) = 2.20, p = .036", "t", 28, NA, "2.20", ".036")
sc("t(28) = 2.20, p = .037", "t", 28, NA, "2.20", ".037")
sc("t(28) = 2.20, p = .04", "t", 28, NA, "2.20", ".04")
sc("t(28) = 2.20, p = .06", "t", 28, NA, "2.20", ".06")
sc("t(28) = 2.20, p = .05", "t", 28, NA, "2.20", ".05")
sc("t(28) = 2.20, p = .10", "t", 28, NA, "2.20", ".10")
sc("t(28) = 2.20, p = .30", "t", 28, NA, "2.20", ".30")
sc("t(28) = 1.20, p = .005", "t", 28, NA, "1.20", ".005")
sc("t(28) = 1.20, p = .09", "t", 28, NA, "1.20", ".09")
sc("t(28) = 5.20, p = .02", "t", 28, NA, "5.20", ".02")
sc("t(28) = 2, p = .02", "t", 28, NA, "2", ".02")
sc("t(28) = 2, p = .14", "t", 28, NA, "2", ".14")
sc("t(28) = 2.0, p < .05", "t", 28, NA, "2.0", ".05", "<")
sc("t(28) = 2.20, p < .03", "t", 28, NA, "2.20", ".03", "<")
sc("t(28) = 2.20, p > .03", "t", 28, NA, "2.20", ".03", ">")
sc("t(28) = 2.20, p > .05", "t", 28, NA, "2.20", ".05", ">")
sc("t(28) = 2.20, ns", "t", 28, NA, "2.20", "", "ns")
sc("t(28) = 2.20; p = .03", "t", 28, NA, "2.20", ".03")
sc("t(28) = 2,000.20, p = .03", "t", 28, NA, "2000.20", ".03")
sc("t(28) = 2.20, p = .5e-3", "t", 28, NA, "2.20", ".5e-3")
sc("t(28) = 22.20, p = .000", "t", 28, NA, "22.20", ".000")
sc("t(28) < 2.2, p = .02", "t", 28, NA, "2.2", ".02", "=", "<")
sc("t(28) < 2.2, p = .08", "t", 28, NA, "2.2", ".08", "=", "<")
sc("t(28) < 2.2, p < .02", "t", 28, NA, "2.2", ".02", "<", "<")
sc("t(28) < 2.2, p > .08", "t", 28, NA, "2.2", ".08", ">", "<")
sc("t(28) > 2.2, p = .02", "t", 28, NA, "2.2", ".02", "=", ">")
sc("t(28) > 2.2, p = .08", "t", 28, NA, "2.2", ".08", "=", ">")
sc("t(28) > 2.2, p > .02", "t", 28, NA, "2.2", ".02", ">", ">")
sc("t(28) > 2.2, p < .08", "t", 28, NA, "2.2", ".08", "<", ">")
sc("t(28) = 2.20, p = .018, one-tailed", "t", 28, NA, "2.20", ".018", cue = TRUE)
sc("t(28) = 2.20, p = .018, one-sided", "t", 28, NA, "2.20", ".018", cue = TRUE)
sc("t(28) = 2.20, p = .018, directional", "t", 28, NA, "2.20", ".018", cue = TRUE)
sc("t(28) = 2.20, p = .01, one-tailed", "t", 28, NA, "2.20", ".01", cue = TRUE)
sc("t(28) = 2.20, p = .018", "t", 28, NA, "2.20", ".018")
sc("F(2, 28) = 2.20, p = .03", "F", 2, 28, "2.20", ".03")
sc("F(2,28)=2.20,p=.03", "F", 2, 28, "2.20", ".03")
sc("F(2.1, 28.1) = 2.20, p = .03", "F", 2.1, 28.1, "2.20", ".03")
sc("F(2, 28) = 2.20, p = .15", "F", 2, 28, "2.20", ".15")
sc("F(l, 76) = 23.95, p <.001", "F", 1, 76, "23.95", ".001", "<")
sc("r(28) = .20, p = .03", "r", 28, NA, ".20", ".03")
sc("r(28)=.20,p=.03", "r", 28, NA, ".20", ".03")
sc("r(28) = .22, p = .26", "r", 28, NA, ".22", ".26")
sc("chi2(28) = 2.20, p = .03", "chi2", 28, NA, "2.20", ".03")
sc("X2(28) = 2.20, p = .03", "chi2", 28, NA, "2.20", ".03")
sc("x2(28) = 2.20, p = .03", "chi2", 28, NA, "2.20", ".03")
sc("chi2(28) = 22.20, p = .77", "chi2", 28, NA, "22.20", ".77")
sc("chi2(28) = 22.20, p = .79", "chi2", 28, NA, "22.20", ".79")
sc("chi2(1, N = 11,455) = 16.78, p <.001", "chi2", 1, NA, "16.78", ".001", "<")
sc("chi2(1, n = 81) = 3.25, p = 0.07", "chi2", 1, NA, "3.25", "0.07")
sc("chi2(28, N = 129) = 2.2, p = .03", "chi2", 28, NA, "2.2", ".03")
sc("z = 2.20, p = .03", "z", NA, NA, "2.20", ".03")
sc("Z = -2.42, p = 0.016", "z", NA, NA, "-2.42", "0.016")
sc("z=2.20,p=.03", "z", NA, NA, "2.20", ".03")
sc("z = 2.20, p = .06", "z", NA, NA, "2.20", ".06")
sc("Q(2) = 2.20, p = .03", "Q", 2, NA, "2.20", ".03")
sc("Q(28) = 22.20, p = .79", "Q", 28, NA, "22.20", ".79")
sc("Q(28) = 52.20, p = .06", "Q", 28, NA, "52.20", ".06")
sc("Qw(2) = 2.20, p = .03", "Qw", 2, NA, "2.20", ".03")
sc("Qwithin(2) = 2.20, p = .03", "Qw", 2, NA, "2.20", ".03")
sc("Q-within(2) = 2.20, p = .03", "Qw", 2, NA, "2.20", ".03")
sc("Qb(2) = 2.20, p = .03", "Qb", 2, NA, "2.20", ".03")
sc("Qbetween(2) = 2.20, p = .03", "Qb", 2, NA, "2.20", ".03")
sc("Q-between(2) = 2.20, p = .03", "Qb", 2, NA, "2.20", ".03")
sc("r(16) = 26.05, p = .10", "r", 16, NA, "26.05", ".10")
sc("t(28) = 2.20, p = 1.03", "t", 28, NA, "2.20", "1.03")

# --- issue 16's reproducers ------------------------------------------------------------------
rp <- function(text, ...) md(text, ..., source = "issue16")
rp("A follow-up gave r(50) = .20, p = .03.", "r", 50, NA, ".20", ".03")
rp("The Sobel test gave z = .85, p = .20.", "z", NA, NA, ".85", ".20")
rp("The indirect effect was Z = 2.50, p = .012.", "z", NA, NA, "2.50", ".012")
rp("Moderators explained variance, Qb(1) = 5.00, p = .025.", "Qb", 1, NA, "5.00", ".025")
rp("Residual heterogeneity remained, Qw(1) = 5.00, p = .30.", "Qw", 1, NA, "5.00", ".30")
rp("Dropout differed by arm, x2(1) = 5.00, p = .025.", "chi2", 1, NA, "5.00", ".025")
rp("Dropout differed by site, Χ2(1) = 5.00, p = .025.", "chi2", 1, NA, "5.00", ".025")
rp("Pandoc wrote *χ*^2^(1) = 5.00, *p* = .025.", "chi2", 1, NA, "5.00", ".025")
rp("Across 2,500 clients, χ2(1, N = 2,500) = 5.00, p = .40.", "chi2", 1, NA, "5.00", ".40")
rp("Adherence did not matter, t(30) < 1.00, p = .01.", "t", 30, NA, "1.00", ".01", "=", "<")
rp("Gender did not matter, F(1, 40) < 1, ns.", "F", 1, 40, "1", "", "ns", "<")
rp("A large effect, F(1, 500) = 1,200.0, p = .40.", "F", 1, 500, "1200.0", ".40")
rp("Symptoms fell, t(30) = –2.50, p = .018.", "t", 30, NA, "-2.50", ".018")
rp("Therapist sex mattered, F(1, 30) = 9.00, n.s.", "F", 1, 30, "9.00", "", "ns")
rp("Pandoc escaped it, t(30) = 2.50, p \\< .001.", "t", 30, NA, "2.50", ".001", "<")
rp("Capital P, t(30) = 1.05, P = .30.", "t", 30, NA, "1.05", ".30")
rp("An exponent, t(30) = 2.50, p = 1.8e-2.", "t", 30, NA, "2.50", "1.8e-2")
rp("Inline LaTeX, $t$(30) = 2.50, $p$ = .30.", "t", 30, NA, "2.50", ".30")
rp("At the threshold, t(30) = 2.50, p = .05.", "t", 30, NA, "2.50", ".05")
rp("At the threshold again, t(30) = 1.50, p = .05.", "t", 30, NA, "1.50", ".05")
rp("Bounded below, t(30) = 3.50, p > .01.", "t", 30, NA, "3.50", ".01", ">")
rp("A non-directional test gave t(30) = 1.80, p = .04.", "t", 30, NA, "1.80", ".04")
rp("As preregistered (1-tailed), t(30) = 1.80, p = .04.", "t", 30, NA, "1.80", ".04", cue = TRUE)
rp("As preregistered (one\u2011tailed), t(30) = 1.80, p = .04.", "t", 30, NA, "1.80", ".04", cue = TRUE)
rp("Impossible, r(30) = 1.50, p = .01.", "r", 30, NA, "1.50", ".01")
rp("Too small to print, t(40) = 6.20, p = .000.", "t", 40, NA, "6.20", ".000")
# Beyond statcheck: APA's error mean square between F and p.
md("Experience predicted alliance, F(1, 40) = 4.10, MSE = 2.30, p = .05.", "F", 1, 40, "4.10", ".05", source = "hand")
md("Format differed, F(2, 96) = 3.10, MSE = 0.84, p = .01.", "F", 2, 96, "3.10", ".01", source = "hand")

# --- generated results, in psychotherapy-paper phrasing and in every notation ----------------
lead <- c("The working alliance at session 3 predicted symptom change", "Clients in CBT improved more than waitlist controls",
          "Therapist empathy correlated with outcome", "Dropout differed by treatment arm",
          "Heterogeneity across the trials was substantial", "Session attendance was unrelated to baseline severity",
          "Early response predicted remission", "Adherence ratings differed between therapists",
          "Alliance ruptures were more frequent in the first month", "The interaction of time and condition was reliable",
          "Client-rated bond and task agreement were associated", "Outcome expectancy moderated the effect")
pfun <- function(test, x, df1, df2) {
  switch(test, t = 2 * pt(-abs(x), df1), z = 2 * pnorm(-abs(x)), F = pf(x, df1, df2, lower.tail = FALSE),
         r = if (abs(x) >= 1) 0 else 2 * pt(-abs(x * sqrt(df1 / (1 - x^2))), df1),
         pchisq(x, df1, lower.tail = FALSE))
}
qstat <- function(test, p, df1, df2) {
  switch(test, t = qt(p / 2, df1, lower.tail = FALSE), z = qnorm(p / 2, lower.tail = FALSE),
         F = qf(p, df1, df2, lower.tail = FALSE), r = { t <- qt(p / 2, df1, lower.tail = FALSE); t / sqrt(df1 + t^2) },
         qchisq(p, df1, lower.tail = FALSE))
}
fmt <- function(x, d) sub("^(-?)0\\.", "\\1.", formatC(x, format = "f", digits = d))
fmt0 <- function(x, d) formatC(x, format = "f", digits = d)
tests <- c("t", "t", "F", "F", "r", "chi2", "z", "Q", "Qb")
styles_md <- c("plain", "italic", "pandoc", "latex", "unicode", "nospace")
for (k in 1:300) {
  test <- tests[(k - 1) %% length(tests) + 1]
  df1 <- switch(test, t = sample(c(12, 24, 30, 48, 58, 98, 146), 1), F = sample(1:4, 1), r = sample(c(20, 38, 48, 98, 210), 1),
                z = NA, sample(1:6, 1))
  df2 <- if (test == "F") sample(c(40, 96, 120, 147, 312), 1) else NA
  ptrue <- 10^runif(1, -4.5, -0.2)
  x <- qstat(test, ptrue, df1, df2)
  if (test %in% c("t", "z", "r") && runif(1) < 0.3) x <- -x
  vd <- if (test == "r") 2 else sample(c(1, 2, 2, 2, 3), 1)
  vs <- if (test == "r") fmt(x, vd) else fmt0(x, vd)
  pc <- pfun(test, as.numeric(vs), df1, df2)
  kind <- sample(c("right", "right", "right", "typo", "cross", "onetail", "bound"), 1)
  cue <- FALSE
  prel <- "="
  if (kind == "right") {
    if (pc < .001) { ps <- ".001"; prel <- "<" } else ps <- fmt(pc, sample(2:3, 1))
  } else if (kind == "typo") {
    ps <- fmt(min(.99, pc * sample(c(0.3, 0.5, 2, 3), 1)), 3)
  } else if (kind == "cross") {
    ps <- if (pc <= .05) fmt(runif(1, .06, .4), 2) else fmt(runif(1, .001, .045), 3)
  } else if (kind == "onetail") {
    cue <- runif(1) < 0.7
    ps <- fmt(max(pc / 2, .001), 3)
  } else {
    if (pc <= .05) { prel <- "<"; ps <- sample(c(".05", ".01", ".001"), 1) } else { prel <- sample(c(">", "ns"), 1); ps <- if (prel == ">") ".05" else "" }
  }
  html <- k %% 4 == 0
  style <- if (html) sample(c("tags", "entities", "numeric", "sub"), 1) else styles_md[(k %/% 9) %% length(styles_md) + 1]
  neg <- substr(vs, 1, 1) == "-"
  absv <- sub("^-", "", vs)
  if (test == "F" && runif(1) < 0.1) { absv <- "1,250.5"; vs <- "1250.5" }
  minus <- if (!neg) "" else switch(style, unicode = "\u2212", latex = "-", tags = "&minus;", entities = "&#8722;", numeric = "&#x2212;", sub = "\u2013", "-")
  i <- function(s) switch(style, italic = paste0("*", s, "*"), pandoc = paste0("*", s, "*"), latex = paste0("$", s, "$"),
                          tags = paste0("<i>", s, "</i>"), entities = paste0("<em>", s, "</em>"), s)
  sym <- switch(test,
    chi2 = switch(style, pandoc = "*χ*^2^", latex = "$\\chi^2$", italic = "*χ*²", unicode = "Χ2", nospace = "chi2", plain = "χ2",
                  tags = "<i>&chi;</i><sup>2</sup>", entities = "&#967;&sup2;", numeric = "&#x3C7;<sup>2</sup>", sub = "&Chi;<sup>2</sup>"),
    Qb = switch(style, pandoc = "*Q*~b~", tags = "<i>Q</i><sub>b</sub>", sub = "Q<sub>between</sub>", latex = "$Q_b$", "Qb"),
    i(if (test == "z" && style %in% c("unicode", "numeric")) "Z" else test))
  dfs <- if (is.na(df1)) "" else if (test == "F") sprintf("(%s, %s)", df1, df2) else if (test == "chi2" && runif(1) < 0.4) sprintf("(%s, N = %s)", df1, format(sample(c(120, 348, 2500, 11455), 1), big.mark = ",")) else sprintf("(%s)", df1)
  sp <- if (style == "nospace") "" else switch(style, entities = "&thinsp;", numeric = "&nbsp;", " ")
  rel <- function(r) {
    if (!html) return(if (style == "pandoc" && r == "<") "\\<" else r)
    switch(r, "<" = sample(c("&lt;", "<"), 1), ">" = sample(c("&gt;", ">"), 1), r)
  }
  pp <- if (prel == "ns") "ns" else paste0(i(if (style == "unicode" && k %% 2 == 0) "P" else "p"), sp, rel(prel), sp, ps)
  res <- paste0(sym, dfs, sp, "=", sp, minus, absv, ",", if (style == "nospace") "" else " ", pp)
  cuetext <- if (cue) sample(c(" (one-tailed)", ", one-sided", " (1-tailed test)", ", as a directional test"), 1) else if (kind == "onetail") sample(c(" (two-tailed)", ", non-directional", ""), 1) else ""
  sentence <- paste0(sample(lead, 1), ", ", res, cuetext, ".")
  val <- if (neg) paste0("-", sub(",", "", absv)) else sub(",", "", absv)
  if (html) ht(paste0("<p>", sentence, "</p>"), test, df1, df2, val, ps, prel, cue = cue, source = "generated")
  else md(sentence, test, df1, df2, val, ps, prel, cue = cue, source = "generated")
}
# A few HTML sentences by hand: literal < and > in text, and a computed-looking link.
ht("<p>Both held, t(30) = 3.50, p < .01, and <b>F</b>(1, 30) = 9.00, p < .01.</p>", "t", 30, NA, "3.50", ".01", "<")
ht("<p>No effect, <i>t</i>(30) = 1.05, <i>p</i> > .05.</p>", "t", 30, NA, "1.05", ".05", ">")

truth <- do.call(rbind, rows)
# A line may hold two results: the HTML line above.
truth$second <- FALSE
extra <- data.frame(file = "corpus.html", text = NA, test = "F", df1 = 1, df2 = 30, value = "9.00", p = ".01", prel = "<", vrel = "=",
                    cue = FALSE, source = "hand", second = TRUE, stringsAsFactors = FALSE)

# --- the rule ---------------------------------------------------------------------------------
dec <- function(s) {
  if (s == "") return(2)
  m <- regmatches(s, regexec("^-?[0-9]*\\.?([0-9]*)(e(-?[0-9]+))?$", s))[[1]]
  d <- nchar(m[2]); if (m[4] != "") d <- max(0, d - as.integer(m[4])); d
}
judge <- function(r) {
  x <- as.numeric(r$value); vd <- dec(r$value)
  p <- if (r$prel == "ns") .05 else as.numeric(r$p); pd <- dec(r$p); prel <- if (r$prel == "ns") ">" else r$prel
  pc <- pfun(r$test, x, r$df1, r$df2)
  lohi <- function(two) {
    h <- 0.5 / 10^vd; a <- pfun(r$test, max(abs(x) - h, 0), r$df1, r$df2); b <- pfun(r$test, abs(x) + h, r$df1, r$df2)
    if (!two) { a <- a / 2; b <- b / 2 }
    c(min(a, b), max(a, b))
  }
  err <- function(two) {
    lh <- lohi(two); low <- lh[1]; up <- lh[2]
    rd <- function(v) round(v, pd)
    switch(paste(r$vrel, prel),
      "= =" = p > rd(up) + 1e-12 || p < rd(low) - 1e-12, "= <" = p < low, "= >" = p > up,
      "< =" = p < rd(up) - 1e-12, "< <" = p < up, "< >" = FALSE,
      "> =" = p > rd(low) + 1e-12, "> <" = FALSE, "> >" = p > low)
  }
  dec_err <- function(comp) {
    switch(paste(r$vrel, prel),
      "= =" = (p <= .05 && comp > .05) || (p > .05 && comp <= .05), "= <" = p <= .05 && comp > .05, "= >" = p >= .05 && comp <= .05,
      "< =" = , "< <" = p <= .05 && comp >= .05, "> =" = p > .05 && comp <= .05, "> >" = p >= .05 && comp <= .05, FALSE)
  }
  two_tails <- r$test %in% c("t", "z", "r")
  imp <- (r$test == "r" && abs(x) > 1) || p > 1 || (prel == "<" && p <= 0) || (r$test %in% c("F", "chi2", "Q", "Qb", "Qw") && x < 0)
  lh <- lohi(TRUE)
  if (imp) return(list(v = "impossible-value", pc = pc, lo = lh[1], hi = lh[2]))
  if (!err(TRUE)) return(list(v = if (prel == "=" && p == 0) "reporting-error" else "ok", pc = pc, lo = lh[1], hi = lh[2]))
  if (r$cue && two_tails && !err(FALSE)) { l1 <- lohi(FALSE); return(list(v = "ok-one-tailed", pc = pc / 2, lo = l1[1], hi = l1[2])) }
  list(v = if (dec_err(pc)) "decision-error" else "inconsistent", pc = pc, lo = lh[1], hi = lh[2])
}

# --- write the corpus and the truth -----------------------------------------------------------
out_dir <- "Tests/Fixtures/statcheck"
# Markdown: one statement per paragraph (a blank line between), after two header lines; HTML: one <p> per line.
seqn <- ave(seq_len(nrow(truth)), truth$file, FUN = seq_along)
truth$line <- ifelse(truth$file == "corpus.md", 2 * seqn + 1, seqn + 2)
md_lines <- c("# Typed results corpus (generated by Tests/Fixtures/r/statcheck-corpus.R; do not edit)", "",
              as.vector(rbind(truth$text[truth$file == "corpus.md"], "")))
html_lines <- c("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Typed results corpus</title></head><body>",
                "<!-- generated by Tests/Fixtures/r/statcheck-corpus.R; do not edit -->",
                truth$text[truth$file == "corpus.html"], "</body></html>")
writeLines(md_lines, file.path(out_dir, "corpus.md"), useBytes = TRUE)
writeLines(html_lines, file.path(out_dir, "corpus.html"), useBytes = TRUE)
extra$line <- truth$line[truth$file == "corpus.html" & grepl("Both held", truth$text)]
extra$text <- ""
all <- rbind(truth, extra)
all <- all[order(all$file, all$line, all$second), ]
j <- lapply(seq_len(nrow(all)), function(k) judge(all[k, ]))
all$verdict <- sapply(j, `[[`, "v"); all$p_recomputed <- sapply(j, `[[`, "pc")
all$p_low <- sapply(j, `[[`, "lo"); all$p_high <- sapply(j, `[[`, "hi")
tsv <- data.frame(file = all$file, line = all$line, test = all$test, df1 = ifelse(is.na(all$df1), "", all$df1),
                  df2 = ifelse(is.na(all$df2), "", all$df2), value_relation = all$vrel, value = all$value,
                  p_relation = all$prel, reported_p = all$p, one_tailed_cue = all$cue, source = all$source,
                  p_recomputed = trimws(formatC(all$p_recomputed, digits = 10, format = "g")),
                  p_low = trimws(formatC(all$p_low, digits = 10, format = "g")), p_high = trimws(formatC(all$p_high, digits = 10, format = "g")),
                  verdict = all$verdict)
write.table(tsv, file.path(out_dir, "corpus-truth.tsv"), sep = "\t", quote = FALSE, row.names = FALSE)

# --- recall of statcheck and of bordin on the same files --------------------------------------
is_err <- all$verdict %in% c("inconsistent", "decision-error")
ok_truth <- all$verdict %in% c("ok", "ok-one-tailed")
# found/flagged/decision: logical per truth row (NA when not found); `sub` restricts to a subset.
score1 <- function(name, found, flagged, decision, sub = rep(TRUE, nrow(all))) {
  e <- is_err & sub; d <- all$verdict == "decision-error" & sub
  fa <- sum(flagged & ok_truth & sub, na.rm = TRUE)
  fd <- sum(decision & !d & sub, na.rm = TRUE)
  sprintf("%-34s results %d/%d found (%.1f%%); inconsistencies %d/%d caught (%.1f%%); decision errors %d/%d; false alarms %d; false decision errors %d",
          name, sum(found & sub), sum(sub), 100 * sum(found & sub) / sum(sub), sum(flagged & e, na.rm = TRUE), sum(e),
          100 * sum(flagged & e, na.rm = TRUE) / sum(e), sum(decision & d, na.rm = TRUE), sum(d), fa, fd)
}
# Also on the plain-text part (statcheck's own sentences and plain-notation generated results),
# where markup does not hide results from statcheck.
plain <- all$source == "statcheck" | (all$file == "corpus.md" & !grepl("[*$\\\\^]|\u2212|\u03a7", all$text) & all$source == "generated")
score <- function(name, found, flagged, decision) {
  c(score1(name, found, flagged, decision), score1(paste(name, "[plain text]"), found, flagged, decision, plain))
}
report <- c(sprintf("corpus: %d results (%d Markdown lines, %d HTML lines); verdicts: %s", nrow(all), sum(truth$file == "corpus.md"),
                    sum(truth$file == "corpus.html"), paste(names(table(all$verdict)), table(all$verdict), sep = " ", collapse = ", ")))
# The result each truth row was found as (same file, line, test and |value|), or NA.
match_rows <- function(res_file, res_line, res_test, res_value) {
  idx <- rep(NA_integer_, nrow(all)); used <- rep(FALSE, length(res_line))
  for (k in seq_len(nrow(all))) {
    cand <- which(!used & res_file == all$file[k] & res_line == all$line[k] & res_test == all$test[k] &
                  abs(abs(res_value) - abs(as.numeric(all$value[k]))) < 1e-9)
    if (length(cand)) { used[cand[1]] <- TRUE; idx[k] <- cand[1] }
  }
  idx
}
if (have_statcheck) {
  library(statcheck)
  md_txt <- md_lines; names(md_txt) <- paste0("corpus.md:", seq_along(md_lines))
  tmp <- tempfile(fileext = ".html")
  html_txt <- sapply(html_lines, function(l) { writeLines(l, tmp, useBytes = TRUE); statcheck:::getHTML(tmp)[[1]] })
  names(html_txt) <- paste0("corpus.html:", seq_along(html_lines))
  for (one_tailed in c(FALSE, TRUE)) {
    res <- suppressMessages(statcheck(c(md_txt, html_txt), messages = FALSE, OneTailedTxt = one_tailed))
    src <- do.call(rbind, strsplit(as.character(res$source), ":"))
    ty <- c(t = "t", F = "F", r = "r", Chi2 = "chi2", Z = "z", Q = "Q", Qb = "Qb", Qw = "Qw")[as.character(res$test_type)]
    m <- match_rows(src[, 1], as.integer(src[, 2]), ty, res$test_value)
    report <- c(report, score(sprintf("statcheck %s (OneTailedTxt=%s)", packageVersion("statcheck"), one_tailed), !is.na(m),
                              res$error[m], res$decision_error[m]))
    if (one_tailed) {
      # Where statcheck's verdict differs from the truth, and why (auditing the truth).
      dis <- which(!is.na(m) & ((res$error[m] != (all$verdict %in% c("inconsistent", "decision-error"))) |
                                  (res$decision_error[m] != (all$verdict == "decision-error"))))
      why <- function(k) {
        r <- all[k, ]
        if (r$verdict == "reporting-error") return("p = .000: statcheck counts it an error (pZeroError)")
        if (grepl("e-", r$p)) return("exponent in p: statcheck counts the decimals of the mantissa only")
        if (r$cue && r$verdict == "ok-one-tailed") return("one-tailed cue statcheck's regex misses (1-tailed, one\u2011tailed)")
        if (!r$cue && grepl("directional|tailed|sided", r$text)) return("cue statcheck reads in another result's sentence or in \"non-directional\"")
        "other"
      }
      report <- c(report, sprintf("  statcheck differs from the truth on %d found results:", length(dis)),
                  sprintf("    %s:%d %s (truth %s): %s", all$file[dis], all$line[dis], all$value[dis], all$verdict[dis], sapply(dis, why)))
    }
  }
}
bordin <- Sys.getenv("BORDIN", ".build/debug/bordin")
if (file.exists(bordin)) {
  out <- suppressWarnings(system2(bordin, c("check", "--statistics", "--format", "tsv", file.path(out_dir, "corpus.md"), file.path(out_dir, "corpus.html")), stdout = TRUE))
  b <- read.delim(text = out, quote = "", stringsAsFactors = FALSE, colClasses = "character")
  m <- match_rows(basename(b$file), as.integer(b$line), sub("\u03c72", "chi2", b$test), as.numeric(sub("^[<>]", "", b$value)))
  report <- c(report, score("bordin", !is.na(m), (b$verdict %in% c("inconsistent", "decision-error", "impossible-value"))[m],
                            (b$verdict == "decision-error")[m]),
              sprintf("bordin verdict equal to the truth: %d/%d", sum(b$verdict[m] == all$verdict, na.rm = TRUE), nrow(all)))
}
writeLines(report, file.path(out_dir, "corpus-recall.txt"))
cat(report, sep = "\n")
