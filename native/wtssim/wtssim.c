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
#include "wtssim.h"

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
static void sim_hang_wake_all(void) { WakeAllConditionVariable(&g_hang_cv); }
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
static void sim_hang_wake_all(void) { pthread_cond_broadcast(&g_hang_cv); }
#endif

/* Simulated time runs ahead of the wall clock by this much: soak tests fast-forward a day. */
static volatile int64_t g_clockOffsetMs = 0;
int64_t sim_now_ms(void) { return sim_wall_ms() + g_clockOffsetMs; }

/* 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define FILETIME_UNIX_EPOCH 116444736000000000ll
int64_t sim_now_filetime(void) { return sim_now_ms() * 10000ll + FILETIME_UNIX_EPOCH; }

/* ---- Public wtsapi32 types, declared as in the Windows SDK ---------------------------------- */

typedef enum {
  WTSActive, WTSConnected, WTSConnectQuery, WTSShadow, WTSDisconnected,
  WTSIdle, WTSListen, WTSReset, WTSDown, WTSInit
} WTS_CONNECTSTATE_CLASS;

typedef struct _WTS_SESSION_INFOW {
  DWORD SessionId;
  LPWSTR pWinStationName;
  WTS_CONNECTSTATE_CLASS State;
} WTS_SESSION_INFOW, *PWTS_SESSION_INFOW;

typedef struct _WTS_SESSION_INFO_1W {
  DWORD ExecEnvId;
  WTS_CONNECTSTATE_CLASS State;
  DWORD SessionId;
  LPWSTR pSessionName;
  LPWSTR pHostName;
  LPWSTR pUserName;
  LPWSTR pDomainName;
  LPWSTR pFarmName;
} WTS_SESSION_INFO_1W, *PWTS_SESSION_INFO_1W;

#define WINSTATIONNAME_LENGTH 32
#define DOMAIN_LENGTH 17
#define USERNAME_LENGTH 20
typedef struct _WTSINFOW {
  WTS_CONNECTSTATE_CLASS State;
  DWORD SessionId;
  DWORD IncomingBytes;
  DWORD OutgoingBytes;
  DWORD IncomingFrames;
  DWORD OutgoingFrames;
  DWORD IncomingCompressedBytes;
  DWORD OutgoingCompressedBytes;
  WCHAR WinStationName[WINSTATIONNAME_LENGTH];
  WCHAR Domain[DOMAIN_LENGTH];
  WCHAR UserName[USERNAME_LENGTH + 1];
  LARGE_INTEGER ConnectTime;
  LARGE_INTEGER DisconnectTime;
  LARGE_INTEGER LastInputTime;
  LARGE_INTEGER LogonTime;
  LARGE_INTEGER CurrentTime;
} WTSINFOW;

typedef struct _WTS_CLIENT_ADDRESS {
  DWORD AddressFamily;
  BYTE Address[20];
} WTS_CLIENT_ADDRESS;

#if defined(_WIN64)
/* The layouts 64-bit Windows documents; the binding computes the same numbers for 2-byte WCHAR. */
_Static_assert(sizeof(WTS_SESSION_INFOW) == 24, "WTS_SESSION_INFOW");
_Static_assert(sizeof(WTS_SESSION_INFO_1W) == 56 && offsetof(WTS_SESSION_INFO_1W, pUserName) == 32, "WTS_SESSION_INFO_1W");
_Static_assert(sizeof(WTSINFOW) == 216 && offsetof(WTSINFOW, UserName) == 130 && offsetof(WTSINFOW, ConnectTime) == 176
               && offsetof(WTSINFOW, CurrentTime) == 208, "WTSINFOW");
_Static_assert(sizeof(WTS_CLIENT_ADDRESS) == 24, "WTS_CLIENT_ADDRESS");
#endif

enum {
  WTSInitialProgram = 0, WTSSessionId = 4, WTSUserName = 5, WTSWinStationName = 6, WTSDomainName = 7,
  WTSConnectState = 8, WTSClientName = 10, WTSClientAddress = 14, WTSClientProtocolType = 16,
  WTSIdleTime = 17, WTSOutgoingFrames = 22, WTSSessionInfo = 24, WTSSessionAddressV4 = 28, WTSSessionActivityId = 30
};
enum { WTSTypeProcessInfoLevel0 = 0, WTSTypeProcessInfoLevel1 = 1, WTSTypeSessionInfoLevel1 = 2 };

#define WTS_CURRENT_SESSION ((DWORD)-1)
#define IDOK 1
#define IDCANCEL 2
#define IDTIMEOUT 32000
#define IDASYNC 32001

/* ---- Farm state ---------------------------------------------------------------------------- */

typedef struct {
  DWORD id;
  DWORD state;
  WCHAR winStation[WINSTATIONNAME_LENGTH + 1];
  WCHAR user[USERNAME_LENGTH + 1];
  WCHAR domain[DOMAIN_LENGTH + 1];
  WCHAR clientName[21];
  WCHAR userSid[64];
  DWORD addressFamily;
  BYTE address[20];
  USHORT protocol;
  int64_t logonTime, connectTime, disconnectTime, lastInputTime;
  int messageAnswer;     /* IDOK, IDCANCEL, or 0 = nobody answers */
  uint64_t logonId;
  DWORD logonType;
  int vanishBeforeAction; /* gone by the time anyone acts on it */
  int64_t goneAtMs;       /* 0 while alive; logoff completes at this wall-clock time */
  int64_t bornAtMs;       /* a logon into a freed id completes at this time; before it, the id is free */
  WCHAR lastMessage[512];
  WCHAR lastTitle[128];
  /* A new user takes this session id this long after a message wait on it begins; -1: never. */
  int64_t replaceDuringMessageMs;
  WCHAR replaceUser[USERNAME_LENGTH + 1];
  WCHAR replaceDomain[DOMAIN_LENGTH + 1];
  WCHAR replaceSid[64];
  uint64_t replaceLogonId;
} SimSession;

#define MAX_ALIASES 4
typedef struct {
  WCHAR name[256];
  WCHAR aliases[MAX_ALIASES][256];
  int aliasCount;
  WCHAR farmName[64];
  int isLocal;
  DWORD currentSessionId;
  int64_t latencyMs;
  int64_t logoffDelayMs;
  int64_t answerDelayMs;
  int fault;
  int64_t faultDelayMs;
  int64_t hangMs;
  int eventFault;
  int64_t eventFaultUntilMs; /* a timed fault clears itself then; 0: until changed */
  int64_t eventLatencyMs; /* extra time each Security-log open takes (a large or busy log) */
  double backgroundPerMinute; /* background logoff records generated per minute */
  int64_t backgroundUntilMs;  /* generated up to this time */
  uint64_t backgroundSeed;
  int auditLogoff; /* the server's audit policy logs logoffs (Audit Logoff); on by default */
  int64_t lastLogonTime; /* FILETIME of the newest logon, so every logon on a server has its own time */
  /* The newest session ends, by id: a new logon into a freed id completes no sooner than a logon takes after it. */
  DWORD freedIds[256];
  int64_t freedAtMs[256];
  size_t freedNext;
  SimSession *sessions;
  size_t sessionCount, sessionCap;
  /* Open-addressing map from session id to position + 1 (0: empty), so lookups in a large farm
     cost the same as in a small one and benchmarks measure the caller, not the simulator. */
  size_t *sessionIndex;
  size_t sessionIndexCap;
  int sessionIndexStale;
  SimEventRecord *events; /* ring of the newest maxEvents records */
  size_t eventStart, eventCount, eventCap;
  uint64_t nextRecordId;
  uint64_t eventGeneration; /* bumped on every append, so waiting readers can tell */
} SimServer;

static SimServer *g_servers;
static size_t g_serverCount, g_serverCap;
static int64_t g_unknownHostDelayMs = 1000;
static size_t g_maxEventsPerServer = 100000;
static uint64_t g_hangGeneration; /* bumped by WtsSimReleaseHangs */
static uint64_t g_logGeneration;  /* bumped by every record appended on any server */
uint64_t sim_log_generation_locked(void) { return g_logGeneration; }

/*
 * Every WTSLogoffSession, WTSDisconnectSession and WTSSendMessageW that reached a session, with
 * the identity of the session it reached: tests compare it with the identity the console was
 * asked to act on. A ring of the newest entries; the total keeps counting.
 */
typedef struct {
  DWORD fn;
  DWORD sessionId;
  WCHAR server[256];
  WCHAR user[USERNAME_LENGTH + 1];
  WCHAR domain[DOMAIN_LENGTH + 1];
  int64_t logonTime;
  uint64_t logonId;
} SimActionEntry;
#define ACTION_LOG_CAP 65536
static SimActionEntry *g_actionLog;
static uint64_t g_actionTotal;

/*
 * How long a logon takes, at the least, from the moment a session id is freed to the moment a new
 * user holds it: authentication, profile and shell. A Windows logon takes seconds; the point is
 * that it takes far longer than one WTS call, so no new user can take an id between two calls.
 */
static int64_t g_logonDurationMs = 200;

/* Nonzero: WTSOpenServerExW and WTSEnumerateSessionsExW exist but fail with this code (a stub, or an older server). */
static DWORD g_exFailure;

/* 1000: a message box's Timeout lasts Timeout seconds; tests that model many waits shorten it. */
static int64_t g_messageTimeoutPermille = 1000;

enum SimFn {
  FN_OPEN_SERVER, FN_OPEN_SERVER_EX, FN_CLOSE_SERVER, FN_ENUMERATE, FN_ENUMERATE_EX, FN_QUERY,
  FN_LOGOFF, FN_DISCONNECT, FN_SEND_MESSAGE, FN_FREE, FN_FREE_EX, FN_COUNT
};
static const char *const g_fnNames[FN_COUNT] = {
  "WTSOpenServerW", "WTSOpenServerExW", "WTSCloseServer", "WTSEnumerateSessionsW",
  "WTSEnumerateSessionsExW", "WTSQuerySessionInformationW", "WTSLogoffSession",
  "WTSDisconnectSession", "WTSSendMessageW", "WTSFreeMemory", "WTSFreeMemoryExW"
};
static uint64_t g_calls[FN_COUNT];
static volatile int64_t g_outstandingAllocs; /* atomic: allocations happen with and without the lock held */
#ifdef _WIN32
#define ATOMIC_ADD(p, v) InterlockedExchangeAdd64((volatile LONG64 *)(p), (v))
#else
#define ATOMIC_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#endif
static int64_t g_badFrees;
static int64_t g_openHandles;
static int64_t g_badCloses;

/* ---- Helpers -------------------------------------------------------------------------------- */

static size_t wlen(LPCWSTR s) { size_t n = 0; if (s) while (s[n]) n++; return n; }

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

static uint64_t next_random(uint64_t *state) { *state = *state * 6364136223846793005ull + 1442695040888963407ull; return *state >> 33; }

/*
 * One record of the background traffic every busy server logs: network logons (type 3) ending,
 * Window Manager DWM-n sessions ending, a service account. Generated lazily for the time elapsed
 * since the last call, so it needs no thread of its own.
 */
static void background_event(SimServer *s, int64_t atMs, SimEventRecord *ev) {
  memset(ev, 0, sizeof *ev);
  uint64_t r = next_random(&s->backgroundSeed);
  ev->eventId = 4634;
  ev->timeCreated = atMs * 10000ll + FILETIME_UNIX_EPOCH;
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

void sim_append_event_locked(int server, const SimEventRecord *record) {
  SimServer *s = &g_servers[server];
  if (s->eventCap == 0) {
    s->eventCap = g_maxEventsPerServer;
    s->events = (SimEventRecord *)calloc(s->eventCap, sizeof(SimEventRecord));
    if (!s->events) { s->eventCap = 0; return; }
  }
  SimEventRecord copy = *record;
  copy.recordId = s->nextRecordId++;
  size_t slot;
  if (s->eventCount < s->eventCap) {
    slot = (s->eventStart + s->eventCount) % s->eventCap;
    s->eventCount++;
  } else { /* the log rolls over, as a full Security log set to overwrite does */
    slot = s->eventStart;
    s->eventStart = (s->eventStart + 1) % s->eventCap;
  }
  s->events[slot] = copy;
  s->eventGeneration++;
  g_logGeneration++;
  sim_log_grew_locked(server);
}
size_t sim_event_count_locked(int server) { return g_servers[server].eventCount; }
const SimEventRecord *sim_event_at_locked(int server, size_t index) {
  SimServer *s = &g_servers[server];
  return &s->events[(s->eventStart + index) % s->eventCap];
}
uint64_t sim_event_generation_locked(int server) { return g_servers[server].eventGeneration; }

/* Allocations handed to callers carry a header so frees can be checked and counted. */
#define ALLOC_MAGIC 0x57545341u /* "WTSA" */
enum { ALLOC_FREE_MEMORY = 1, ALLOC_FREE_MEMORY_EX_SESSION1 = 2 };
typedef struct { uint32_t magic; uint32_t kind; uint64_t entries; } AllocHeader;

static void *sim_alloc(size_t size, uint32_t kind, uint64_t entries) {
  AllocHeader *h = (AllocHeader *)calloc(1, sizeof(AllocHeader) + size);
  if (!h) return NULL;
  h->magic = ALLOC_MAGIC; h->kind = kind; h->entries = entries;
  ATOMIC_ADD(&g_outstandingAllocs, 1);
  return h + 1;
}
/* Returns 0 on success, else the Windows error for a bad free. */
static DWORD sim_free(void *p, uint32_t kind, uint64_t entries, int checkEntries) {
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

#define HANDLE_MAGIC 0x48535457u /* "WTSH" */
typedef struct { uint32_t magic; WCHAR name[256]; } SimHandle;

static int session_ended(const SimSession *s, int64_t nowMs) { return s->goneAtMs != 0 && nowMs >= s->goneAtMs; }
/* Listed and reachable: its logon has completed and it has not ended. */
static int session_alive(const SimSession *s, int64_t nowMs) { return !session_ended(s, nowMs) && nowMs >= s->bornAtMs; }

static void note_freed_locked(SimServer *srv, DWORD id, int64_t atMs) {
  srv->freedIds[srv->freedNext % 256] = id;
  srv->freedAtMs[srv->freedNext % 256] = atMs;
  srv->freedNext++;
}

static int64_t freed_at_locked(const SimServer *srv, DWORD id) {
  int64_t latest = 0;
  for (size_t i = 0; i < 256 && i < srv->freedNext; i++) if (srv->freedIds[i] == id && srv->freedAtMs[i] > latest) latest = srv->freedAtMs[i];
  return latest;
}

static void compact_sessions_locked(SimServer *srv, int64_t nowMs) {
  size_t w = 0;
  for (size_t r = 0; r < srv->sessionCount; r++)
    if (!session_ended(&srv->sessions[r], nowMs)) srv->sessions[w++] = srv->sessions[r];
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

static SimSession *find_session_locked(SimServer *srv, DWORD id) {
  int64_t now = sim_now_ms();
  if (id == WTS_CURRENT_SESSION) id = srv->currentSessionId;
  if ((srv->sessionIndexStale || !srv->sessionIndex) && !rebuild_session_index_locked(srv)) {
    for (size_t i = srv->sessionCount; i-- > 0;)
      if (srv->sessions[i].id == id && session_alive(&srv->sessions[i], now)) return &srv->sessions[i];
    return NULL;
  }
  for (size_t h = session_slot(id, srv->sessionIndexCap); srv->sessionIndex[h]; h = (h + 1) & (srv->sessionIndexCap - 1)) {
    SimSession *ss = &srv->sessions[srv->sessionIndex[h] - 1];
    if (ss->id == id) return session_alive(ss, now) ? ss : NULL;
  }
  return NULL;
}

/*
 * Reaching a server by name (NULL: this computer): pay the round trip and apply the server's
 * fault. Returns 0 with *serverOut set, or the error to fail with. Shared by both halves.
 */
DWORD sim_connect(LPCWSTR name, int *serverOut) {
  sim_lock();
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
  *serverOut = server;
  return 0;
}

/* Every WTS call that talks to a server goes through here: count it, check the handle, connect. */
static DWORD sim_enter(int fn, HANDLE h, int *serverOut) {
  WCHAR name[256];
  sim_lock();
  g_calls[fn]++;
  if (h != NULL) {
    SimHandle *sh = (SimHandle *)h;
    if (sh->magic != HANDLE_MAGIC) { sim_unlock(); return SIM_ERROR_INVALID_HANDLE; }
    sim_wcopy(name, 256, sh->name);
  }
  sim_unlock();
  return sim_connect(h == NULL ? NULL : name, serverOut);
}

#define FAIL(code) do { sim_set_last_error(code); return FALSE; } while (0)

/* A call rejected for its arguments still counts as a call. */
static void count_call(int fn) { sim_lock(); g_calls[fn]++; sim_unlock(); }

/* The session a call targets; one flagged to vanish ends now, as if it had ended just before the call. */
static SimSession *target_session_locked(SimServer *srv, DWORD id) {
  SimSession *ss = find_session_locked(srv, id);
  if (ss && ss->vanishBeforeAction) { ss->goneAtMs = 1; note_freed_locked(srv, ss->id, sim_now_ms()); return NULL; }
  return ss;
}

/* ---- wtsapi32 exports --------------------------------------------------------------------- */

static HANDLE open_server(int fn, LPWSTR pServerName) {
  count_call(fn);
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
  if (failure) { count_call(FN_OPEN_SERVER_EX); sim_set_last_error(failure); return NULL; }
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
  count_call(FN_FREE);
  if (pMemory) sim_free(pMemory, ALLOC_FREE_MEMORY, 0, 0);
}

#ifndef WTSSIM_NO_EX_EXPORTS
SIM_EXPORT BOOL WINAPI WTSFreeMemoryExW(int WTSTypeClass, PVOID pMemory, ULONG NumberOfEntries) {
  count_call(FN_FREE_EX);
  if (WTSTypeClass != WTSTypeSessionInfoLevel1 || pMemory == NULL) FAIL(SIM_ERROR_INVALID_PARAMETER);
  DWORD err = sim_free(pMemory, ALLOC_FREE_MEMORY_EX_SESSION1, NumberOfEntries, 1);
  if (err) FAIL(err);
  return TRUE;
}
#endif

/* Strings of one enumeration live in the same block as its array, after it. */
static LPWSTR put_string(WCHAR **cursor, LPCWSTR s) {
  LPWSTR start = *cursor;
  size_t n = wlen(s);
  memcpy(start, s, n * sizeof(WCHAR));
  start[n] = 0;
  *cursor += n + 1;
  return start;
}

SIM_EXPORT BOOL WINAPI WTSEnumerateSessionsW(HANDLE hServer, DWORD Reserved, DWORD Version,
                                             PWTS_SESSION_INFOW *ppSessionInfo, DWORD *pCount) {
  int server = -1;
  if (!ppSessionInfo || !pCount) { count_call(FN_ENUMERATE); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  if (Reserved != 0 || Version != 1) { count_call(FN_ENUMERATE); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  DWORD err = sim_enter(FN_ENUMERATE, hServer, &server);
  if (err) FAIL(err);
  sim_lock();
  SimServer *s = &g_servers[server];
  int64_t now = sim_now_ms();
  compact_sessions_locked(s, now);
  size_t n = 0, chars = 0;
  for (size_t i = 0; i < s->sessionCount; i++) if (session_alive(&s->sessions[i], now)) { n++; chars += wlen(s->sessions[i].winStation) + 1; }
  size_t arrayBytes = n * sizeof(WTS_SESSION_INFOW);
  arrayBytes = (arrayBytes + 7) & ~(size_t)7;
  WTS_SESSION_INFOW *arr = (WTS_SESSION_INFOW *)sim_alloc(arrayBytes + chars * sizeof(WCHAR) + sizeof(WCHAR), ALLOC_FREE_MEMORY, n);
  if (!arr) { sim_unlock(); FAIL(8); }
  WCHAR *cursor = (WCHAR *)((char *)arr + arrayBytes);
  for (size_t i = 0, k = 0; i < s->sessionCount; i++) {
    if (!session_alive(&s->sessions[i], now)) continue;
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
  int server = -1;
  if (!pLevel || *pLevel != 1 || Filter != 0 || !ppSessionInfo || !pCount) {
    count_call(FN_ENUMERATE_EX);
    FAIL(SIM_ERROR_INVALID_PARAMETER);
  }
  sim_lock(); DWORD failure = g_exFailure; sim_unlock();
  if (failure) { count_call(FN_ENUMERATE_EX); FAIL(failure); }
  DWORD err = sim_enter(FN_ENUMERATE_EX, hServer, &server);
  if (err) FAIL(err);
  sim_lock();
  SimServer *s = &g_servers[server];
  int64_t now = sim_now_ms();
  compact_sessions_locked(s, now);
  size_t n = 0, chars = wlen(s->farmName) + 1;
  for (size_t i = 0; i < s->sessionCount; i++) {
    if (!session_alive(&s->sessions[i], now)) continue;
    n++;
    chars += wlen(s->sessions[i].winStation) + wlen(s->sessions[i].user) + wlen(s->sessions[i].domain) + 3 + wlen(s->farmName) + 1;
  }
  size_t arrayBytes = n * sizeof(WTS_SESSION_INFO_1W);
  WTS_SESSION_INFO_1W *arr = (WTS_SESSION_INFO_1W *)sim_alloc(arrayBytes + chars * sizeof(WCHAR) + sizeof(WCHAR), ALLOC_FREE_MEMORY_EX_SESSION1, n);
  if (!arr) { sim_unlock(); FAIL(8); }
  WCHAR *cursor = (WCHAR *)((char *)arr + arrayBytes);
  for (size_t j = 0, i = 0; j < s->sessionCount; j++) {
    const SimSession *ss = &s->sessions[j];
    if (!session_alive(ss, now)) continue;
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
  return return_buffer(s, (wlen(s) + 1) * sizeof(WCHAR), ppBuffer, pBytesReturned);
}

SIM_EXPORT BOOL WINAPI WTSQuerySessionInformationW(HANDLE hServer, DWORD SessionId, int WTSInfoClass,
                                                   LPWSTR *ppBuffer, DWORD *pBytesReturned) {
  int server = -1;
  if (!ppBuffer || !pBytesReturned) { count_call(FN_QUERY); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  DWORD err = sim_enter(FN_QUERY, hServer, &server);
  if (err) FAIL(err);
  if (WTSInfoClass < 0 || WTSInfoClass > WTSSessionActivityId) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (WTSInfoClass >= WTSIdleTime && WTSInfoClass <= WTSOutgoingFrames) FAIL(SIM_ERROR_NOT_SUPPORTED);
  sim_lock();
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


static void record_action_locked(int fn, int server, const SimSession *ss) {
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
  g_actionTotal++;
}

/* A user logging off by themselves: 4647 then 4634 with the same Logon ID (when Audit Logoff is on), and the session ends. */
static void user_logoff_locked(int server, SimSession *ss) {
  int64_t now = sim_now_ms();
  if (ss->user[0] && g_servers[server].auditLogoff) {
    SimEventRecord ev; memset(&ev, 0, sizeof ev);
    sim_wcopy(ev.userSid, 64, ss->userSid);
    sim_wcopy(ev.userName, 64, ss->user);
    sim_wcopy(ev.domain, 64, ss->domain);
    ev.logonId = ss->logonId;
    ev.eventId = 4647;
    ev.timeCreated = now * 10000ll + FILETIME_UNIX_EPOCH;
    sim_append_event_locked(server, &ev);
    ev.eventId = 4634;
    ev.logonType = ss->logonType;
    sim_append_event_locked(server, &ev);
  }
  ss->goneAtMs = now > 1 ? now : 2;
  note_freed_locked(&g_servers[server], ss->id, ss->goneAtMs);
}

/*
 * A logon time no earlier than now and at least 1 ms after every earlier logon on the server:
 * a real logon takes seconds, and the console compares logon times to the millisecond.
 */
static int64_t next_logon_time_locked(SimServer *srv) {
  int64_t t = sim_now_filetime();
  if (t < srv->lastLogonTime + 10000) t = srv->lastLogonTime + 10000;
  srv->lastLogonTime = t;
  return t;
}

/* Appends a copy of `session` to the server; returns it, or NULL when memory ran out. */
static SimSession *add_session_locked(SimServer *s, const SimSession *session) {
  if (s->sessionCount == s->sessionCap) {
    size_t cap = s->sessionCap ? s->sessionCap * 2 : 16;
    SimSession *grown = (SimSession *)realloc(s->sessions, cap * sizeof(SimSession));
    if (!grown) return NULL;
    s->sessions = grown; s->sessionCap = cap;
  }
  SimSession *ss = &s->sessions[s->sessionCount++];
  *ss = *session;
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
static SimSession *replace_session_locked(int server, SimSession *old, LPCWSTR user, LPCWSTR domain, LPCWSTR sid, uint64_t logonId) {
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
  return add_session_locked(srv, &next);
}

/* Held by a session, or by a logon into it that has not completed yet. */
static int id_in_use_locked(SimServer *srv, DWORD id) {
  int64_t now = sim_now_ms();
  for (size_t i = 0; i < srv->sessionCount; i++) if (srv->sessions[i].id == id && !session_ended(&srv->sessions[i], now)) return 1;
  return 0;
}

/* Finds the session with this id only if it is still the logon identified by logonTime. */
static SimSession *find_logon_locked(SimServer *srv, DWORD id, int64_t logonTime) {
  SimSession *ss = find_session_locked(srv, id);
  return ss && ss->logonTime == logonTime ? ss : NULL;
}

static int64_t message_wait_ms(int64_t seconds) { return seconds * g_messageTimeoutPermille; }

static int not_actionable(const SimSession *ss) { return ss->id == 0 || ss->state == WTSListen; }

SIM_EXPORT BOOL WINAPI WTSLogoffSession(HANDLE hServer, DWORD SessionId, BOOL bWait) {
  int server = -1;
  DWORD err = sim_enter(FN_LOGOFF, hServer, &server);
  if (err) FAIL(err);
  sim_lock();
  SimServer *srv = &g_servers[server];
  SimSession *ss = target_session_locked(srv, SessionId);
  if (!ss) { sim_unlock(); FAIL(SIM_ERROR_CTX_WINSTATION_NOT_FOUND); }
  if (not_actionable(ss)) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
  record_action_locked(FN_LOGOFF, server, ss);
  int64_t delay = srv->logoffDelayMs;
  int64_t doneAt = sim_now_ms() + delay;
  ss->goneAtMs = doneAt > 1 ? doneAt : 2;
  note_freed_locked(srv, ss->id, ss->goneAtMs);
  if (ss->user[0] && srv->auditLogoff) {
    /* An administrative logoff leaves 4634 only; 4647 is written when the user logs off. */
    SimEventRecord ev; memset(&ev, 0, sizeof ev);
    ev.eventId = 4634;
    ev.timeCreated = doneAt * 10000ll + FILETIME_UNIX_EPOCH;
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
  int server = -1;
  (void)bWait;
  DWORD err = sim_enter(FN_DISCONNECT, hServer, &server);
  if (err) FAIL(err);
  sim_lock();
  SimSession *ss = target_session_locked(&g_servers[server], SessionId);
  if (!ss) { sim_unlock(); FAIL(SIM_ERROR_CTX_WINSTATION_NOT_FOUND); }
  if (not_actionable(ss)) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
  record_action_locked(FN_DISCONNECT, server, ss);
  if (ss->state != WTSDisconnected) {
    ss->state = WTSDisconnected;
    ss->disconnectTime = sim_now_filetime();
  }
  sim_unlock();
  return TRUE;
}

SIM_EXPORT BOOL WINAPI WTSSendMessageW(HANDLE hServer, DWORD SessionId, LPWSTR pTitle, DWORD TitleLength,
                                       LPWSTR pMessage, DWORD MessageLength, DWORD Style, DWORD Timeout,
                                       DWORD *pResponse, BOOL bWait) {
  int server = -1;
  (void)Style;
  if (!pTitle || !pMessage || !pResponse || TitleLength % sizeof(WCHAR) || MessageLength % sizeof(WCHAR)) {
    count_call(FN_SEND_MESSAGE);
    FAIL(SIM_ERROR_INVALID_PARAMETER);
  }
  DWORD err = sim_enter(FN_SEND_MESSAGE, hServer, &server);
  if (err) FAIL(err);
  sim_lock();
  SimServer *srv = &g_servers[server];
  SimSession *ss = target_session_locked(srv, SessionId);
  if (!ss) { sim_unlock(); FAIL(SIM_ERROR_CTX_WINSTATION_NOT_FOUND); }
  if (not_actionable(ss)) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
  record_action_locked(FN_SEND_MESSAGE, server, ss);
  /* The lengths are in bytes: the user sees exactly that many bytes of text, no more. */
  size_t titleChars = TitleLength / sizeof(WCHAR), messageChars = MessageLength / sizeof(WCHAR);
  if (titleChars > wlen(pTitle)) titleChars = wlen(pTitle);
  if (messageChars > wlen(pMessage)) messageChars = wlen(pMessage);
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
  int64_t timeoutMs = Timeout > 0 ? message_wait_ms(Timeout) : hangMs;
  int answered = (answer == IDOK || answer == IDCANCEL) && answerDelay <= timeoutMs;
  int64_t waitMs = answered ? answerDelay : timeoutMs;
  if (replaceAfter >= 0 && replaceAfter <= waitMs) {
    /* The user leaves while the box is up and someone else logs on into the same session id. */
    sim_sleep_ms(replaceAfter);
    sim_lock();
    SimSession *still = find_logon_locked(&g_servers[server], sessionId, logonTime);
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

/* ---- Simulator control (not part of wtsapi32) ------------------------------------------- */

SIM_EXPORT void WtsSimReset(void) {
  sim_lock();
  for (size_t i = 0; i < g_serverCount; i++) { free(g_servers[i].sessions); free(g_servers[i].sessionIndex); free(g_servers[i].events); }
  free(g_servers);
  g_servers = NULL; g_serverCount = g_serverCap = 0;
  memset(g_calls, 0, sizeof g_calls);
  free(g_actionLog); g_actionLog = NULL; g_actionTotal = 0;
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
  s->nextRecordId = 1;
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
SIM_EXPORT int WtsSimSetEventFault(LPCWSTR server, int fault, int64_t durationMs) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  g_servers[i].eventFault = fault;
  g_servers[i].eventFaultUntilMs = fault && durationMs > 0 ? sim_now_ms() + durationMs : 0;
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
    n = (int)wlen(out);
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
  int done = ss != NULL && ss->user[0] && !not_actionable(ss);
  if (done) {
    int64_t now = sim_now_filetime();
    if (disconnected && ss->state != WTSDisconnected) { ss->state = WTSDisconnected; ss->disconnectTime = now; }
    if (!disconnected && ss->state == WTSDisconnected) { ss->state = WTSActive; ss->connectTime = now; ss->lastInputTime = now; }
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
SIM_EXPORT int WtsSimActionAt(int64_t index, DWORD *fn, DWORD *sessionId, WCHAR *server, WCHAR *user, WCHAR *domain, int64_t *logonTime, uint64_t *logonId) {
  sim_lock();
  if (!g_actionLog || index < 0 || (uint64_t)index >= g_actionTotal || g_actionTotal - (uint64_t)index > ACTION_LOG_CAP) { sim_unlock(); return 0; }
  const SimActionEntry *e = &g_actionLog[(uint64_t)index % ACTION_LOG_CAP];
  *fn = e->fn == FN_LOGOFF ? 0 : e->fn == FN_DISCONNECT ? 1 : 2;
  *sessionId = e->sessionId;
  sim_wcopy(server, 256, e->server);
  sim_wcopy(user, USERNAME_LENGTH + 1, e->user);
  sim_wcopy(domain, DOMAIN_LENGTH + 1, e->domain);
  *logonTime = e->logonTime;
  *logonId = e->logonId;
  sim_unlock();
  return 1;
}

/* Appends an arbitrary logoff record (background traffic, seeded history). */
SIM_EXPORT int WtsSimAppendEvent(LPCWSTR server, DWORD eventId, int64_t timeCreated, LPCWSTR userSid, LPCWSTR user,
                                 LPCWSTR domain, uint64_t logonId, DWORD logonType) {
  sim_lock();
  int i = sim_find_server_locked(server);
  if (i < 0) { sim_unlock(); return 0; }
  SimEventRecord ev; memset(&ev, 0, sizeof ev);
  ev.eventId = eventId; ev.timeCreated = timeCreated;
  sim_wcopy(ev.userSid, 64, userSid); sim_wcopy(ev.userName, 64, user); sim_wcopy(ev.domain, 64, domain);
  ev.logonId = logonId; ev.logonType = logonType;
  sim_append_event_locked(i, &ev);
  sim_unlock();
  return 1;
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
    for (size_t k = 0; k < g_servers[i].sessionCount; k++) n += session_alive(&g_servers[i].sessions[k], now);
  }
  sim_unlock();
  return n;
}

/*
 * The compiler's own layout of the public structs, for a test that checks the binding's
 * offset arithmetic. structId: 0 WTS_SESSION_INFOW, 1 WTS_SESSION_INFO_1W, 2 WTSINFOW,
 * 3 WTS_CLIENT_ADDRESS, 4 WtsSimSessionSpec (wtssim-control.h). field -1 gives sizeof; fields count in declaration order.
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
        OFF(WtsSimSessionSpec, LogonType), OFF(WtsSimSessionSpec, VanishBeforeAction), OFF(WtsSimSessionSpec, LogonTime),
        OFF(WtsSimSessionSpec, ConnectTime), OFF(WtsSimSessionSpec, DisconnectTime), OFF(WtsSimSessionSpec, LastInputTime),
        OFF(WtsSimSessionSpec, LogonId), OFF(WtsSimSessionSpec, Address), OFF(WtsSimSessionSpec, WinStation),
        OFF(WtsSimSessionSpec, User), OFF(WtsSimSessionSpec, Domain), OFF(WtsSimSessionSpec, UserSid), OFF(WtsSimSessionSpec, ClientName) };
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
