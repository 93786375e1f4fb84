// No stable API: LAPACKE + CBLAS, for BordinStats/LinearAlgebra.swift only.
#include <lapacke.h>
#include <cblas.h>
typedef lapack_int bordin_lapack_int;
