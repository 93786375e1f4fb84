// No stable API: R's standalone math library, for BordinStats/Distributions.swift only.
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
// qnorm/pnorm etc. are macros for the *5 functions; give Swift callable names.
static inline double bordin_qnorm(double p, double mu, double sigma, int lower, int logp) { return qnorm5(p, mu, sigma, lower, logp); }
static inline double bordin_pnorm(double x, double mu, double sigma, int lower, int logp) { return pnorm5(x, mu, sigma, lower, logp); }
static inline double bordin_dnorm(double x, double mu, double sigma, int logp) { return dnorm4(x, mu, sigma, logp); }
