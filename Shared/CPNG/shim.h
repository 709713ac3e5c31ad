#ifndef IMGREC_CPNG_SHIM_H
#define IMGREC_CPNG_SHIM_H
#include <png.h>
#endif
