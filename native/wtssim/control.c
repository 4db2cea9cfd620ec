/*
 * wtssim's control API (WtsSim*): loads a farm, injects faults, moves the clock and reads the
 * counters and the action log. Not part of any Windows DLL; the binding never calls it.
 */
#include "wtssim-farm.h"

#include <stdlib.h>
#include <string.h>

SIM_EXPORT void WtsSimReset(void) {
  sim_lock();
  for (size_t i = 0; i < g_serverCount; i++) { free(g_servers[i].sessions); free(g_servers[i].sessionIndex); for (int l = 0; l < SIM_LOG_KINDS; l++) free(g_servers[i].logs[l].records); }
  free(g_servers);
  g_servers = NULL; g_serverCount = g_serverCap = 0;
  g_farmGeneration++;
  memset(g_calls, 0, sizeof g_calls);
  free(g_actionLog); g_actionLog = NULL; g_actionTotal = 0;
  sim_app_reset_locked();
  sim_logon_reset_locked();
  sim_credentials_reset_locked();
  g_messageTimeoutPermille = 1000;
  g_logonDurationMs = 200;
  g_exFailure = 0;
  g_unknownHostDelayMs = 1000;
  g_clockOffsetMs = 0;
  g_hangGeneration++;
  sim_hang_wake_all();
  sim_unlock();
}

SIM_EXPORT void WtsSimSetUnknownHostDelay(int64_t ms) { sim_lock(); g_unknownHostDelayMs = ms; sim_unlock(); }
SIM_EXPORT void WtsSimSetMaxEventsPerServer(int64_t n) { sim_lock(); if (n > 0) g_maxEventsPerServer = (size_t)n; sim_unlock(); }

/* Returns the server index, or -1 if the name is already taken or memory ran out. */
SIM_EXPORT int WtsSimAddServer(LPCWSTR name, LPCWSTR farmName, int isLocal, int64_t latencyMs,
                               int64_t logoffDelayMs, int64_t answerDelayMs) {
  sim_lock();
  if (sim_find_server_locked(name) >= 0) { sim_unlock(); return -1; }
  if (g_serverCount == g_serverCap) {
    size_t cap = g_serverCap ? g_serverCap * 2 : 8;
    SimServer *grown = (SimServer *)realloc(g_servers, cap * sizeof(SimServer));
    if (!grown) { sim_unlock(); return -1; }
    g_servers = grown; g_serverCap = cap;
  }
  SimServer *s = &g_servers[g_serverCount];
  memset(s, 0, sizeof *s);
  sim_wcopy(s->name, 256, name);
  sim_wcopy(s->farmName, 64, farmName);
  s->isLocal = isLocal;
  s->currentSessionId = WTS_CURRENT_SESSION;
  s->latencyMs = latencyMs;
  s->logoffDelayMs = logoffDelayMs;
  s->answerDelayMs = answerDelayMs;
  s->hangMs = 600000;
  s->auditLogoff = 1;
  s->collector = -1;
  int index = (int)g_serverCount++;
  sim_unlock();
  return index;
}

SIM_EXPORT int WtsSimAddAlias(LPCWSTR server, LPCWSTR alias) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0 || g_servers[i].aliasCount >= MAX_ALIASES || sim_find_server_locked(alias) >= 0) { sim_unlock(); return 0; }
  sim_wcopy(g_servers[i].aliases[g_servers[i].aliasCount++], 256, alias);
  sim_unlock();
  return 1;
}

SIM_EXPORT int WtsSimSetFault(LPCWSTR server, int fault, int64_t faultDelayMs, int64_t hangMs) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  g_servers[i].fault = fault;
  g_servers[i].faultDelayMs = faultDelayMs;
  if (hangMs > 0) g_servers[i].hangMs = hangMs;
  sim_unlock();
  return 1;
}

/* durationMs > 0: the fault clears itself after that long (a dropped stream that comes back). */
/* The account a server answers, and no other (user NULL or empty: anyone the server lets in). */
SIM_EXPORT int WtsSimRequireAccount(LPCWSTR server, LPCWSTR user, LPCWSTR domain, LPCWSTR password) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  SimIdentity *required = &g_servers[i].required;
  memset(required, 0, sizeof *required);
  if (user && user[0]) {
    required->set = 1;
    sim_wcopy(required->user, SIM_IDENTITY_CHARS, user);
    sim_wcopy(required->domain, SIM_IDENTITY_CHARS, domain);
    sim_wcopy(required->password, SIM_IDENTITY_CHARS, password);
  }
  sim_unlock();
  return 1;
}

SIM_EXPORT int WtsSimSetEventFault(LPCWSTR server, int fault, int64_t durationMs) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  g_servers[i].eventFault = fault;
  g_servers[i].eventFaultUntilMs = fault && durationMs > 0 ? sim_now_ms() + durationMs : 0;
  g_servers[i].eventFaultShots = 0;
  g_servers[i].eventGeneration++;
  sim_unlock();
  return 1;
}

/* A fault that fires on the next `shots` subscription reads of the server's log, then clears itself. */
SIM_EXPORT int WtsSimSetEventFaultShots(LPCWSTR server, int fault, int64_t shots) {
  if (shots < 1) return 0;
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  g_servers[i].eventFault = fault;
  g_servers[i].eventFaultUntilMs = 0;
  g_servers[i].eventFaultShots = shots;
  g_servers[i].eventGeneration++;
  sim_unlock();
  return 1;
}

SIM_EXPORT int WtsSimSetBackgroundRate(LPCWSTR server, double perMinute) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) {
    g_servers[i].backgroundPerMinute = perMinute;
    g_servers[i].backgroundUntilMs = 0;
    g_servers[i].backgroundSeed = 0x9e3779b97f4a7c15ull ^ (uint64_t)i;
  }
  sim_unlock();
  return i >= 0;
}

SIM_EXPORT int WtsSimSetAuditLogoff(LPCWSTR server, int on) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) g_servers[i].auditLogoff = on;
  sim_unlock();
  return i >= 0;
}

SIM_EXPORT int WtsSimSetLatency(LPCWSTR server, int64_t latencyMs) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) g_servers[i].latencyMs = latencyMs;
  sim_unlock();
  return i >= 0;
}

/* A Security log slower than the server's WTS calls: every query or subscription on it waits this long first. */
SIM_EXPORT int WtsSimSetEventLatency(LPCWSTR server, int64_t latencyMs) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) g_servers[i].eventLatencyMs = latencyMs;
  sim_unlock();
  return i >= 0;
}

int64_t sim_event_latency_locked(int server) { return g_servers[server].eventLatencyMs; }

SIM_EXPORT int WtsSimSetCurrentSession(LPCWSTR server, DWORD sessionId) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) g_servers[i].currentSessionId = sessionId;
  sim_unlock();
  return i >= 0;
}

/* address: 20 bytes laid out as WTS_CLIENT_ADDRESS.Address. Returns 1, or 0 on a bad server or duplicate id. */
SIM_EXPORT int WtsSimAddSession(LPCWSTR server, const WtsSimSessionSpec *in) {
  if (!in) return 0;
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0 || id_in_use_locked(&g_servers[i], in->Id)) { sim_unlock(); return 0; }
  SimSession spec;
  memset(&spec, 0, sizeof spec);
  SimSession *ss = &spec;
  ss->replaceDuringMessageMs = -1;
  ss->id = in->Id; ss->state = in->State;
  sim_wcopy(ss->winStation, WINSTATIONNAME_LENGTH + 1, in->WinStation);
  sim_wcopy(ss->user, USERNAME_LENGTH + 1, in->User);
  sim_wcopy(ss->domain, DOMAIN_LENGTH + 1, in->Domain);
  sim_wcopy(ss->userSid, 64, in->UserSid);
  sim_wcopy(ss->clientName, 21, in->ClientName);
  ss->addressFamily = in->AddressFamily;
  memcpy(ss->address, in->Address, 20);
  ss->protocol = (USHORT)in->Protocol;
  ss->clientBuild = in->ClientBuild; ss->hres = in->HRes; ss->vres = in->VRes;
  ss->colorDepth = in->ColorDepth; ss->encryptionLevel = in->EncryptionLevel;
  ss->logonTime = in->LogonTime; ss->connectTime = in->ConnectTime;
  ss->disconnectTime = in->DisconnectTime; ss->lastInputTime = in->LastInputTime;
  ss->messageAnswer = in->MessageAnswer;
  ss->logonId = in->LogonId; ss->logonType = in->LogonType;
  ss->vanishBeforeAction = in->VanishBeforeAction;
  int added = add_session_locked(&g_servers[i], &spec) != NULL;
  sim_unlock();
  return added;
}

SIM_EXPORT int WtsSimSetMessageAnswer(LPCWSTR server, DWORD id, int answer) {
  sim_lock();
  int i = sim_find_server_locked(server);
  SimSession *ss = i >= 0 ? find_session_locked(&g_servers[i], id) : NULL;
  if (ss) ss->messageAnswer = answer;
  sim_unlock();
  return ss != NULL;
}

/* Copies the last message text shown in a session; returns its length or -1 if there is no such session. */
SIM_EXPORT int WtsSimLastMessage(LPCWSTR server, DWORD id, int wantTitle, WCHAR *out, DWORD outChars) {
  sim_lock();
  int i = sim_find_server_locked(server);
  SimSession *ss = i >= 0 ? find_session_locked(&g_servers[i], id) : NULL;
  int n = -1;
  if (ss && out && outChars > 0) {
    sim_wcopy(out, outChars, wantTitle ? ss->lastTitle : ss->lastMessage);
    n = (int)sim_wlen(out);
  }
  sim_unlock();
  return n;
}

/* A user logging off by themselves: 4647 then 4634 with the same Logon ID, and the session ends. */
SIM_EXPORT int WtsSimUserLogoff(LPCWSTR server, DWORD id) {
  sim_lock();
  int i = sim_find_server_locked(server);
  SimSession *ss = i >= 0 ? find_session_locked(&g_servers[i], id) : NULL;
  if (!ss || !ss->user[0]) { sim_unlock(); return 0; }
  user_logoff_locked(i, ss);
  sim_unlock();
  return 1;
}

/*
 * The session's user leaves and a new user is given the same id at once (Windows reuses freed
 * ids). Returns 1, or 0 when there is no such session or memory ran out.
 */
SIM_EXPORT int WtsSimReplaceSession(LPCWSTR server, DWORD id, LPCWSTR user, LPCWSTR domain, LPCWSTR sid, uint64_t logonId) {
  sim_lock();
  int i = sim_find_server_locked(server);
  SimSession *ss = i >= 0 ? find_session_locked(&g_servers[i], id) : NULL;
  int done = ss != NULL && replace_session_locked(i, ss, user, domain, sid, logonId) != NULL;
  sim_unlock();
  return done;
}

/* The same, afterMs into the next message wait on this session (the user leaves while the box is up). */
SIM_EXPORT int WtsSimReplaceDuringMessage(LPCWSTR server, DWORD id, int64_t afterMs, LPCWSTR user, LPCWSTR domain, LPCWSTR sid, uint64_t logonId) {
  sim_lock();
  int i = sim_find_server_locked(server);
  SimSession *ss = i >= 0 ? find_session_locked(&g_servers[i], id) : NULL;
  if (ss) {
    ss->replaceDuringMessageMs = afterMs < 0 ? 0 : afterMs;
    sim_wcopy(ss->replaceUser, USERNAME_LENGTH + 1, user);
    sim_wcopy(ss->replaceDomain, DOMAIN_LENGTH + 1, domain);
    sim_wcopy(ss->replaceSid, 64, sid);
    ss->replaceLogonId = logonId;
  }
  sim_unlock();
  return ss != NULL;
}

/* The user disconnects (1) or reconnects (0) by themselves, from their own client. */
SIM_EXPORT int WtsSimUserDisconnect(LPCWSTR server, DWORD id, int disconnected) {
  sim_lock();
  int i = sim_find_server_locked(server);
  SimSession *ss = i >= 0 ? find_session_locked(&g_servers[i], id) : NULL;
  int done = ss != NULL && ss->user[0] && !sim_not_actionable(ss);
  if (done) {
    int64_t now = sim_now_filetime();
    if (disconnected && ss->state != WTSDisconnected) { ss->state = WTSDisconnected; ss->disconnectTime = now; session_event_locked(i, ss, 4779, now); }
    if (!disconnected && ss->state == WTSDisconnected) { ss->state = WTSActive; ss->connectTime = now; ss->lastInputTime = now; session_event_locked(i, ss, 4778, now); }
  }
  sim_unlock();
  return done;
}

/* 0: the Ex functions work; else they fail with this last-error code, as a stub or an older server's do. */
SIM_EXPORT void WtsSimSetExFailure(DWORD code) { sim_lock(); g_exFailure = code; sim_unlock(); }

/* The least time a logon into a freed session id takes (ms; default 200). */
SIM_EXPORT void WtsSimSetLogonDuration(int64_t ms) { sim_lock(); g_logonDurationMs = ms >= 0 ? ms : 200; sim_unlock(); }

/* Scales every message box's Timeout (1000: as given), so a test can model many unanswered boxes. */
SIM_EXPORT void WtsSimSetMessageTimeoutScale(int64_t permille) { sim_lock(); g_messageTimeoutPermille = permille > 0 ? permille : 1000; sim_unlock(); }

/* How many logoff, disconnect and message calls have reached a session since the reset. */
SIM_EXPORT int64_t WtsSimActionCount(void) { sim_lock(); int64_t n = (int64_t)g_actionTotal; sim_unlock(); return n; }

/*
 * One entry of the action log: fn is 0 logoff, 1 disconnect, 2 message; server, user and domain
 * are copied into buffers of 256, 21 and 18 WCHARs. Returns 1, or 0 when the entry is not held.
 */
SIM_EXPORT int WtsSimActionAt(int64_t index, DWORD *fn, DWORD *sessionId, WCHAR *server, WCHAR *user, WCHAR *domain, int64_t *logonTime, uint64_t *logonId,
                              DWORD *processId) {
  sim_lock();
  if (!g_actionLog || index < 0 || (uint64_t)index >= g_actionTotal || g_actionTotal - (uint64_t)index > ACTION_LOG_CAP) { sim_unlock(); return 0; }
  const SimActionEntry *e = &g_actionLog[(uint64_t)index % ACTION_LOG_CAP];
  *fn = e->fn == FN_LOGOFF ? 0 : e->fn == FN_DISCONNECT ? 1 : e->fn == FN_SEND_MESSAGE ? 2 : 3;
  *processId = e->processId;
  *sessionId = e->sessionId;
  sim_wcopy(server, 256, e->server);
  sim_wcopy(user, USERNAME_LENGTH + 1, e->user);
  sim_wcopy(domain, DOMAIN_LENGTH + 1, e->domain);
  *logonTime = e->logonTime;
  *logonId = e->logonId;
  sim_unlock();
  return 1;
}

/* A record about one account's logon session; the caller adds what its event id carries. */
static SimEventRecord account_record(DWORD eventId, int64_t timeCreated, LPCWSTR userSid, LPCWSTR user, LPCWSTR domain, uint64_t logonId) {
  SimEventRecord ev; memset(&ev, 0, sizeof ev);
  ev.eventId = eventId; ev.timeCreated = timeCreated;
  sim_wcopy(ev.userSid, 64, userSid); sim_wcopy(ev.userName, 64, user); sim_wcopy(ev.domain, 64, domain);
  ev.logonId = logonId;
  return ev;
}

static int append_to(LPCWSTR server, const SimEventRecord *ev) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) sim_append_event_locked(i, ev);
  sim_unlock();
  return i >= 0;
}

/*
 * A Security-log record: 4624, 4778 and 4779 with their session and client (the logon type only
 * on 4624); any other id as a record about the account's logon session, with its logon type.
 */
static SimEventRecord security_record(DWORD eventId, int64_t timeCreated, LPCWSTR userSid, LPCWSTR user, LPCWSTR domain, uint64_t logonId,
                                      DWORD logonType, LPCWSTR sessionName, LPCWSTR clientName, LPCWSTR clientAddress) {
  SimEventRecord ev = account_record(eventId, timeCreated, userSid, user, domain, logonId);
  int session = eventId == 4624 || eventId == 4778 || eventId == 4779;
  ev.logonType = !session || eventId == 4624 ? logonType : 0;
  if (session) { sim_wcopy(ev.sessionName, 33, sessionName); sim_wcopy(ev.clientName, 33, clientName); sim_wcopy(ev.clientAddress, 64, clientAddress); }
  return ev;
}

/* Appends an arbitrary logoff record (background traffic, seeded history). */
SIM_EXPORT int WtsSimAppendEvent(LPCWSTR server, DWORD eventId, int64_t timeCreated, LPCWSTR userSid, LPCWSTR user,
                                 LPCWSTR domain, uint64_t logonId, DWORD logonType) {
  SimEventRecord ev = security_record(eventId, timeCreated, userSid, user, domain, logonId, logonType, NULL, NULL, NULL);
  return append_to(server, &ev);
}

/*
 * Appends a logon (4624), reconnect (4778) or disconnect (4779) record with its session and client:
 * a farm's history of its sessions, written oldest first by the loader.
 */
SIM_EXPORT int WtsSimAppendSessionEvent(LPCWSTR server, DWORD eventId, int64_t timeCreated, LPCWSTR userSid, LPCWSTR user, LPCWSTR domain,
                                        uint64_t logonId, DWORD logonType, LPCWSTR sessionName, LPCWSTR clientName, LPCWSTR clientAddress) {
  if (eventId != 4624 && eventId != 4778 && eventId != 4779) return 0;
  SimEventRecord ev = security_record(eventId, timeCreated, userSid, user, domain, logonId, logonType, sessionName, clientName, clientAddress);
  return append_to(server, &ev);
}

/*
 * Clears a server's log (SimLogKind), as "Clear Log" does: its records are gone, numbering starts
 * again at 1, and every open subscription on it is stale (15011).
 */
SIM_EXPORT int WtsSimClearLog(LPCWSTR server, int log) {
  if (log < 0 || log >= SIM_LOG_KINDS) return 0;
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  SimLog *l = &g_servers[i].logs[log];
  l->start = 0; l->count = 0; l->nextRecordId = 0;
  g_servers[i].eventGeneration++;
  sim_log_cleared_locked(i, log);
  sim_unlock();
  return 1;
}

/*
 * Windows Event Forwarding: `source`'s Security records are delivered to `collector`'s
 * ForwardedEvents log delayMs after they are logged (collector NULL or empty: no longer forwarded).
 */
SIM_EXPORT int WtsSimSetCollector(LPCWSTR source, LPCWSTR collector, int64_t delayMs) {
  sim_lock();
  int i = sim_find_server_locked(source);
  int c = collector && collector[0] ? sim_find_server_locked(collector) : -1;
  if (i < 0 || (collector && collector[0] && (c < 0 || c == i)) || delayMs < 0) { sim_unlock(); return 0; }
  g_servers[i].collector = c;
  g_servers[i].forwardDelayMs = delayMs;
  sim_unlock();
  return 1;
}

static int is_lsm_event(DWORD eventId) { return eventId == 21 || eventId == 23 || eventId == 24 || eventId == 25; }

static SimEventRecord lsm_record(DWORD eventId, int64_t timeCreated, LPCWSTR user, LPCWSTR domain, DWORD sessionId, LPCWSTR address) {
  SimEventRecord ev; memset(&ev, 0, sizeof ev);
  ev.eventId = eventId; ev.timeCreated = timeCreated; ev.sessionId = sessionId;
  sim_wcopy(ev.userName, 64, user); sim_wcopy(ev.domain, 64, domain); sim_wcopy(ev.clientAddress, 64, address);
  return ev;
}

/* Appends a LocalSessionManager Operational record (21 logon, 23 logoff, 24 disconnect, 25 reconnect): a farm's history, oldest first. */
SIM_EXPORT int WtsSimAppendLsmEvent(LPCWSTR server, DWORD eventId, int64_t timeCreated, LPCWSTR user, LPCWSTR domain, DWORD sessionId, LPCWSTR address) {
  if (!is_lsm_event(eventId)) return 0;
  SimEventRecord ev = lsm_record(eventId, timeCreated, user, domain, sessionId, address);
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i >= 0) sim_log_append_locked(i, SIM_LOG_LSM, &ev);
  sim_unlock();
  return i >= 0;
}

/*
 * Appends a farm's seeded history in one call, in array order: each record as the one-record
 * functions above write it (a farm's thousands of records cost one call, not one each). Returns
 * count; 0 and nothing appended when the server is unknown or a record is not one they accept.
 */
SIM_EXPORT int64_t WtsSimAppendSeededEvents(LPCWSTR server, const WtsSimSeededEvent *events, int64_t count) {
  if (count < 0 || (count > 0 && !events)) return 0;
  for (int64_t k = 0; k < count; k++) {
    if ((events[k].Log != SIM_LOG_SECURITY && events[k].Log != SIM_LOG_LSM) || (events[k].Log == SIM_LOG_LSM && !is_lsm_event(events[k].EventId))) return 0;
  }
  /* Each record is built where it is appended: a copy of the whole history first was megabytes of
     fresh pages for a farm's start, and page faults were most of what seeding cost. */
  sim_lock();
  int i = sim_find_server_locked(server);
  for (int64_t k = 0; i >= 0 && k < count; k++) {
    WtsSimSeededEvent e = events[k];
    /* Terminated within their arrays whatever the caller wrote. */
    e.UserSid[WTSSIM_EVENT_TEXT_CHARS - 1] = 0; e.User[WTSSIM_EVENT_TEXT_CHARS - 1] = 0; e.Domain[WTSSIM_EVENT_TEXT_CHARS - 1] = 0;
    e.SessionName[WTSSIM_EVENT_NAME_CHARS - 1] = 0; e.ClientName[WTSSIM_EVENT_NAME_CHARS - 1] = 0; e.ClientAddress[WTSSIM_EVENT_TEXT_CHARS - 1] = 0;
    SimEventRecord record = e.Log == SIM_LOG_LSM
      ? lsm_record(e.EventId, e.TimeCreated, e.User, e.Domain, e.SessionId, e.ClientAddress)
      : security_record(e.EventId, e.TimeCreated, e.UserSid, e.User, e.Domain, e.LogonId, e.LogonType, e.SessionName, e.ClientName, e.ClientAddress);
    if (e.Log == SIM_LOG_LSM) sim_log_append_locked(i, SIM_LOG_LSM, &record);
    else sim_append_event_locked(i, &record);
  }
  sim_unlock();
  return i >= 0 ? count : 0;
}

/* Appends count background records stamped now, for benchmarks of the event pipeline. */
SIM_EXPORT int64_t WtsSimGenerateEvents(LPCWSTR server, int64_t count) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0 || count < 0) { sim_unlock(); return -1; }
  int64_t now = sim_now_ms();
  for (int64_t n = 0; n < count; n++) {
    SimEventRecord ev;
    background_event(&g_servers[i], now, &ev);
    sim_append_event_locked(i, &ev);
  }
  sim_unlock();
  return count;
}

/* Moves simulated time forward (never back): background traffic and session ages follow it. */
SIM_EXPORT int64_t WtsSimAdvanceClock(int64_t ms) {
  sim_lock();
  if (ms > 0) g_clockOffsetMs += ms;
  int64_t offset = g_clockOffsetMs;
  sim_unlock();
  return offset;
}

SIM_EXPORT void WtsSimReleaseHangs(void) {
  sim_lock();
  g_hangGeneration++;
  sim_hang_wake_all();
  sim_unlock();
}

static int fn_by_name(LPCWSTR name) {
  for (int f = 0; f < FN_COUNT; f++) {
    const char *n = g_fnNames[f];
    size_t k = 0;
    while (n[k] && name[k] && (WCHAR)n[k] == name[k]) k++;
    if (!n[k] && !name[k]) return f;
  }
  return -1;
}

/* Call counter by exported function name; -1 for an unknown name. */
SIM_EXPORT int64_t WtsSimCallCount(LPCWSTR functionName) {
  int f = fn_by_name(functionName);
  if (f < 0) return -1;
  sim_lock(); int64_t n = (int64_t)g_calls[f]; sim_unlock();
  return n;
}

/* 0 outstanding allocations, 1 bad frees, 2 open handles, 3 bad closes. */
SIM_EXPORT int64_t WtsSimCounter(int which) {
  sim_lock();
  int64_t v = which == 0 ? ATOMIC_ADD(&g_outstandingAllocs, 0) : which == 1 ? g_badFrees : which == 2 ? g_openHandles : which == 3 ? g_badCloses : -1;
  sim_unlock();
  return v;
}

/* How many sessions a server holds right now (alive ones), or -1 for an unknown server. */
SIM_EXPORT int WtsSimSessionCount(LPCWSTR server) {
  sim_lock();
  int i = sim_find_server_locked(server);
  int n = -1;
  if (i >= 0) {
    int64_t now = sim_now_ms();
    compact_sessions_locked(&g_servers[i], now);
    n = 0;
    for (size_t k = 0; k < g_servers[i].sessionCount; k++) n += sim_session_alive(&g_servers[i].sessions[k], now);
  }
  sim_unlock();
  return n;
}

/*
 * The compiler's own layout of the public structs, for a test that checks the binding's
 * offset arithmetic. structId: 0 WTS_SESSION_INFOW, 1 WTS_SESSION_INFO_1W, 2 WTSINFOW,
 * 3 WTS_CLIENT_ADDRESS, 4 WtsSimSessionSpec (wtssim-control.h), 5 WTSCLIENTW, 6 WTS_PROCESS_INFO_EXW, 7 CREDENTIALW, 8 EVT_VARIANT,
 * 9 WtsSimSeededEvent (wtssim-control.h). field -1 gives sizeof; fields count in declaration order.
 */
SIM_EXPORT int64_t WtsSimLayout(int structId, int field) {
#define OFF(T, F) (int64_t)offsetof(T, F)
  switch (structId) {
    case 0: {
      const int64_t v[] = { (int64_t)sizeof(WTS_SESSION_INFOW), OFF(WTS_SESSION_INFOW, SessionId), OFF(WTS_SESSION_INFOW, pWinStationName), OFF(WTS_SESSION_INFOW, State) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 1: {
      const int64_t v[] = { (int64_t)sizeof(WTS_SESSION_INFO_1W), OFF(WTS_SESSION_INFO_1W, ExecEnvId), OFF(WTS_SESSION_INFO_1W, State),
        OFF(WTS_SESSION_INFO_1W, SessionId), OFF(WTS_SESSION_INFO_1W, pSessionName), OFF(WTS_SESSION_INFO_1W, pHostName),
        OFF(WTS_SESSION_INFO_1W, pUserName), OFF(WTS_SESSION_INFO_1W, pDomainName), OFF(WTS_SESSION_INFO_1W, pFarmName) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 2: {
      const int64_t v[] = { (int64_t)sizeof(WTSINFOW), OFF(WTSINFOW, State), OFF(WTSINFOW, SessionId), OFF(WTSINFOW, IncomingBytes),
        OFF(WTSINFOW, OutgoingBytes), OFF(WTSINFOW, IncomingFrames), OFF(WTSINFOW, OutgoingFrames),
        OFF(WTSINFOW, IncomingCompressedBytes), OFF(WTSINFOW, OutgoingCompressedBytes), OFF(WTSINFOW, WinStationName),
        OFF(WTSINFOW, Domain), OFF(WTSINFOW, UserName), OFF(WTSINFOW, ConnectTime), OFF(WTSINFOW, DisconnectTime),
        OFF(WTSINFOW, LastInputTime), OFF(WTSINFOW, LogonTime), OFF(WTSINFOW, CurrentTime) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 3: {
      const int64_t v[] = { (int64_t)sizeof(WTS_CLIENT_ADDRESS), OFF(WTS_CLIENT_ADDRESS, AddressFamily), OFF(WTS_CLIENT_ADDRESS, Address) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 4: {
      const int64_t v[] = { (int64_t)sizeof(WtsSimSessionSpec), OFF(WtsSimSessionSpec, Id), OFF(WtsSimSessionSpec, State),
        OFF(WtsSimSessionSpec, AddressFamily), OFF(WtsSimSessionSpec, Protocol), OFF(WtsSimSessionSpec, MessageAnswer),
        OFF(WtsSimSessionSpec, LogonType), OFF(WtsSimSessionSpec, VanishBeforeAction), OFF(WtsSimSessionSpec, ClientBuild),
        OFF(WtsSimSessionSpec, HRes), OFF(WtsSimSessionSpec, VRes), OFF(WtsSimSessionSpec, ColorDepth),
        OFF(WtsSimSessionSpec, EncryptionLevel), OFF(WtsSimSessionSpec, LogonTime),
        OFF(WtsSimSessionSpec, ConnectTime), OFF(WtsSimSessionSpec, DisconnectTime), OFF(WtsSimSessionSpec, LastInputTime),
        OFF(WtsSimSessionSpec, LogonId), OFF(WtsSimSessionSpec, Address), OFF(WtsSimSessionSpec, WinStation),
        OFF(WtsSimSessionSpec, User), OFF(WtsSimSessionSpec, Domain), OFF(WtsSimSessionSpec, UserSid), OFF(WtsSimSessionSpec, ClientName) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 5: {
      const int64_t v[] = { (int64_t)sizeof(WTSCLIENTW), OFF(WTSCLIENTW, ClientName), OFF(WTSCLIENTW, Domain), OFF(WTSCLIENTW, UserName),
        OFF(WTSCLIENTW, WorkDirectory), OFF(WTSCLIENTW, InitialProgram), OFF(WTSCLIENTW, EncryptionLevel),
        OFF(WTSCLIENTW, ClientAddressFamily), OFF(WTSCLIENTW, ClientAddress), OFF(WTSCLIENTW, HRes), OFF(WTSCLIENTW, VRes),
        OFF(WTSCLIENTW, ColorDepth), OFF(WTSCLIENTW, ClientDirectory), OFF(WTSCLIENTW, ClientBuildNumber),
        OFF(WTSCLIENTW, ClientHardwareId), OFF(WTSCLIENTW, ClientProductId), OFF(WTSCLIENTW, OutBufCountHost),
        OFF(WTSCLIENTW, OutBufCountClient), OFF(WTSCLIENTW, OutBufLength), OFF(WTSCLIENTW, DeviceId) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 6: {
      const int64_t v[] = { (int64_t)sizeof(WTS_PROCESS_INFO_EXW), OFF(WTS_PROCESS_INFO_EXW, SessionId), OFF(WTS_PROCESS_INFO_EXW, ProcessId),
        OFF(WTS_PROCESS_INFO_EXW, pProcessName), OFF(WTS_PROCESS_INFO_EXW, pUserSid), OFF(WTS_PROCESS_INFO_EXW, NumberOfThreads),
        OFF(WTS_PROCESS_INFO_EXW, HandleCount), OFF(WTS_PROCESS_INFO_EXW, PagefileUsage), OFF(WTS_PROCESS_INFO_EXW, PeakPagefileUsage),
        OFF(WTS_PROCESS_INFO_EXW, WorkingSetSize), OFF(WTS_PROCESS_INFO_EXW, PeakWorkingSetSize), OFF(WTS_PROCESS_INFO_EXW, UserTime),
        OFF(WTS_PROCESS_INFO_EXW, KernelTime) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 8: {
      const int64_t v[] = { (int64_t)sizeof(EVT_VARIANT), OFF(EVT_VARIANT, UInt64Val), OFF(EVT_VARIANT, Count), OFF(EVT_VARIANT, Type) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 7: {
      const int64_t v[] = { (int64_t)sizeof(CREDENTIALW), OFF(CREDENTIALW, Flags), OFF(CREDENTIALW, Type), OFF(CREDENTIALW, TargetName),
        OFF(CREDENTIALW, Comment), OFF(CREDENTIALW, LastWritten.dwLowDateTime), OFF(CREDENTIALW, LastWritten.dwHighDateTime), OFF(CREDENTIALW, CredentialBlobSize), OFF(CREDENTIALW, CredentialBlob),
        OFF(CREDENTIALW, Persist), OFF(CREDENTIALW, AttributeCount), OFF(CREDENTIALW, Attributes), OFF(CREDENTIALW, TargetAlias),
        OFF(CREDENTIALW, UserName) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    case 9: {
      const int64_t v[] = { (int64_t)sizeof(WtsSimSeededEvent), OFF(WtsSimSeededEvent, Log), OFF(WtsSimSeededEvent, EventId),
        OFF(WtsSimSeededEvent, TimeCreated), OFF(WtsSimSeededEvent, LogonId), OFF(WtsSimSeededEvent, LogonType), OFF(WtsSimSeededEvent, SessionId),
        OFF(WtsSimSeededEvent, UserSid), OFF(WtsSimSeededEvent, User), OFF(WtsSimSeededEvent, Domain), OFF(WtsSimSeededEvent, SessionName),
        OFF(WtsSimSeededEvent, ClientName), OFF(WtsSimSeededEvent, ClientAddress) };
      return field + 1 < (int)(sizeof v / sizeof v[0]) ? v[field + 1] : -1;
    }
    default: return -1;
  }
#undef OFF
}

/*
 * Reads back one Security-log record (0 = newest) for tests: its event id, Logon ID and logon
 * type. Returns 1, or 0 when there is no such server or record. (The event side reads the log
 * through the wevtapi functions; this is only the simulator's own view of it.)
 */
SIM_EXPORT int WtsSimEventFromNewest(LPCWSTR server, DWORD indexFromNewest, DWORD *eventId, uint64_t *logonId, DWORD *logonType) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0 || indexFromNewest >= sim_event_count_locked(i)) { sim_unlock(); return 0; }
  const SimEventRecord *r = sim_event_at_locked(i, sim_event_count_locked(i) - 1 - indexFromNewest);
  *eventId = r->eventId; *logonId = r->logonId; *logonType = r->logonType;
  sim_unlock();
  return 1;
}

/* 0: ReportEventW works; else it fails with this last-error code (1502: the Application log is full and set not to overwrite). */
/* 1 when EvtQuery can read exported .evtx files: the build linked libevtx. */
SIM_EXPORT int WtsSimReadsEvtxFiles(void) { return sim_evtx_supported(); }

SIM_EXPORT void WtsSimSetReportEventFailure(DWORD code) { sim_lock(); sim_app_set_report_failure_locked(code); sim_unlock(); }
