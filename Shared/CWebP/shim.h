#ifndef IMGREC_CWEBP_SHIM_H
#define IMGREC_CWEBP_SHIM_H
#include <webp/decode.h>
#endif
