/*
 * bcryptprimitives.dll for the Windows lane under Wine 8, which lacks ProcessPrng: ffi-rs's
 * win32 binary imports it (Rust's standard library asks for it on Windows 10 and later). Put
 * beside node.exe, it answers over BCryptGenRandom, the system's random number generator.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  return BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, (ULONG)length, BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}
