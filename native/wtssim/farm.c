/*
 * wtssim's farm: the lock and the clock, every server's sessions and Security log, the call
 * counters, and the changes both the wtsapi32 exports and the control API make to them.
 */
#include "wtssim-farm.h"

#include <stdlib.h>
#include <string.h>
#include <errno.h>

#ifdef _WIN32
static CRITICAL_SECTION g_lock;
static CONDITION_VARIABLE g_hang_cv;
static INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;
static BOOL CALLBACK sim_init_once(PINIT_ONCE o, PVOID p, PVOID *c) {
  (void)o; (void)p; (void)c;
  InitializeCriticalSection(&g_lock);
  InitializeConditionVariable(&g_hang_cv);
  return TRUE;
}
void sim_lock(void) { InitOnceExecuteOnce(&g_once, sim_init_once, NULL, NULL); EnterCriticalSection(&g_lock); }
void sim_unlock(void) { LeaveCriticalSection(&g_lock); }
void sim_sleep_ms(int64_t ms) { if (ms > 0) Sleep((DWORD)ms); }
static int64_t sim_wall_ms(void) {
  FILETIME ft; GetSystemTimeAsFileTime(&ft);
  return (int64_t)((((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime) / 10000ull) - 11644473600000ll;
}
void sim_set_last_error(DWORD code) { SetLastError(code); }
static int sim_hang_wait_locked(int64_t ms) { return SleepConditionVariableCS(&g_hang_cv, &g_lock, (DWORD)ms) ? 1 : 0; }
void sim_hang_wake_all(void) { WakeAllConditionVariable(&g_hang_cv); }
#else
#include <pthread.h>
#include <time.h>
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_hang_cv = PTHREAD_COND_INITIALIZER;
void sim_lock(void) { pthread_mutex_lock(&g_lock); }
void sim_unlock(void) { pthread_mutex_unlock(&g_lock); }
void sim_sleep_ms(int64_t ms) {
  if (ms <= 0) return;
  struct timespec ts = { (time_t)(ms / 1000), (long)((ms % 1000) * 1000000L) };
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}
static int64_t sim_wall_ms(void) {
  struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
void sim_set_last_error(DWORD code) { errno = (int)code; }
static int sim_hang_wait_locked(int64_t ms) {
  struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += (time_t)(ms / 1000);
  ts.tv_nsec += (long)((ms % 1000) * 1000000L);
  if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
  return pthread_cond_timedwait(&g_hang_cv, &g_lock, &ts) == 0;
}
void sim_hang_wake_all(void) { pthread_cond_broadcast(&g_hang_cv); }
/* Off Windows, kernel32's event objects are the simulator's: a waiter is woken as a log grows, as SetEvent wakes one on Windows. */
static pthread_cond_t g_log_cv = PTHREAD_COND_INITIALIZER;
void sim_log_wait_locked(int64_t ms) {
  struct timespec ts; clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += (time_t)(ms / 1000);
  ts.tv_nsec += (long)((ms % 1000) * 1000000L);
  if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
  pthread_cond_timedwait(&g_log_cv, &g_lock, &ts);
}
void sim_log_wake_all_locked(void) { pthread_cond_broadcast(&g_log_cv); }
#endif

/* Simulated time runs ahead of the wall clock by this much: soak tests fast-forward a day. */
volatile int64_t g_clockOffsetMs = 0;
int64_t sim_now_ms(void) { return sim_wall_ms() + g_clockOffsetMs; }

int64_t sim_now_filetime(void) { return sim_filetime_from_ms(sim_now_ms()); }

/* ---- Farm state ---------------------------------------------------------------------------- */

SimServer *g_servers;
size_t g_serverCount, g_serverCap;
int64_t g_unknownHostDelayMs = 1000;
size_t g_maxEventsPerServer = 100000;
uint64_t g_hangGeneration; /* bumped by WtsSimReleaseHangs */
uint64_t g_farmGeneration; /* bumped by WtsSimReset: every server index found before is void */
uint64_t g_logGeneration;  /* bumped by every record appended on any server */
SimActionEntry *g_actionLog;
uint64_t g_actionTotal;
int64_t g_logonDurationMs = 200;
DWORD g_exFailure;
int64_t g_messageTimeoutPermille = 1000;
const char *const g_fnNames[FN_COUNT] = {
  "WTSOpenServerW", "WTSOpenServerExW", "WTSCloseServer", "WTSEnumerateSessionsW",
  "WTSEnumerateSessionsExW", "WTSQuerySessionInformationW", "WTSLogoffSession",
  "WTSDisconnectSession", "WTSSendMessageW", "WTSFreeMemory", "WTSFreeMemoryExW",
  "WTSEnumerateProcessesExW", "WTSTerminateProcess"
};

uint64_t g_calls[FN_COUNT];
volatile int64_t g_outstandingAllocs; /* atomic: allocations happen with and without the lock held */
int64_t g_badFrees;
int64_t g_openHandles;
int64_t g_badCloses;
uint64_t sim_log_generation_locked(void) { return g_logGeneration; }

/* ---- Helpers -------------------------------------------------------------------------------- */

size_t sim_wlen(LPCWSTR s) { size_t n = 0; if (s) while (s[n]) n++; return n; }

int sim_find_server_locked(LPCWSTR name) {
  if (!name) return -1;
  for (size_t i = 0; i < g_serverCount; i++) {
    if (sim_wequal_ci(g_servers[i].name, name)) return (int)i;
    for (int a = 0; a < g_servers[i].aliasCount; a++)
      if (sim_wequal_ci(g_servers[i].aliases[a], name)) return (int)i;
  }
  return -1;
}
int sim_local_server_locked(void) {
  for (size_t i = 0; i < g_serverCount; i++) if (g_servers[i].isLocal) return (int)i;
  return -1;
}
const WCHAR *sim_server_name_locked(int server) { return g_servers[server].name; }
/* The name a server's events carry in <Computer>: its first dotted alias (an FQDN), else its name. */
const WCHAR *sim_server_computer_locked(int server) {
  for (int a = 0; a < g_servers[server].aliasCount; a++) {
    const WCHAR *alias = g_servers[server].aliases[a];
    int dotted = 0, colon = 0, letters = 0;
    for (const WCHAR *c = alias; *c; c++) { dotted |= *c == L'.'; colon |= *c == L':'; letters |= (*c >= L'A' && *c <= L'Z') || (*c >= L'a' && *c <= L'z'); }
    if (dotted && !colon && letters) return alias;
  }
  return g_servers[server].name;
}
DWORD sim_event_fault_locked(int server) {
  SimServer *s = &g_servers[server];
  if (s->eventFault && s->eventFaultUntilMs && sim_now_ms() >= s->eventFaultUntilMs) { s->eventFault = 0; s->eventFaultUntilMs = 0; }
  return (DWORD)s->eventFault;
}
void sim_event_fault_fired_locked(int server) {
  SimServer *s = &g_servers[server];
  if (s->eventFaultShots > 0 && --s->eventFaultShots == 0) { s->eventFault = 0; s->eventFaultUntilMs = 0; }
}

static uint64_t next_random(uint64_t *state) { *state = *state * 6364136223846793005ull + 1442695040888963407ull; return *state >> 33; }

/*
 * One record of the background traffic every busy server logs: network logons (type 3) ending,
 * Window Manager DWM-n sessions ending, a service account. Generated lazily for the time elapsed
 * since the last call, so it needs no thread of its own.
 */
void background_event(SimServer *s, int64_t atMs, SimEventRecord *ev) {
  memset(ev, 0, sizeof *ev);
  uint64_t r = next_random(&s->backgroundSeed);
  ev->eventId = 4634;
  ev->timeCreated = sim_filetime_from_ms(atMs);
  ev->logonId = 0x200000ull + (next_random(&s->backgroundSeed) & 0xffffff);
  if (r % 10 < 6) {
    sim_wcopy(ev->userSid, 64, L"S-1-5-21-3623811015-3361044348-30300820-1150"); sim_wcopy(ev->userName, 64, L"svc_reports");
    sim_wcopy(ev->domain, 64, L"CONTOSO"); ev->logonType = 3;
  } else if (r % 10 < 9) {
    int n = 1 + (int)(r % 4);
    swprintf(ev->userSid, 64, L"S-1-5-90-0-%d", n); swprintf(ev->userName, 64, L"DWM-%d", n);
    sim_wcopy(ev->domain, 64, L"Window Manager"); ev->logonType = 2;
  } else {
    sim_wcopy(ev->userSid, 64, L"S-1-5-20"); sim_wcopy(ev->userName, 64, L"NETWORK SERVICE"); sim_wcopy(ev->domain, 64, L"NT AUTHORITY"); ev->logonType = 5;
  }
}

void sim_generate_background_locked(int server) {
  SimServer *s = &g_servers[server];
  if (s->backgroundPerMinute <= 0) return;
  int64_t now = sim_now_ms();
  if (s->backgroundUntilMs == 0) { s->backgroundUntilMs = now; return; }
  double intervalMs = 60000.0 / s->backgroundPerMinute;
  while (s->backgroundUntilMs + (int64_t)intervalMs <= now) {
    s->backgroundUntilMs += (int64_t)intervalMs;
    SimEventRecord ev;
    background_event(s, s->backgroundUntilMs, &ev);
    sim_append_event_locked(server, &ev);
  }
}

void sim_generate_all_background_locked(void) {
  for (size_t i = 0; i < g_serverCount; i++) sim_generate_background_locked((int)i);
}

void sim_log_append_locked(int server, int log, const SimEventRecord *record) {
  SimServer *s = &g_servers[server];
  SimLog *l = &s->logs[log];
  if (l->cap == 0) {
    l->cap = g_maxEventsPerServer;
    l->records = (SimEventRecord *)calloc(l->cap, sizeof(SimEventRecord));
    if (!l->records) { l->cap = 0; return; }
  }
  SimEventRecord copy = *record;
  copy.recordId = ++l->nextRecordId;
  if (log != SIM_LOG_FORWARDED) { copy.sourceServer = -1; copy.sourceRecordId = 0; copy.deliveredAt = 0; }
  size_t slot;
  if (l->count < l->cap) {
    slot = (l->start + l->count) % l->cap;
    l->count++;
  } else { /* the log rolls over, as a full log set to overwrite does */
    slot = l->start;
    l->start = (l->start + 1) % l->cap;
  }
  l->records[slot] = copy;
  s->eventGeneration++;
  g_logGeneration++;
  sim_log_grew_locked(server);
  /* A subscription on the collector forwards the record: it arrives there forwardDelayMs after it was logged (or now, if later). */
  if (log == SIM_LOG_SECURITY && s->collector >= 0 && (size_t)s->collector < g_serverCount && s->collector != server) {
    SimEventRecord forwarded = copy;
    int64_t now = sim_now_filetime();
    forwarded.sourceServer = server;
    forwarded.sourceRecordId = copy.recordId;
    forwarded.deliveredAt = (copy.timeCreated > now ? copy.timeCreated : now) + s->forwardDelayMs * 10000;
    sim_log_append_locked(s->collector, SIM_LOG_FORWARDED, &forwarded);
  }
}
size_t sim_log_count_locked(int server, int log) { return g_servers[server].logs[log].count; }
const SimEventRecord *sim_log_at_locked(int server, int log, size_t index) {
  const SimLog *l = &g_servers[server].logs[log];
  return &l->records[(l->start + index) % l->cap];
}
size_t sim_server_count_locked(void) { return g_serverCount; }
void sim_append_event_locked(int server, const SimEventRecord *record) { sim_log_append_locked(server, SIM_LOG_SECURITY, record); }
size_t sim_event_count_locked(int server) { return sim_log_count_locked(server, SIM_LOG_SECURITY); }
const SimEventRecord *sim_event_at_locked(int server, size_t index) { return sim_log_at_locked(server, SIM_LOG_SECURITY, index); }
uint64_t sim_event_generation_locked(int server) { return g_servers[server].eventGeneration; }


void *sim_alloc(size_t size, uint32_t kind, uint64_t entries) {
  AllocHeader *h = (AllocHeader *)calloc(1, sizeof(AllocHeader) + size);
  if (!h) return NULL;
  h->magic = ALLOC_MAGIC; h->kind = kind; h->entries = entries;
  ATOMIC_ADD(&g_outstandingAllocs, 1);
  return h + 1;
}
/* Returns 0 on success, else the Windows error for a bad free. */
DWORD sim_free(void *p, uint32_t kind, uint64_t entries, int checkEntries) {
  AllocHeader *h = ((AllocHeader *)p) - 1;
  sim_lock();
  if (h->magic != ALLOC_MAGIC || h->kind != kind || (checkEntries && h->entries != entries)) {
    g_badFrees++;
    sim_unlock();
    return SIM_ERROR_INVALID_PARAMETER;
  }
  h->magic = 0;
  sim_unlock();
  ATOMIC_ADD(&g_outstandingAllocs, -1);
  free(h);
  return 0;
}


int sim_session_ended(const SimSession *s, int64_t nowMs) { return s->goneAtMs != 0 && nowMs >= s->goneAtMs; }
/* Listed and reachable: its logon has completed and it has not ended. */
int sim_session_alive(const SimSession *s, int64_t nowMs) { return !sim_session_ended(s, nowMs) && nowMs >= s->bornAtMs; }

void note_freed_locked(SimServer *srv, DWORD id, int64_t atMs) {
  srv->freedIds[srv->freedNext % 256] = id;
  srv->freedAtMs[srv->freedNext % 256] = atMs;
  srv->freedNext++;
}

int64_t freed_at_locked(const SimServer *srv, DWORD id) {
  int64_t latest = 0;
  for (size_t i = 0; i < 256 && i < srv->freedNext; i++) if (srv->freedIds[i] == id && srv->freedAtMs[i] > latest) latest = srv->freedAtMs[i];
  return latest;
}

void compact_sessions_locked(SimServer *srv, int64_t nowMs) {
  size_t w = 0;
  for (size_t r = 0; r < srv->sessionCount; r++)
    if (!sim_session_ended(&srv->sessions[r], nowMs)) srv->sessions[w++] = srv->sessions[r];
  if (w != srv->sessionCount) srv->sessionIndexStale = 1;
  srv->sessionCount = w;
}

static size_t session_slot(DWORD id, size_t cap) { return ((size_t)id * 2654435761u) & (cap - 1); }

/* Later positions overwrite earlier ones: an id reused after a logoff maps to its newest session. */
static int rebuild_session_index_locked(SimServer *srv) {
  size_t cap = 16;
  while (cap < srv->sessionCount * 2) cap <<= 1;
  if (cap != srv->sessionIndexCap) {
    free(srv->sessionIndex);
    srv->sessionIndex = (size_t *)calloc(cap, sizeof(size_t));
    srv->sessionIndexCap = srv->sessionIndex ? cap : 0;
    if (!srv->sessionIndex) return 0;
  } else {
    memset(srv->sessionIndex, 0, cap * sizeof(size_t));
  }
  for (size_t i = 0; i < srv->sessionCount; i++) {
    size_t h = session_slot(srv->sessions[i].id, cap);
    while (srv->sessionIndex[h] && srv->sessions[srv->sessionIndex[h] - 1].id != srv->sessions[i].id) h = (h + 1) & (cap - 1);
    srv->sessionIndex[h] = i + 1;
  }
  srv->sessionIndexStale = 0;
  return 1;
}

SimSession *find_session_locked(SimServer *srv, DWORD id) {
  int64_t now = sim_now_ms();
  if (id == WTS_CURRENT_SESSION) id = srv->currentSessionId;
  if ((srv->sessionIndexStale || !srv->sessionIndex) && !rebuild_session_index_locked(srv)) {
    for (size_t i = srv->sessionCount; i-- > 0;)
      if (srv->sessions[i].id == id && sim_session_alive(&srv->sessions[i], now)) return &srv->sessions[i];
    return NULL;
  }
  for (size_t h = session_slot(id, srv->sessionIndexCap); srv->sessionIndex[h]; h = (h + 1) & (srv->sessionIndexCap - 1)) {
    SimSession *ss = &srv->sessions[srv->sessionIndex[h] - 1];
    if (ss->id == id) return sim_session_alive(ss, now) ? ss : NULL;
  }
  return NULL;
}

/*
 * Reaching a server by name (NULL: this computer): pay the round trip and apply the server's
 * fault. Returns 0 with *serverOut set, or the error to fail with. Shared by both halves.
 */
DWORD sim_connect(LPCWSTR name, const SimIdentity *login, SimServerRef *serverOut) {
  sim_lock();
  uint64_t farm = g_farmGeneration;
  int server = name ? sim_find_server_locked(name) : sim_local_server_locked();
  if (server < 0) {
    int64_t delay = g_unknownHostDelayMs;
    sim_unlock();
    sim_sleep_ms(delay);
    return SIM_RPC_S_SERVER_UNAVAILABLE;
  }
  SimServer *s = &g_servers[server];
  int64_t latency = s->latencyMs, faultDelay = s->faultDelayMs, hangMs = s->hangMs;
  int fault = s->fault;
  /* Outbound credentials only reach other computers: this one is asked as the process itself. */
  int checksAccount = s->required.set && name != NULL && !s->isLocal;
  SimIdentity required = s->required;
  sim_unlock();
  sim_sleep_ms(latency);
  switch (fault) {
    case SIM_FAULT_UNREACHABLE: sim_sleep_ms(faultDelay); return SIM_RPC_S_SERVER_UNAVAILABLE;
    case SIM_FAULT_ACCESS_DENIED: return SIM_ERROR_ACCESS_DENIED;
    case SIM_FAULT_RPC_FAILED: return SIM_RPC_S_CALL_FAILED;
    case SIM_FAULT_HANG: {
      int64_t deadline = sim_now_ms() + hangMs;
      sim_lock();
      uint64_t gen = g_hangGeneration;
      while (g_hangGeneration == gen) {
        int64_t left = deadline - sim_now_ms();
        if (left <= 0) break;
        sim_hang_wait_locked(left);
      }
      sim_unlock();
      return SIM_RPC_S_CALL_FAILED;
    }
    default: break;
  }
  if (checksAccount) {
    const SimIdentity *who = login && login->set ? login : sim_thread_identity();
    if (!who || !sim_wequal_ci(who->user, required.user) || !sim_wequal_ci(who->domain, required.domain)) return SIM_ERROR_ACCESS_DENIED;
    if (wcscmp(who->password, required.password) != 0) return SIM_ERROR_LOGON_FAILURE;
  }
  serverOut->index = server;
  serverOut->farm = farm;
  return 0;
}

int sim_server_locked(SimServerRef ref) {
  return ref.farm == g_farmGeneration && ref.index >= 0 && (size_t)ref.index < g_serverCount ? ref.index : -1;
}

/* Every WTS call that talks to a server goes through here: count it, check the handle, connect. */
DWORD sim_enter(int fn, HANDLE h, SimServerRef *serverOut) {
  WCHAR name[256];
  sim_lock();
  g_calls[fn]++;
  if (h != NULL) {
    SimHandle *sh = (SimHandle *)h;
    if (sh->magic != HANDLE_MAGIC) { sim_unlock(); return SIM_ERROR_INVALID_HANDLE; }
    sim_wcopy(name, 256, sh->name);
  }
  sim_unlock();
  return sim_connect(h == NULL ? NULL : name, NULL, serverOut);
}


/* A call rejected for its arguments still counts as a call. */
void sim_count_call(int fn) { sim_lock(); g_calls[fn]++; sim_unlock(); }

/* The session a call targets; one flagged to vanish ends now, as if it had ended just before the call. */
SimSession *target_session_locked(SimServer *srv, DWORD id) {
  SimSession *ss = find_session_locked(srv, id);
  if (ss && ss->vanishBeforeAction) { ss->goneAtMs = 1; note_freed_locked(srv, ss->id, sim_now_ms()); return NULL; }
  return ss;
}

void record_action_locked(int fn, int server, const SimSession *ss) {
  if (!g_actionLog) {
    g_actionLog = (SimActionEntry *)calloc(ACTION_LOG_CAP, sizeof(SimActionEntry));
    if (!g_actionLog) return;
  }
  SimActionEntry *e = &g_actionLog[g_actionTotal % ACTION_LOG_CAP];
  e->fn = (DWORD)fn;
  e->sessionId = ss->id;
  sim_wcopy(e->server, 256, g_servers[server].name);
  sim_wcopy(e->user, USERNAME_LENGTH + 1, ss->user);
  sim_wcopy(e->domain, DOMAIN_LENGTH + 1, ss->domain);
  e->logonTime = ss->logonTime;
  e->logonId = ss->logonId;
  e->processId = 0;
  g_actionTotal++;
}

/* A session's client address as Windows writes it in events: dotted IPv4, IPv6 in hex groups, "-" for none. */
static void client_address_text(const SimSession *ss, WCHAR *out, size_t cap) {
  const BYTE *a = ss->address + 2;
  if (ss->addressFamily == 2) swprintf(out, cap, L"%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
  else if (ss->addressFamily == 23) {
    swprintf(out, cap, L"%x:%x:%x:%x:%x:%x:%x:%x", (a[0] << 8) | a[1], (a[2] << 8) | a[3], (a[4] << 8) | a[5], (a[6] << 8) | a[7],
             (a[8] << 8) | a[9], (a[10] << 8) | a[11], (a[12] << 8) | a[13], (a[14] << 8) | a[15]);
  } else sim_wcopy(out, cap, L"-");
}

/*
 * The LocalSessionManager Operational log's record of a session's logon (21), logoff (23),
 * disconnect (24) or reconnect (25): User as DOMAIN\\user, SessionID, and Address ("LOCAL" at the
 * console). It is written whatever the Security audit policy says.
 */
void lsm_event_locked(int server, const SimSession *ss, DWORD eventId, int64_t filetime) {
  if (!ss->user[0]) return;
  SimEventRecord ev; memset(&ev, 0, sizeof ev);
  ev.eventId = eventId;
  ev.timeCreated = filetime;
  sim_wcopy(ev.userName, 64, ss->user);
  sim_wcopy(ev.domain, 64, ss->domain);
  ev.sessionId = ss->id;
  if (ss->addressFamily == 2 || ss->addressFamily == 23) client_address_text(ss, ev.clientAddress, 64);
  else sim_wcopy(ev.clientAddress, 64, L"LOCAL");
  sim_log_append_locked(server, SIM_LOG_LSM, &ev);
}

void session_event_locked(int server, const SimSession *ss, DWORD eventId, int64_t filetime) {
  if (!ss->user[0]) return;
  lsm_event_locked(server, ss, eventId == 4624 ? 21 : eventId == 4779 ? 24 : 25, filetime);
  SimEventRecord ev; memset(&ev, 0, sizeof ev);
  ev.eventId = eventId;
  ev.timeCreated = filetime;
  sim_wcopy(ev.userSid, 64, ss->userSid);
  sim_wcopy(ev.userName, 64, ss->user);
  sim_wcopy(ev.domain, 64, ss->domain);
  ev.logonId = ss->logonId;
  ev.logonType = eventId == 4624 ? ss->logonType : 0;
  sim_wcopy(ev.sessionName, 33, ss->winStation);
  sim_wcopy(ev.clientName, 33, ss->clientName[0] ? ss->clientName : L"-");
  client_address_text(ss, ev.clientAddress, 64);
  sim_append_event_locked(server, &ev);
}

/* A user logging off by themselves: 4647 then 4634 with the same Logon ID (when Audit Logoff is on), and the session ends. */
void user_logoff_locked(int server, SimSession *ss) {
  int64_t now = sim_now_ms();
  if (ss->user[0] && g_servers[server].auditLogoff) {
    SimEventRecord ev; memset(&ev, 0, sizeof ev);
    sim_wcopy(ev.userSid, 64, ss->userSid);
    sim_wcopy(ev.userName, 64, ss->user);
    sim_wcopy(ev.domain, 64, ss->domain);
    ev.logonId = ss->logonId;
    ev.eventId = 4647;
    ev.timeCreated = sim_filetime_from_ms(now);
    sim_append_event_locked(server, &ev);
    ev.eventId = 4634;
    ev.logonType = ss->logonType;
    sim_append_event_locked(server, &ev);
  }
  lsm_event_locked(server, ss, 23, sim_filetime_from_ms(now));
  ss->goneAtMs = now > 1 ? now : 2;
  note_freed_locked(&g_servers[server], ss->id, ss->goneAtMs);
}

/*
 * A logon time no earlier than now and at least 1 ms after every earlier logon on the server:
 * a real logon takes seconds, and the console compares logon times to the millisecond.
 */
int64_t next_logon_time_locked(SimServer *srv) {
  int64_t t = sim_now_filetime();
  if (t < srv->lastLogonTime + 10000) t = srv->lastLogonTime + 10000;
  srv->lastLogonTime = t;
  return t;
}

/* Appends a copy of `session` to the server; returns it, or NULL when memory ran out. */
SimSession *add_session_locked(SimServer *s, const SimSession *session) {
  if (s->sessionCount == s->sessionCap) {
    size_t cap = s->sessionCap ? s->sessionCap * 2 : 16;
    SimSession *grown = (SimSession *)realloc(s->sessions, cap * sizeof(SimSession));
    if (!grown) return NULL;
    s->sessions = grown; s->sessionCap = cap;
  }
  SimSession *ss = &s->sessions[s->sessionCount++];
  *ss = *session;
  if (ss->pidBase == 0) {
    if (s->nextPidBase < 100) s->nextPidBase = 100;
    ss->pidBase = s->nextPidBase;
    s->nextPidBase += 32;
  }
  int64_t freedAt = freed_at_locked(s, ss->id);
  if (freedAt > 0 && freedAt + g_logonDurationMs > ss->bornAtMs) ss->bornAtMs = freedAt + g_logonDurationMs;
  if (ss->logonTime > s->lastLogonTime) s->lastLogonTime = ss->logonTime;
  s->sessionIndexStale = 1;
  return ss;
}

/*
 * The user of a session leaves and a new user logs on and is given the same session id, as
 * Windows does with freed ids: same window station and client, new user, logon time and Logon ID.
 */
SimSession *replace_session_locked(int server, SimSession *old, LPCWSTR user, LPCWSTR domain, LPCWSTR sid, uint64_t logonId) {
  SimServer *srv = &g_servers[server];
  SimSession next = *old;
  user_logoff_locked(server, old);
  sim_wcopy(next.user, USERNAME_LENGTH + 1, user);
  sim_wcopy(next.domain, DOMAIN_LENGTH + 1, domain);
  sim_wcopy(next.userSid, 64, sid);
  next.logonId = logonId;
  next.logonTime = next.connectTime = next.lastInputTime = next_logon_time_locked(srv);
  next.disconnectTime = 0;
  next.state = WTSActive;
  next.goneAtMs = 0;
  next.vanishBeforeAction = 0;
  next.replaceDuringMessageMs = -1;
  next.lastMessage[0] = 0; next.lastTitle[0] = 0;
  next.pidBase = 0; next.endedProcesses = 0; /* a new logon starts new processes */
  SimSession *added = add_session_locked(srv, &next);
  if (added) session_event_locked(server, added, 4624, added->logonTime);
  return added;
}

/* Held by a session, or by a logon into it that has not completed yet. */
int id_in_use_locked(SimServer *srv, DWORD id) {
  int64_t now = sim_now_ms();
  for (size_t i = 0; i < srv->sessionCount; i++) if (srv->sessions[i].id == id && !sim_session_ended(&srv->sessions[i], now)) return 1;
  return 0;
}

/* Finds the session with this id only if it is still the logon identified by logonTime. */
SimSession *find_logon_locked(SimServer *srv, DWORD id, int64_t logonTime) {
  SimSession *ss = find_session_locked(srv, id);
  return ss && ss->logonTime == logonTime ? ss : NULL;
}

int64_t sim_message_wait_ms(int64_t seconds) { return seconds * g_messageTimeoutPermille; }

int sim_not_actionable(const SimSession *ss) { return ss->id == 0 || ss->state == WTSListen; }
