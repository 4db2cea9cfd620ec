/*
 * wtssim: an in-memory Remote Desktop server farm behind the wtsapi32 ABI.
 *
 * Every exported WTS* function has the documented Windows signature, allocates what Windows
 * allocates (to be freed by WTSFreeMemory / WTSFreeMemoryExW), and reports failure by returning
 * FALSE with the last-error value set as the very last action before returning, so that
 * ffi-rs's errno capture (GetLastError on Windows, errno elsewhere) sees it exactly as it sees
 * a real wtsapi32 failure. The WtsSim* exports are the simulator's own control surface for
 * loading a farm, injecting faults and reading counters; the binding never calls them.
 */
#include "wtssim-farm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- wtsapi32 exports --------------------------------------------------------------------- */

static HANDLE open_server(int fn, LPWSTR pServerName) {
  sim_count_call(fn);
  /* Like Windows, opening never fails on a bad name: the error surfaces on first use. */
  SimHandle *h = (SimHandle *)calloc(1, sizeof(SimHandle));
  if (!h) { sim_set_last_error(8 /* ERROR_NOT_ENOUGH_MEMORY */); return NULL; }
  h->magic = HANDLE_MAGIC;
  sim_wcopy(h->name, 256, pServerName ? pServerName : L"");
  sim_lock(); g_openHandles++; sim_unlock();
  return h;
}

SIM_EXPORT HANDLE WINAPI WTSOpenServerW(LPWSTR pServerName) { return open_server(FN_OPEN_SERVER, pServerName); }
#ifndef WTSSIM_NO_EX_EXPORTS
SIM_EXPORT HANDLE WINAPI WTSOpenServerExW(LPWSTR pServerName) {
  sim_lock(); DWORD failure = g_exFailure; sim_unlock();
  if (failure) { sim_count_call(FN_OPEN_SERVER_EX); sim_set_last_error(failure); return NULL; }
  return open_server(FN_OPEN_SERVER_EX, pServerName);
}
#endif

SIM_EXPORT void WINAPI WTSCloseServer(HANDLE hServer) {
  sim_lock();
  g_calls[FN_CLOSE_SERVER]++;
  if (hServer == NULL) { sim_unlock(); return; }
  SimHandle *h = (SimHandle *)hServer;
  if (h->magic != HANDLE_MAGIC) { g_badCloses++; sim_unlock(); return; }
  h->magic = 0;
  g_openHandles--;
  sim_unlock();
  free(h);
}

SIM_EXPORT void WINAPI WTSFreeMemory(PVOID pMemory) {
  sim_count_call(FN_FREE);
  if (pMemory) sim_free(pMemory, ALLOC_FREE_MEMORY, 0, 0);
}

#ifndef WTSSIM_NO_EX_EXPORTS
SIM_EXPORT BOOL WINAPI WTSFreeMemoryExW(int WTSTypeClass, PVOID pMemory, ULONG NumberOfEntries) {
  sim_count_call(FN_FREE_EX);
  if (pMemory == NULL) FAIL(SIM_ERROR_INVALID_PARAMETER);
  uint32_t kind;
  if (WTSTypeClass == WTSTypeSessionInfoLevel1) kind = ALLOC_FREE_MEMORY_EX_SESSION1;
  else if (WTSTypeClass == WTSTypeProcessInfoLevel1) kind = ALLOC_FREE_MEMORY_EX_PROCESS1;
  else FAIL(SIM_ERROR_INVALID_PARAMETER);
  /* The class must be the one the memory was returned as, with its entry count: anything else is a bad free. */
  DWORD err = sim_free(pMemory, kind, NumberOfEntries, 1);
  if (err) FAIL(err);
  return TRUE;
}
#endif

/* Strings of one enumeration live in the same block as its array, after it. */
static LPWSTR put_string(WCHAR **cursor, LPCWSTR s) {
  LPWSTR start = *cursor;
  size_t n = sim_wlen(s);
  memcpy(start, s, n * sizeof(WCHAR));
  start[n] = 0;
  *cursor += n + 1;
  return start;
}

SIM_EXPORT BOOL WINAPI WTSEnumerateSessionsW(HANDLE hServer, DWORD Reserved, DWORD Version,
                                             PWTS_SESSION_INFOW *ppSessionInfo, DWORD *pCount) {
  SimServerRef ref;
  int server;
  if (!ppSessionInfo || !pCount) { sim_count_call(FN_ENUMERATE); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  if (Reserved != 0 || Version != 1) { sim_count_call(FN_ENUMERATE); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  DWORD err = sim_enter(FN_ENUMERATE, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimServer *s = &g_servers[server];
  int64_t now = sim_now_ms();
  compact_sessions_locked(s, now);
  size_t n = 0, chars = 0;
  for (size_t i = 0; i < s->sessionCount; i++) if (sim_session_alive(&s->sessions[i], now)) { n++; chars += sim_wlen(s->sessions[i].winStation) + 1; }
  size_t arrayBytes = n * sizeof(WTS_SESSION_INFOW);
  arrayBytes = (arrayBytes + 7) & ~(size_t)7;
  WTS_SESSION_INFOW *arr = (WTS_SESSION_INFOW *)sim_alloc(arrayBytes + chars * sizeof(WCHAR) + sizeof(WCHAR), ALLOC_FREE_MEMORY, n);
  if (!arr) { sim_unlock(); FAIL(8); }
  WCHAR *cursor = (WCHAR *)((char *)arr + arrayBytes);
  for (size_t i = 0, k = 0; i < s->sessionCount; i++) {
    if (!sim_session_alive(&s->sessions[i], now)) continue;
    arr[k].SessionId = s->sessions[i].id;
    arr[k].State = (WTS_CONNECTSTATE_CLASS)s->sessions[i].state;
    arr[k].pWinStationName = put_string(&cursor, s->sessions[i].winStation);
    k++;
  }
  sim_unlock();
  *ppSessionInfo = arr;
  *pCount = (DWORD)n;
  return TRUE;
}

#ifndef WTSSIM_NO_EX_EXPORTS
SIM_EXPORT BOOL WINAPI WTSEnumerateSessionsExW(HANDLE hServer, DWORD *pLevel, DWORD Filter,
                                               PWTS_SESSION_INFO_1W *ppSessionInfo, DWORD *pCount) {
  SimServerRef ref;
  int server;
  if (!pLevel || *pLevel != 1 || Filter != 0 || !ppSessionInfo || !pCount) {
    sim_count_call(FN_ENUMERATE_EX);
    FAIL(SIM_ERROR_INVALID_PARAMETER);
  }
  sim_lock(); DWORD failure = g_exFailure; sim_unlock();
  if (failure) { sim_count_call(FN_ENUMERATE_EX); FAIL(failure); }
  DWORD err = sim_enter(FN_ENUMERATE_EX, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimServer *s = &g_servers[server];
  int64_t now = sim_now_ms();
  compact_sessions_locked(s, now);
  size_t n = 0, chars = sim_wlen(s->farmName) + 1;
  for (size_t i = 0; i < s->sessionCount; i++) {
    if (!sim_session_alive(&s->sessions[i], now)) continue;
    n++;
    chars += sim_wlen(s->sessions[i].winStation) + sim_wlen(s->sessions[i].user) + sim_wlen(s->sessions[i].domain) + 3 + sim_wlen(s->farmName) + 1;
  }
  size_t arrayBytes = n * sizeof(WTS_SESSION_INFO_1W);
  WTS_SESSION_INFO_1W *arr = (WTS_SESSION_INFO_1W *)sim_alloc(arrayBytes + chars * sizeof(WCHAR) + sizeof(WCHAR), ALLOC_FREE_MEMORY_EX_SESSION1, n);
  if (!arr) { sim_unlock(); FAIL(8); }
  WCHAR *cursor = (WCHAR *)((char *)arr + arrayBytes);
  for (size_t j = 0, i = 0; j < s->sessionCount; j++) {
    const SimSession *ss = &s->sessions[j];
    if (!sim_session_alive(ss, now)) continue;
    arr[i].ExecEnvId = (DWORD)i;
    arr[i].State = (WTS_CONNECTSTATE_CLASS)ss->state;
    arr[i].SessionId = ss->id;
    arr[i].pSessionName = put_string(&cursor, ss->winStation);
    arr[i].pHostName = NULL; /* only set for sessions running in a virtual machine */
    arr[i].pUserName = ss->user[0] ? put_string(&cursor, ss->user) : NULL;
    arr[i].pDomainName = ss->user[0] ? put_string(&cursor, ss->domain) : NULL;
    arr[i].pFarmName = s->farmName[0] ? put_string(&cursor, s->farmName) : NULL;
    i++;
  }
  sim_unlock();
  *pLevel = 1;
  *ppSessionInfo = arr;
  *pCount = (DWORD)n;
  return TRUE;
}
#endif

static BOOL return_buffer(const void *data, size_t size, LPWSTR *ppBuffer, DWORD *pBytesReturned) {
  void *p = sim_alloc(size, ALLOC_FREE_MEMORY, 0);
  if (!p) FAIL(8);
  memcpy(p, data, size);
  *ppBuffer = (LPWSTR)p;
  *pBytesReturned = (DWORD)size;
  return TRUE;
}
static BOOL return_string(LPCWSTR s, LPWSTR *ppBuffer, DWORD *pBytesReturned) {
  return return_buffer(s, (sim_wlen(s) + 1) * sizeof(WCHAR), ppBuffer, pBytesReturned);
}

/*
 * WTSCLIENTW.ClientAddress as the documentation describes it: an IPv4 address "in string format"
 * (UTF-16 code units in the USHORT array), IPv6 "in binary form" (its 16 bytes, in order). The
 * stored address is laid out as WTS_CLIENT_ADDRESS.Address: two bytes of port first.
 */
static void put_client_address(USHORT *out, DWORD family, const BYTE *address) {
  if (family == 2) {
    char text[16];
    int n = snprintf(text, sizeof text, "%u.%u.%u.%u", address[2], address[3], address[4], address[5]);
    for (int i = 0; i < n && i < CLIENTADDRESS_LENGTH; i++) out[i] = (USHORT)text[i];
  } else if (family == 23) {
    memcpy(out, address + 2, 16);
  }
}

SIM_EXPORT BOOL WINAPI WTSQuerySessionInformationW(HANDLE hServer, DWORD SessionId, int WTSInfoClass,
                                                   LPWSTR *ppBuffer, DWORD *pBytesReturned) {
  SimServerRef ref;
  int server;
  if (!ppBuffer || !pBytesReturned) { sim_count_call(FN_QUERY); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  DWORD err = sim_enter(FN_QUERY, hServer, &ref);
  if (err) FAIL(err);
  if (WTSInfoClass < 0 || WTSInfoClass > WTSSessionActivityId) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (WTSInfoClass >= WTSIdleTime && WTSInfoClass <= WTSOutgoingFrames) FAIL(SIM_ERROR_NOT_SUPPORTED);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimSession *ss = target_session_locked(&g_servers[server], SessionId);
  if (!ss) {
    sim_unlock();
    /* What Windows reports when a session ended between enumeration and query. */
    FAIL(SIM_ERROR_FILE_NOT_FOUND);
  }
  SimSession snapshot = *ss;
  sim_unlock();
  switch (WTSInfoClass) {
    case WTSSessionId: return return_buffer(&snapshot.id, sizeof(DWORD), ppBuffer, pBytesReturned);
    case WTSUserName: return return_string(snapshot.user, ppBuffer, pBytesReturned);
    case WTSWinStationName: return return_string(snapshot.winStation, ppBuffer, pBytesReturned);
    case WTSDomainName: return return_string(snapshot.domain, ppBuffer, pBytesReturned);
    case WTSConnectState: { DWORD st = snapshot.state; return return_buffer(&st, sizeof st, ppBuffer, pBytesReturned); }
    case WTSClientName: return return_string(snapshot.clientName, ppBuffer, pBytesReturned);
    case WTSClientAddress: {
      WTS_CLIENT_ADDRESS a; memset(&a, 0, sizeof a);
      a.AddressFamily = snapshot.addressFamily;
      memcpy(a.Address, snapshot.address, sizeof a.Address);
      return return_buffer(&a, sizeof a, ppBuffer, pBytesReturned);
    }
    case WTSClientProtocolType: return return_buffer(&snapshot.protocol, sizeof(USHORT), ppBuffer, pBytesReturned);
    case WTSClientInfo: {
      WTSCLIENTW client; memset(&client, 0, sizeof client);
      sim_wcopy(client.ClientName, CLIENTNAME_LENGTH + 1, snapshot.clientName);
      sim_wcopy(client.Domain, DOMAIN_LENGTH + 1, snapshot.domain);
      sim_wcopy(client.UserName, USERNAME_LENGTH + 1, snapshot.user);
      client.EncryptionLevel = (BYTE)snapshot.encryptionLevel;
      client.ClientAddressFamily = snapshot.addressFamily;
      put_client_address(client.ClientAddress, snapshot.addressFamily, snapshot.address);
      client.HRes = (USHORT)snapshot.hres;
      client.VRes = (USHORT)snapshot.vres;
      client.ColorDepth = (USHORT)snapshot.colorDepth;
      client.ClientBuildNumber = snapshot.clientBuild;
      return return_buffer(&client, sizeof client, ppBuffer, pBytesReturned);
    }
    case WTSSessionInfo: {
      WTSINFOW info; memset(&info, 0, sizeof info);
      info.State = (WTS_CONNECTSTATE_CLASS)snapshot.state;
      info.SessionId = snapshot.id;
      sim_wcopy(info.WinStationName, WINSTATIONNAME_LENGTH, snapshot.winStation);
      sim_wcopy(info.Domain, DOMAIN_LENGTH, snapshot.domain);
      sim_wcopy(info.UserName, USERNAME_LENGTH + 1, snapshot.user);
      info.ConnectTime.QuadPart = snapshot.connectTime;
      info.DisconnectTime.QuadPart = snapshot.disconnectTime;
      info.LastInputTime.QuadPart = snapshot.lastInputTime;
      info.LogonTime.QuadPart = snapshot.logonTime;
      info.CurrentTime.QuadPart = sim_now_filetime();
      return return_buffer(&info, sizeof info, ppBuffer, pBytesReturned);
    }
    default: FAIL(SIM_ERROR_NOT_SUPPORTED); /* a class the simulator does not model */
  }
}

SIM_EXPORT BOOL WINAPI WTSLogoffSession(HANDLE hServer, DWORD SessionId, BOOL bWait) {
  SimServerRef ref;
  int server;
  DWORD err = sim_enter(FN_LOGOFF, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimServer *srv = &g_servers[server];
  SimSession *ss = target_session_locked(srv, SessionId);
  if (!ss) { sim_unlock(); FAIL(SIM_ERROR_CTX_WINSTATION_NOT_FOUND); }
  if (sim_not_actionable(ss)) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
  record_action_locked(FN_LOGOFF, server, ss);
  int64_t delay = srv->logoffDelayMs;
  int64_t doneAt = sim_now_ms() + delay;
  ss->goneAtMs = doneAt > 1 ? doneAt : 2;
  note_freed_locked(srv, ss->id, ss->goneAtMs);
  lsm_event_locked(server, ss, 23, sim_filetime_from_ms(doneAt));
  if (ss->user[0] && srv->auditLogoff) {
    /* An administrative logoff leaves 4634 only; 4647 is written when the user logs off. */
    SimEventRecord ev; memset(&ev, 0, sizeof ev);
    ev.eventId = 4634;
    ev.timeCreated = sim_filetime_from_ms(doneAt);
    sim_wcopy(ev.userSid, 64, ss->userSid);
    sim_wcopy(ev.userName, 64, ss->user);
    sim_wcopy(ev.domain, 64, ss->domain);
    ev.logonId = ss->logonId;
    ev.logonType = ss->logonType;
    sim_append_event_locked(server, &ev);
  }
  sim_unlock();
  if (bWait) sim_sleep_ms(delay);
  return TRUE;
}

SIM_EXPORT BOOL WINAPI WTSDisconnectSession(HANDLE hServer, DWORD SessionId, BOOL bWait) {
  SimServerRef ref;
  int server;
  (void)bWait;
  DWORD err = sim_enter(FN_DISCONNECT, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimSession *ss = target_session_locked(&g_servers[server], SessionId);
  if (!ss) { sim_unlock(); FAIL(SIM_ERROR_CTX_WINSTATION_NOT_FOUND); }
  if (sim_not_actionable(ss)) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
  record_action_locked(FN_DISCONNECT, server, ss);
  if (ss->state != WTSDisconnected) {
    ss->state = WTSDisconnected;
    ss->disconnectTime = sim_now_filetime();
    session_event_locked(server, ss, 4779, ss->disconnectTime);
  }
  sim_unlock();
  return TRUE;
}

SIM_EXPORT BOOL WINAPI WTSSendMessageW(HANDLE hServer, DWORD SessionId, LPWSTR pTitle, DWORD TitleLength,
                                       LPWSTR pMessage, DWORD MessageLength, DWORD Style, DWORD Timeout,
                                       DWORD *pResponse, BOOL bWait) {
  SimServerRef ref;
  int server;
  (void)Style;
  if (!pTitle || !pMessage || !pResponse || TitleLength % sizeof(WCHAR) || MessageLength % sizeof(WCHAR)) {
    sim_count_call(FN_SEND_MESSAGE);
    FAIL(SIM_ERROR_INVALID_PARAMETER);
  }
  DWORD err = sim_enter(FN_SEND_MESSAGE, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimServer *srv = &g_servers[server];
  SimSession *ss = target_session_locked(srv, SessionId);
  if (!ss) { sim_unlock(); FAIL(SIM_ERROR_CTX_WINSTATION_NOT_FOUND); }
  if (sim_not_actionable(ss)) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
  record_action_locked(FN_SEND_MESSAGE, server, ss);
  /* The lengths are in bytes: the user sees exactly that many bytes of text, no more. */
  size_t titleChars = TitleLength / sizeof(WCHAR), messageChars = MessageLength / sizeof(WCHAR);
  if (titleChars > sim_wlen(pTitle)) titleChars = sim_wlen(pTitle);
  if (messageChars > sim_wlen(pMessage)) messageChars = sim_wlen(pMessage);
  if (titleChars >= 128) titleChars = 127;
  if (messageChars >= 512) messageChars = 511;
  memcpy(ss->lastTitle, pTitle, titleChars * sizeof(WCHAR)); ss->lastTitle[titleChars] = 0;
  memcpy(ss->lastMessage, pMessage, messageChars * sizeof(WCHAR)); ss->lastMessage[messageChars] = 0;
  /* A disconnected session has no screen to show the box on: nobody can answer it. */
  int answer = ss->state == WTSDisconnected ? 0 : ss->messageAnswer;
  int64_t answerDelay = srv->answerDelayMs, hangMs = srv->hangMs;
  DWORD sessionId = ss->id;
  int64_t logonTime = ss->logonTime, replaceAfter = ss->replaceDuringMessageMs;
  sim_unlock();
  if (!bWait) { *pResponse = IDASYNC; return TRUE; }
  int64_t timeoutMs = Timeout > 0 ? sim_message_wait_ms(Timeout) : hangMs;
  int answered = (answer == IDOK || answer == IDCANCEL) && answerDelay <= timeoutMs;
  int64_t waitMs = answered ? answerDelay : timeoutMs;
  if (replaceAfter >= 0 && replaceAfter <= waitMs) {
    /* The user leaves while the box is up and someone else logs on into the same session id. */
    sim_sleep_ms(replaceAfter);
    sim_lock();
    server = sim_server_locked(ref);
    SimSession *still = server >= 0 ? find_logon_locked(&g_servers[server], sessionId, logonTime) : NULL;
    if (still) {
      WCHAR user[USERNAME_LENGTH + 1], domain[DOMAIN_LENGTH + 1], sid[64];
      sim_wcopy(user, USERNAME_LENGTH + 1, still->replaceUser); sim_wcopy(domain, DOMAIN_LENGTH + 1, still->replaceDomain); sim_wcopy(sid, 64, still->replaceSid);
      replace_session_locked(server, still, user, domain, sid, still->replaceLogonId);
    }
    sim_unlock();
    waitMs -= replaceAfter;
  }
  sim_sleep_ms(waitMs);
  *pResponse = answered ? (DWORD)answer : IDTIMEOUT;
  return TRUE;
}
