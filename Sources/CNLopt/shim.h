// No stable API: NLopt, for BordinStats/Optimize.swift only.
#include <nlopt.h>
