// CCrypto shim: the system's libcrypto (OpenSSL 3, Debian's libssl-dev) for HMAC-SHA256.
// Linux only; on macOS the kernel signs with CryptoKit.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
