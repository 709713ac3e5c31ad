#ifndef IMGREC_COPENBLAS_SHIM_H
#define IMGREC_COPENBLAS_SHIM_H
#include <x86_64-linux-gnu/cblas.h>
#endif
