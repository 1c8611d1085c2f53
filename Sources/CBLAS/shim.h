// CBLAS shim: OpenBLAS on Linux (pkg-config openblas), Accelerate on macOS.
#ifdef __APPLE__
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif
