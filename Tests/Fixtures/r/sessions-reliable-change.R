# R 4.2.2: the reliable change of reports/sessions-alliance.md written out in R (Jacobson &
# Truax 1991, as DESIGN.md §3 defines it), behind Tests/Fixtures/sessions-reliable-change.json
# (CopingSessionsReportsTests). Run from the package root:
#   Rscript Tests/Fixtures/r/sessions-reliable-change.R
# Pre = the CORE-OM clinical score (0-40) at the first session, post = at the last, for the
# patients with at least two sessions; reliability .90 and the non-clinical norms M = 7.6,
# SD = 5.9 (Evans et al. 2002, item means 0.76 and 0.59 times 10): cutoff c; by personality
# problems (pp: no/yes). The report builds the same table with two data directives (derive +
# filter, then wider).
suppressMessages(library(jsonlite))
s <- read.csv("data/sessions/sessions.csv")
ends <- s[s$sessions >= 2 & (s$session == 1 | s$session == s$sessions), ]
first <- ends[ends$session == 1, c("patient", "personality", "core")]
last <- ends[ends$session == ends$sessions, c("patient", "core")]
pp <- merge(first, last, by = "patient", suffixes = c("_first", "_last"))
pp$pp <- ifelse(pp$personality == 1, "yes", "no")
jt <- function(pre, post, reliability, norm_mean, norm_sd, by) {
  ok <- !is.na(pre) & !is.na(post)
  pre <- pre[ok]; post <- post[ok]; by <- by[ok]
  s1 <- sd(pre); m1 <- mean(pre)
  sdiff <- sqrt(2) * s1 * sqrt(1 - reliability)
  cut <- (norm_sd * m1 + s1 * norm_mean) / (norm_sd + s1)
  rci <- (post - pre) / sdiff
  improved <- rci < -1.96; worse <- rci > 1.96; functional <- post < cut
  cat <- ifelse(improved & functional, "recovered", ifelse(improved, "improved", ifelse(worse, "deteriorated", "unchanged")))
  levels <- c("recovered", "improved", "unchanged", "deteriorated")
  tab <- function(cat, group) lapply(levels, function(l) list(group = group, category = l, n = sum(cat == l), pct = 100 * mean(cat == l)))
  list(n = length(pre), sd = s1, mean_pre = m1, sdiff = sdiff, min_reliable_change = 1.96 * sdiff, cutoff = cut,
       categories = do.call(c, lapply(sort(unique(by)), function(g) tab(cat[by == g], g))),
       overall = tab(cat, "all"))
}
res <- jt(pp$core_first, pp$core_last, 0.9, 7.6, 5.9, pp$pp)
writeLines(toJSON(list(id = "sessions-reliable-change", source = "Tests/Fixtures/r/sessions-reliable-change.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = ".")),
                       patients = length(unique(s$patient)), results = res),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           "Tests/Fixtures/sessions-reliable-change.json")
