#ifndef IMGREC_CZLIB_SHIM_H
#define IMGREC_CZLIB_SHIM_H
#include <zlib.h>
#endif
