/*
 * The farm model shared by the simulator's wtsapi32 exports (wtsapi32.c) and its control API
 * (control.c): servers, sessions, the action log, call counters and the helpers that change them.
 * Internal to the library; nothing here is a Windows declaration.
 */
#ifndef WTSSIM_FARM_H
#define WTSSIM_FARM_H

#include "wtssim.h"

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
  DWORD clientBuild, hres, vres, colorDepth, encryptionLevel;
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
  /* The session's processes (processes.c): ids 4 * (pidBase + slot); a set bit is a slot ended by WTSTerminateProcess. */
  DWORD pidBase;
  uint32_t endedProcesses;
} SimSession;

#define MAX_ALIASES 4
/* One log of a server: a ring of its newest records (g_maxEventsPerServer), ids running from 1. */
typedef struct {
  SimEventRecord *records;
  size_t start, count, cap;
  uint64_t nextRecordId;
} SimLog;

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
  int64_t eventFaultShots;   /* a fault that fires this many more times, then clears; 0: until changed */
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
  SimLog logs[SIM_LOG_KINDS];
  /* Windows Event Forwarding: the server whose ForwardedEvents log receives this one's Security records (-1: none), after forwardDelayMs. */
  int collector;
  int64_t forwardDelayMs;
  uint64_t eventGeneration; /* bumped on every append to any of its logs, so waiting readers can tell */
  /* The account this server answers (set: it answers no other; see sim_connect). */
  SimIdentity required;
  DWORD nextPidBase; /* each new session's processes take the next 32 process ids, as new processes take fresh ids */
} SimServer;

extern SimServer *g_servers;
extern size_t g_serverCount, g_serverCap;
extern int64_t g_unknownHostDelayMs;
extern size_t g_maxEventsPerServer;
extern uint64_t g_hangGeneration;
extern uint64_t g_farmGeneration;
extern uint64_t g_logGeneration;

/*
 * Every WTSLogoffSession, WTSDisconnectSession, WTSSendMessageW and WTSTerminateProcess that reached a session, with
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
  DWORD processId; /* WTSTerminateProcess's process; 0 for the others */
} SimActionEntry;
#define ACTION_LOG_CAP 65536
extern SimActionEntry *g_actionLog;
extern uint64_t g_actionTotal;

/*
 * How long a logon takes, at the least, from the moment a session id is freed to the moment a new
 * user holds it: authentication, profile and shell. A Windows logon takes seconds; the point is
 * that it takes far longer than one WTS call, so no new user can take an id between two calls.
 */
extern int64_t g_logonDurationMs;

/* Nonzero: WTSOpenServerExW and WTSEnumerateSessionsExW exist but fail with this code (a stub, or an older server). */
extern DWORD g_exFailure;

/* 1000: a message box's Timeout lasts Timeout seconds; tests that model many waits shorten it. */
extern int64_t g_messageTimeoutPermille;

enum SimFn {
  FN_OPEN_SERVER, FN_OPEN_SERVER_EX, FN_CLOSE_SERVER, FN_ENUMERATE, FN_ENUMERATE_EX, FN_QUERY,
  FN_LOGOFF, FN_DISCONNECT, FN_SEND_MESSAGE, FN_FREE, FN_FREE_EX, FN_ENUMERATE_PROCESSES_EX,
  FN_TERMINATE_PROCESS, FN_COUNT
};
extern const char *const g_fnNames[FN_COUNT];
extern uint64_t g_calls[FN_COUNT];
extern volatile int64_t g_outstandingAllocs;
#ifdef _WIN32
#define ATOMIC_ADD(p, v) InterlockedExchangeAdd64((volatile LONG64 *)(p), (v))
#else
#define ATOMIC_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#endif
extern int64_t g_badFrees;
extern int64_t g_openHandles;
extern int64_t g_badCloses;

/* Allocations handed to callers carry a header so frees can be checked and counted. */
#define ALLOC_MAGIC 0x57545341u /* "WTSA" */
enum { ALLOC_FREE_MEMORY = 1, ALLOC_FREE_MEMORY_EX_SESSION1 = 2, ALLOC_FREE_MEMORY_EX_PROCESS1 = 3, ALLOC_CRED_FREE = 4 };
typedef struct { uint32_t magic; uint32_t kind; uint64_t entries; } AllocHeader;

#define HANDLE_MAGIC 0x48535457u /* "WTSH" */
typedef struct { uint32_t magic; WCHAR name[256]; } SimHandle;

#define FAIL(code) do { sim_set_last_error(code); return FALSE; } while (0)

void sim_hang_wake_all(void);
#ifndef _WIN32
/* Off Windows: wait (lock held) up to `ms` for a log to grow; and wake every such waiter. */
void sim_log_wait_locked(int64_t ms);
void sim_log_wake_all_locked(void);
#endif
extern volatile int64_t g_clockOffsetMs;

size_t sim_wlen(LPCWSTR s);
void background_event(SimServer *s, int64_t atMs, SimEventRecord *ev);
void *sim_alloc(size_t size, uint32_t kind, uint64_t entries);
DWORD sim_free(void *p, uint32_t kind, uint64_t entries, int checkEntries);
int sim_session_ended(const SimSession *s, int64_t nowMs);
int sim_session_alive(const SimSession *s, int64_t nowMs);
void note_freed_locked(SimServer *srv, DWORD id, int64_t atMs);
int64_t freed_at_locked(const SimServer *srv, DWORD id);
void compact_sessions_locked(SimServer *srv, int64_t nowMs);
SimSession *find_session_locked(SimServer *srv, DWORD id);
DWORD sim_enter(int fn, HANDLE h, SimServerRef *serverOut);
void sim_count_call(int fn);
SimSession *target_session_locked(SimServer *srv, DWORD id);
void record_action_locked(int fn, int server, const SimSession *ss);
void user_logoff_locked(int server, SimSession *ss);
/* Logs a 4624, 4778 or 4779 of the session at `filetime`, with its client (when Audit Logon is on, as it is by default). */
void session_event_locked(int server, const SimSession *ss, DWORD eventId, int64_t filetime);
/* Logs a session's 21, 23, 24 or 25 in the server's LocalSessionManager Operational log. */
void lsm_event_locked(int server, const SimSession *ss, DWORD eventId, int64_t filetime);
int64_t next_logon_time_locked(SimServer *srv);
SimSession *add_session_locked(SimServer *s, const SimSession *session);
SimSession *replace_session_locked(int server, SimSession *old, LPCWSTR user, LPCWSTR domain, LPCWSTR sid, uint64_t logonId);
int id_in_use_locked(SimServer *srv, DWORD id);
SimSession *find_logon_locked(SimServer *srv, DWORD id, int64_t logonTime);
int64_t sim_message_wait_ms(int64_t seconds);
int sim_not_actionable(const SimSession *ss);
/* SIDs between their text ("S-1-5-18") and binary forms (accounts.c); at most SIM_SID_MAX bytes. */
#define SIM_SID_MAX 68
size_t sim_sid_from_text(LPCWSTR text, BYTE *out);
int sim_sid_to_text(const BYTE *sid, WCHAR *out, size_t cap);

#endif
