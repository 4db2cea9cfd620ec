/*
 * accounts.c: advapi32's LookupAccountSidW over the farm's accounts, and the SID conversions the
 * simulator's halves share.
 *
 * As on Windows: the well-known accounts a session host's processes run as resolve everywhere
 * (SYSTEM, LOCAL SERVICE and NETWORK SERVICE in NT AUTHORITY; DWM-n in Window Manager; UMFD-n in
 * Font Driver Host); a domain account resolves on any server; a local account (its domain is a
 * server's own name) only on that server; anything else fails with ERROR_NONE_MAPPED. A buffer
 * too small fails with ERROR_INSUFFICIENT_BUFFER and both counts set to the sizes needed,
 * terminators included. A remote lpSystemName pays that server's round trip and its faults.
 */
#define WINADVAPI
#include "wtssim-farm.h"

#include <stdio.h>
#include <string.h>

#define SIM_ERROR_NONE_MAPPED 1332u
#define SIM_ERROR_INVALID_SID 1337u

size_t sim_sid_from_text(LPCWSTR text, BYTE *out) {
  if (!text || text[0] != L'S' || text[1] != L'-') return 0;
  LPCWSTR p = text + 2;
  uint64_t parts[17];
  size_t count = 0;
  while (*p && count < 17) {
    uint64_t v = 0;
    int digits = 0;
    while (*p >= L'0' && *p <= L'9' && digits < 16) { v = v * 10 + (uint64_t)(*p - L'0'); p++; digits++; }
    if (!digits) return 0;
    parts[count++] = v;
    if (*p == L'-') p++; else if (*p) return 0;
  }
  if (*p || count < 2 || parts[0] != 1 || parts[1] >= (1ull << 48) || count - 2 > 15) return 0;
  size_t sub = count - 2;
  out[0] = 1;
  out[1] = (BYTE)sub;
  for (int i = 0; i < 6; i++) out[2 + i] = (BYTE)(parts[1] >> (8 * (5 - i))); /* SID_IDENTIFIER_AUTHORITY is big-endian */
  for (size_t i = 0; i < sub; i++) {
    if (parts[2 + i] > 0xffffffffull) return 0;
    uint32_t v = (uint32_t)parts[2 + i];
    BYTE *q = out + 8 + 4 * i;
    q[0] = (BYTE)v; q[1] = (BYTE)(v >> 8); q[2] = (BYTE)(v >> 16); q[3] = (BYTE)(v >> 24);
  }
  return 8 + 4 * sub;
}

int sim_sid_to_text(const BYTE *sid, WCHAR *out, size_t cap) {
  if (!sid || sid[0] != 1 || sid[1] > 15) return 0;
  char text[200];
  uint64_t authority = 0;
  for (int i = 0; i < 6; i++) authority = (authority << 8) | sid[2 + i];
  int n = snprintf(text, sizeof text, "S-1-%llu", (unsigned long long)authority);
  for (int i = 0; i < sid[1]; i++) {
    const BYTE *q = sid + 8 + 4 * i;
    uint32_t v = (uint32_t)q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16) | ((uint32_t)q[3] << 24);
    n += snprintf(text + n, sizeof text - (size_t)n, "-%u", (unsigned)v);
  }
  if ((size_t)n + 1 > cap) return 0;
  for (int i = 0; i <= n; i++) out[i] = (WCHAR)text[i];
  return 1;
}

static int starts_with(LPCWSTR text, LPCWSTR prefix, LPCWSTR *rest) {
  size_t n = sim_wlen(prefix);
  size_t length = sim_wlen(text);
  if (length <= n || length - n > 10 || memcmp(text, prefix, n * sizeof(WCHAR)) != 0) return 0;
  *rest = text + n;
  return 1;
}

/* A well-known account's name and domain; 0 when the SID is not one the simulator knows. */
static int well_known(LPCWSTR sid, WCHAR *name, WCHAR *domain) {
  LPCWSTR rest;
  if (sim_wequal_ci(sid, L"S-1-5-18")) { sim_wcopy(name, 64, L"SYSTEM"); sim_wcopy(domain, 64, L"NT AUTHORITY"); return 1; }
  if (sim_wequal_ci(sid, L"S-1-5-19")) { sim_wcopy(name, 64, L"LOCAL SERVICE"); sim_wcopy(domain, 64, L"NT AUTHORITY"); return 1; }
  if (sim_wequal_ci(sid, L"S-1-5-20")) { sim_wcopy(name, 64, L"NETWORK SERVICE"); sim_wcopy(domain, 64, L"NT AUTHORITY"); return 1; }
  if (starts_with(sid, L"S-1-5-90-0-", &rest)) { name[0] = 0; wcscat(wcscpy(name, L"DWM-"), rest); sim_wcopy(domain, 64, L"Window Manager"); return 1; }
  if (starts_with(sid, L"S-1-5-96-0-", &rest)) { name[0] = 0; wcscat(wcscpy(name, L"UMFD-"), rest); sim_wcopy(domain, 64, L"Font Driver Host"); return 1; }
  return 0;
}

/* A user account seen in the farm's sessions, as `server` can resolve it: its own sessions first. */
static int farm_account_locked(int server, LPCWSTR sid, WCHAR *name, WCHAR *domain) {
  for (size_t n = 0; n < g_serverCount; n++) {
    size_t i = n == 0 ? (size_t)server : n <= (size_t)server ? n - 1 : n;
    for (size_t k = 0; k < g_servers[i].sessionCount; k++) {
      const SimSession *ss = &g_servers[i].sessions[k];
      if (!ss->user[0] || !sim_wequal_ci(ss->userSid, sid)) continue;
      int local = sim_find_server_locked(ss->domain);
      if (local >= 0 && local != server) continue; /* another computer's local account */
      sim_wcopy(name, 64, ss->user);
      sim_wcopy(domain, 64, ss->domain);
      return 1;
    }
  }
  return 0;
}

SIM_EXPORT BOOL WINAPI LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName, LPWSTR ReferencedDomainName,
                                         LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse) {
  WCHAR sid[200], name[64], domain[64];
  SID_NAME_USE use = SidTypeUser;
  if (!Sid || !cchName || !cchReferencedDomainName || !peUse) { sim_set_last_error(SIM_ERROR_INVALID_PARAMETER); return FALSE; }
  if (!sim_sid_to_text((const BYTE *)Sid, sid, 200)) { sim_set_last_error(SIM_ERROR_INVALID_SID); return FALSE; }
  SimServerRef ref;
  DWORD err = sim_connect(lpSystemName && lpSystemName[0] ? lpSystemName : NULL, NULL, &ref);
  if (err) { sim_set_last_error(err); return FALSE; }
  int found = well_known(sid, name, domain);
  if (found) use = SidTypeWellKnownGroup;
  if (!found) {
    sim_lock();
    int server = sim_server_locked(ref);
    found = server >= 0 && farm_account_locked(server, sid, name, domain);
    sim_unlock();
    if (server < 0) { sim_set_last_error(SIM_RPC_S_CALL_FAILED); return FALSE; }
  }
  if (!found) { sim_set_last_error(SIM_ERROR_NONE_MAPPED); return FALSE; }
  DWORD needName = (DWORD)sim_wlen(name) + 1, needDomain = (DWORD)sim_wlen(domain) + 1;
  if (*cchName < needName || *cchReferencedDomainName < needDomain || !Name || !ReferencedDomainName) {
    *cchName = needName;
    *cchReferencedDomainName = needDomain;
    sim_set_last_error(SIM_ERROR_INSUFFICIENT_BUFFER);
    return FALSE;
  }
  memcpy(Name, name, needName * sizeof(WCHAR));
  memcpy(ReferencedDomainName, domain, needDomain * sizeof(WCHAR));
  /* On success the counts are the lengths without terminators. */
  *cchName = needName - 1;
  *cchReferencedDomainName = needDomain - 1;
  *peUse = use;
  return TRUE;
}
