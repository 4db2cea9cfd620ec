/*
 * logon.c: advapi32's LogonUserW, ImpersonateLoggedOnUser and RevertToSelf, as the console uses
 * them to reach a server as another account (runas /netonly): a LOGON32_LOGON_NEW_CREDENTIALS
 * token, impersonated by one worker thread for one job.
 *
 * As on Windows: a NewCredentials logon checks nothing (the password is first tried when a call
 * reaches a server, which then answers ERROR_ACCESS_DENIED or ERROR_LOGON_FAILURE); it needs the
 * LOGON32_PROVIDER_WINNT50 provider; the token is a kernel handle closed with CloseHandle (on
 * Windows, kernel32's own: the token is backed by a real event object, so closing it works
 * there too); impersonation belongs to the calling thread alone, and RevertToSelf ends it.
 * Not simulated: any other logon type (ERROR_NOT_SUPPORTED), and the local computer, which every
 * impersonated call still reaches as the process itself.
 */
#define WINADVAPI
#include "wtssim-farm.h"

#include <stdlib.h>
#include <string.h>

#ifndef LOGON32_LOGON_NEW_CREDENTIALS
#define LOGON32_LOGON_NEW_CREDENTIALS 9
#endif
#ifndef LOGON32_PROVIDER_WINNT50
#define LOGON32_PROVIDER_WINNT50 3
#endif

/* Live tokens by handle value. A closed token's slot goes when its value comes back for a new one. */
#define TOKEN_CAP 1024
typedef struct { HANDLE handle; SimIdentity identity; } SimToken;
static SimToken g_tokens[TOKEN_CAP];
static size_t g_tokenNext;
/* Slots written since the last reset: only those are cleared or searched. Clearing all 3 MB on each
   reset faulted in every page of the table, a tenth of the console's start (8 ms here). */
static size_t g_tokensUsed;

/*
 * The identity each thread impersonates. On Windows through the TLS API: mingw's _Thread_local
 * would need libgcc_s_seh-1.dll beside the DLL, which a Windows machine does not have.
 */
#ifdef _WIN32
static DWORD g_tlsIndex = TLS_OUT_OF_INDEXES;
static SimIdentity *thread_slot(void) {
  sim_lock();
  if (g_tlsIndex == TLS_OUT_OF_INDEXES) g_tlsIndex = TlsAlloc();
  DWORD index = g_tlsIndex;
  sim_unlock();
  return index == TLS_OUT_OF_INDEXES ? NULL : (SimIdentity *)TlsGetValue(index);
}
static int set_thread_identity(const SimIdentity *identity) {
  SimIdentity *slot = thread_slot();
  if (identity == NULL) {
    if (slot) { memset(slot, 0, sizeof *slot); free(slot); TlsSetValue(g_tlsIndex, NULL); }
    return 1;
  }
  if (g_tlsIndex == TLS_OUT_OF_INDEXES) return 0;
  if (!slot) {
    slot = (SimIdentity *)calloc(1, sizeof *slot);
    if (!slot || !TlsSetValue(g_tlsIndex, slot)) { free(slot); return 0; }
  }
  *slot = *identity;
  return 1;
}
const SimIdentity *sim_thread_identity(void) {
  const SimIdentity *slot = thread_slot();
  return slot && slot->set ? slot : NULL;
}
#else
static _Thread_local SimIdentity t_identity;
static int set_thread_identity(const SimIdentity *identity) {
  if (identity) t_identity = *identity; else memset(&t_identity, 0, sizeof t_identity);
  return 1;
}
const SimIdentity *sim_thread_identity(void) { return t_identity.set ? &t_identity : NULL; }
#endif

void sim_logon_reset_locked(void) {
  memset(g_tokens, 0, g_tokensUsed * sizeof g_tokens[0]);
  g_tokenNext = 0;
  g_tokensUsed = 0;
}

static int fits(LPCWSTR text) { return text == NULL || sim_wlen(text) < SIM_IDENTITY_CHARS; }

SIM_EXPORT BOOL WINAPI LogonUserW(LPCWSTR lpszUsername, LPCWSTR lpszDomain, LPCWSTR lpszPassword, DWORD dwLogonType, DWORD dwLogonProvider, PHANDLE phToken) {
  if (!phToken || !lpszUsername || !lpszUsername[0]) FAIL(SIM_ERROR_INVALID_PARAMETER);
  *phToken = NULL;
  if (dwLogonType != LOGON32_LOGON_NEW_CREDENTIALS) FAIL(SIM_ERROR_NOT_SUPPORTED);
  if (dwLogonProvider != LOGON32_PROVIDER_WINNT50) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (!fits(lpszUsername) || !fits(lpszDomain) || !fits(lpszPassword)) FAIL(SIM_ERROR_INVALID_PARAMETER);
  HANDLE token = CreateEventW(NULL, TRUE, FALSE, NULL);
  if (!token) return FALSE; /* CreateEventW set the last error */
  sim_lock();
  size_t slot = g_tokenNext;
  for (size_t i = 0; i < g_tokensUsed; i++) if (g_tokens[i].handle == token) { slot = i; break; }
  if (slot == g_tokenNext) g_tokenNext = (g_tokenNext + 1) % TOKEN_CAP;
  if (slot >= g_tokensUsed) g_tokensUsed = slot + 1;
  SimToken *t = &g_tokens[slot];
  memset(t, 0, sizeof *t);
  t->handle = token;
  t->identity.set = 1;
  sim_wcopy(t->identity.user, SIM_IDENTITY_CHARS, lpszUsername);
  sim_wcopy(t->identity.domain, SIM_IDENTITY_CHARS, lpszDomain);
  sim_wcopy(t->identity.password, SIM_IDENTITY_CHARS, lpszPassword);
  sim_unlock();
  *phToken = token;
  return TRUE;
}

SIM_EXPORT BOOL WINAPI ImpersonateLoggedOnUser(HANDLE hToken) {
  if (!hToken) FAIL(SIM_ERROR_INVALID_HANDLE);
  sim_lock();
  for (size_t i = 0; i < g_tokensUsed; i++) {
    if (g_tokens[i].handle == hToken && g_tokens[i].identity.set) {
      SimIdentity identity = g_tokens[i].identity;
      sim_unlock();
      if (!set_thread_identity(&identity)) FAIL(8);
      return TRUE;
    }
  }
  sim_unlock();
  FAIL(SIM_ERROR_INVALID_HANDLE);
}

SIM_EXPORT BOOL WINAPI RevertToSelf(void) {
  set_thread_identity(NULL);
  return TRUE;
}
