/*
 * Shared declarations of the WTS/Event Log simulator.
 *
 * The simulator exports the same wtsapi32 (and wevtapi) functions as Windows, with the same
 * parameter lists and the same C struct declarations. WCHAR is the platform's wchar_t, exactly
 * as on Windows; on Linux that makes it 4 bytes, which is also what ffi-rs's WString passes
 * there. Struct layouts therefore follow the same C rules on both platforms, with WCHAR arrays
 * sized by sizeof(wchar_t); the TypeScript binding computes its offsets the same way and a test
 * compares them against this compiler's offsetof().
 */
#ifndef WTSSIM_H
#define WTSSIM_H

#include "wtssim-control.h"

#include "wtssim-sdk.h"

#ifdef _WIN32
#define SIM_EXPORT __declspec(dllexport)
#else
#define SIM_EXPORT __attribute__((visibility("default")))
#endif

/* Windows error codes the simulator raises (winerror.h values). */
#define SIM_ERROR_FILE_NOT_FOUND 2u
#define SIM_ERROR_ACCESS_DENIED 5u
#define SIM_ERROR_INVALID_HANDLE 6u
#define SIM_ERROR_NOT_SUPPORTED 50u
#define SIM_ERROR_INVALID_PARAMETER 87u
#define SIM_ERROR_INSUFFICIENT_BUFFER 122u
#define SIM_ERROR_NO_MORE_ITEMS 259u
#define SIM_ERROR_INVALID_FLAGS 1004u
#define SIM_ERROR_NOT_FOUND 1168u
#define SIM_ERROR_LOGON_FAILURE 1326u
#define SIM_ERROR_TIMEOUT 1460u
#define SIM_RPC_S_SERVER_UNAVAILABLE 1722u
#define SIM_RPC_S_CALL_FAILED 1726u
#define SIM_ERROR_CTX_WINSTATION_NOT_FOUND 7022u
#define SIM_ERROR_EVT_CHANNEL_NOT_FOUND 15007u
#define SIM_ERROR_EVT_QUERY_RESULT_STALE 15011u
#define SIM_RPC_S_INVALID_BOUND 1734u

/* Per-server faults, set from the farm file or from tests. */
enum SimFault {
  SIM_FAULT_NONE = 0,
  SIM_FAULT_UNREACHABLE = 1,   /* RPC server unavailable (1722) after faultDelayMs */
  SIM_FAULT_ACCESS_DENIED = 2, /* 5 on every call */
  SIM_FAULT_HANG = 3,          /* the call blocks for hangMs (or until released), then 1726 */
  SIM_FAULT_RPC_FAILED = 4     /* 1726 on every call */
};

/* Event-log faults, independent from the WTS ones (a server can answer WTS but deny its Security log). */
enum SimEventFault {
  SIM_EVT_FAULT_NONE = 0,
  SIM_EVT_FAULT_ACCESS_DENIED = 1,
  SIM_EVT_FAULT_CHANNEL_NOT_FOUND = 2,
  SIM_EVT_FAULT_DROP = 3, /* live stream fails with 1726 until the fault is cleared */
  /* The ways readers of live subscriptions were seen to fail on Windows, each on a subscription's EvtNext: */
  SIM_EVT_FAULT_STALE = 4,         /* 15011: the result set is stale; that handle answers 15011 until closed */
  SIM_EVT_FAULT_INVALID_BOUND = 5, /* 1734 for a batch of more than 8 (large events), the position moved past them anyway */
  SIM_EVT_FAULT_INVALID_PARAMETER = 6 /* 87 under heavy load; the position stays */
};
/* A batch larger than this fails under SIM_EVT_FAULT_INVALID_BOUND. */
#define SIM_INVALID_BOUND_MAX_BATCH 8u

typedef struct SimEventRecord {
  uint64_t recordId;
  DWORD eventId;   /* 4624 logon, 4634 and 4647 logoff, 4778 reconnect, 4779 disconnect */
  int64_t timeCreated; /* FILETIME, UTC */
  WCHAR userSid[64];
  WCHAR userName[64];
  WCHAR domain[64];
  uint64_t logonId;
  DWORD logonType; /* 4624 and 4634; 0 for the others */
  /* 4624: WorkstationName and IpAddress; 4778/4779: SessionName, ClientName and ClientAddress. */
  WCHAR sessionName[33];
  WCHAR clientName[33];
  WCHAR clientAddress[64];
  DWORD sessionId; /* the LocalSessionManager log's records: SessionID (User is domain\\userName, Address clientAddress) */
  /* ForwardedEvents records: the server that logged the event, its record id there, and when it reached the collector. */
  int sourceServer; /* -1: logged here */
  uint64_t sourceRecordId;
  int64_t deliveredAt; /* FILETIME; 0: when it was logged */
} SimEventRecord;

/* The logs each server keeps: its Security log and its TerminalServices-LocalSessionManager Operational log. */
enum SimLogKind { SIM_LOG_SECURITY = 0, SIM_LOG_LSM = 1, SIM_LOG_FORWARDED = 2, SIM_LOG_KINDS = 3 };
#define SIM_LSM_CHANNEL L"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"

/*
 * One record of this computer's Application log, as ReportEventW writes it: the source, the
 * event id and type, and its insertion strings (stringCount NUL-terminated strings, one after
 * another, owned by the log).
 */
typedef struct SimAppRecord {
  uint64_t recordId;
  DWORD eventId;
  WORD eventType;
  WORD category;
  int64_t timeCreated; /* FILETIME, UTC */
  WCHAR provider[256];
  WORD stringCount;
  WCHAR *strings;
  size_t stringChars; /* every string with its NUL */
} SimAppRecord;

/*
 * An exported .evtx file's records that a query keeps (evtx-file.c), in the file's order, each with
 * its XML as EvtRender gives it. `keep` sees a record's event id and time before it is rendered.
 */
typedef struct SimFileEvent { uint64_t recordId; DWORD eventId; int64_t timeCreated; WCHAR *xml; size_t xmlChars; } SimFileEvent;
typedef struct SimFileLog { SimFileEvent *events; size_t count; } SimFileLog;
typedef int (*SimFileKeep)(const void *context, DWORD eventId, int64_t timeCreated);
/* 0, or the Windows error: 2 no such file, 5 denied, 1500 not an event log, 50 built without libevtx. */
DWORD sim_evtx_read(LPCWSTR path, SimFileKeep keep, const void *context, SimFileLog *out);
void sim_evtx_free(SimFileLog *log);
int sim_evtx_supported(void);

/* winevt.h's EVT_VARIANT, as EvtGetLogInfo fills it: 8 bytes of value, then Count and Type (16 bytes). */
typedef struct _EVT_VARIANT {
  union { uint64_t UInt64Val; uint32_t UInt32Val; int32_t BooleanVal; const WCHAR *StringVal; };
  DWORD Count;
  DWORD Type;
} EVT_VARIANT;
enum { EvtVarTypeNull = 0, EvtVarTypeUInt64 = 10 };

/* The Application log (advapi32.c); wevtapi.c reads it back. */
size_t sim_app_count_locked(void);
const SimAppRecord *sim_app_at_locked(size_t index);
void sim_app_reset_locked(void);
void sim_app_set_report_failure_locked(DWORD code);

#ifndef _WIN32
/* The simulator's own kernel32 event objects (wevtapi.c); on Windows they are kernel32's. */
HANDLE WINAPI CreateEventW(PVOID attributes, BOOL manualReset, BOOL initialState, LPCWSTR name);
BOOL WINAPI CloseHandle(HANDLE hObject);
#endif

/* Internal helpers shared by the WTS and Event Log halves of the simulator. */
void sim_lock(void);
void sim_unlock(void);
void sim_sleep_ms(int64_t ms);
int64_t sim_now_ms(void);
int64_t sim_now_filetime(void);
void sim_set_last_error(DWORD code);
/* A FILETIME (100 ns since 1601, UTC) from milliseconds since 1970, and back. */
#define SIM_FILETIME_UNIX_EPOCH 116444736000000000ll
static inline int64_t sim_filetime_from_ms(int64_t ms) { return ms * 10000ll + SIM_FILETIME_UNIX_EPOCH; }
int sim_find_server_locked(LPCWSTR name);
const WCHAR *sim_server_name_locked(int server);
const WCHAR *sim_server_computer_locked(int server);
/*
 * A server reached by sim_connect. Its index holds only while the farm it was found in is loaded:
 * the control API may replace the farm while a call sleeps on its round trip, so a call re-checks
 * the reference each time it takes the lock (sim_server_locked), as a real call fails when its
 * server goes away under it.
 */
typedef struct { int index; uint64_t farm; } SimServerRef;
/*
 * An account a call reaches a server as: a thread's, impersonated from a LogonUserW token
 * (logon.c), or an EVT_RPC_LOGIN's. The characters fit any account name, domain and password the
 * console passes (UNLEN and PWLEN are 256).
 */
#define SIM_IDENTITY_CHARS 257
typedef struct { int set; WCHAR user[SIM_IDENTITY_CHARS]; WCHAR domain[SIM_IDENTITY_CHARS]; WCHAR password[SIM_IDENTITY_CHARS]; } SimIdentity;
/* The identity the calling thread impersonates, or NULL while it acts as the process itself. */
const SimIdentity *sim_thread_identity(void);
/* Forgets every token and stored credential of this computer (the control API's reset). */
void sim_logon_reset_locked(void);
void sim_credentials_reset_locked(void);
/*
 * Reaches a server as `login` when it names a user (EvtOpenSession's), else as the thread's
 * identity. A server that requires an account answers anyone else with ERROR_ACCESS_DENIED, and
 * that account with another password with ERROR_LOGON_FAILURE.
 */
DWORD sim_connect(LPCWSTR name, const SimIdentity *login, SimServerRef *serverOut);
/* The server's index, or -1 when the farm was replaced since it was reached. */
int sim_server_locked(SimServerRef ref);
int sim_local_server_locked(void);
DWORD sim_event_fault_locked(int server);
/* The server's event fault has fired once: a fault set for a number of shots clears itself after the last. */
void sim_event_fault_fired_locked(int server);
int64_t sim_event_latency_locked(int server);
void sim_append_event_locked(int server, const SimEventRecord *record);
/* The Event Log half's hook: a server's log grew (signals its subscriptions on Windows). */
void sim_log_grew_locked(int server);
size_t sim_server_count_locked(void);
/* A server's log was cleared: every subscription on it answers 15011 (stale) until closed. */
void sim_log_cleared_locked(int server, int log);
size_t sim_event_count_locked(int server);
const SimEventRecord *sim_event_at_locked(int server, size_t index);
/* The same for any of a server's logs (SimLogKind); record ids run per log. */
void sim_log_append_locked(int server, int log, const SimEventRecord *record);
size_t sim_log_count_locked(int server, int log);
const SimEventRecord *sim_log_at_locked(int server, int log, size_t index);
uint64_t sim_event_generation_locked(int server);
uint64_t sim_log_generation_locked(void);
void sim_generate_background_locked(int server);
void sim_generate_all_background_locked(void);

/* String helpers both halves use: a bounded copy that always terminates, and ASCII-case-insensitive equality (as server names compare). */
static inline void sim_wcopy(WCHAR *dst, size_t cap, LPCWSTR src) {
  size_t i = 0;
  if (src) for (; src[i] && i + 1 < cap; i++) dst[i] = src[i];
  dst[i] = 0;
}
static inline WCHAR sim_wlower(WCHAR c) { return (c >= L'A' && c <= L'Z') ? (WCHAR)(c - L'A' + L'a') : c; }
static inline int sim_wequal_ci(LPCWSTR a, LPCWSTR b) {
  for (; *a && *b; a++, b++) if (sim_wlower(*a) != sim_wlower(*b)) return 0;
  return *a == *b;
}

#endif
