#ifndef IMGREC_CCRYPTO_SHIM_H
#define IMGREC_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/sha.h>
#endif
