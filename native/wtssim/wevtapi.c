/*
 * wevtapi.c: the wevtapi half of the simulator, over each simulated server's Security log, plus the
 * few kernel32 event-object functions a pull subscription needs (off Windows there is no kernel32;
 * on Windows the binding takes those from kernel32.dll and this part is not built). On Windows a
 * subscription's SignalEvent is therefore a real kernel32 event: the simulator keeps a duplicate
 * of it and sets it whenever the subscribed log grows, as the Event Log service does.
 *
 * Supported, as the console uses them: EvtOpenSession(EvtRpcLogin), EvtQuery and EvtSubscribe on
 * the Security channel with an XPath of EventID comparisons joined by "or", optionally with
 * "TimeCreated[timediff(@SystemTime) <= N]", or one "EventRecordID=N"; EvtNext; EvtRender as XML, as
 * bookmark XML, or as the values of a render context's XPaths (EvtCreateRenderContext with
 * EvtRenderContextValues: each event's System fields, EventData's named Data and UserData's
 * fields, with the types Windows' manifests give them); bookmarks; EvtClose. EvtQuery with EvtQueryFilePath reads an exported .evtx file on this computer
 * (evtx-file.c). Anything else fails the way Windows fails it (15001 invalid query, 15007 no channel).
 */
#include "wtssim.h"
#include "wtssim-farm.h" /* sim_sid_from_text, sim_wlen */

#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define SIM_ERROR_EVT_INVALID_QUERY 15001u

typedef HANDLE EVT_HANDLE;

enum { EvtRpcLogin = 1 };
enum { EvtQueryChannelPath = 0x1, EvtQueryFilePath = 0x2, EvtQueryForwardDirection = 0x100, EvtQueryReverseDirection = 0x200, EvtQueryTolerateQueryErrors = 0x1000 };
enum { EvtSubscribeToFutureEvents = 1, EvtSubscribeStartAtOldestRecord = 2, EvtSubscribeStartAfterBookmark = 3,
       EvtSubscribeTolerateQueryErrors = 0x1000, EvtSubscribeStrict = 0x10000 };
enum { EvtRenderEventValues = 0, EvtRenderEventXml = 1, EvtRenderBookmark = 2 };
enum { EvtRenderContextValues = 0, EvtRenderContextSystem = 1, EvtRenderContextUser = 2 };
/* winevt.h's EVT_VARIANT_TYPE values the simulator renders (EvtVarTypeNull and UInt64 are in wtssim.h). */
enum { EvtVarTypeString = 1, EvtVarTypeUInt16 = 6, EvtVarTypeUInt32 = 8, EvtVarTypeGuid = 15, EvtVarTypeSizeT = 16,
       EvtVarTypeFileTime = 17, EvtVarTypeSid = 19, EvtVarTypeHexInt64 = 21 };

typedef struct _EVT_RPC_LOGIN {
  LPWSTR Server;
  LPWSTR User;
  LPWSTR Domain;
  LPWSTR Password;
  DWORD Flags;
} EVT_RPC_LOGIN;

#define MAX_EVENT_IDS 16
typedef struct {
  DWORD ids[MAX_EVENT_IDS];
  int idCount;      /* 0: any event id */
  int64_t maxAgeMs; /* 0: any age */
  WCHAR provider[128]; /* empty: any provider */
  uint64_t recordId; /* 0: any record; else the one whose EventRecordID this is */
} SimFilter;

/* Where a render context's XPath points in an event; VALUE_NONE: nowhere the simulator writes (its value is Null). */
enum { VALUE_NONE, VALUE_EVENT_ID, VALUE_RECORD_ID, VALUE_TIME_CREATED, VALUE_COMPUTER, VALUE_CHANNEL, VALUE_PROVIDER, VALUE_DATA, VALUE_USER_DATA };
typedef struct SimValuePath {
  int where;
  WCHAR name[64]; /* VALUE_DATA: the Data element's Name; VALUE_USER_DATA: the field's element */
} SimValuePath;

/*
 * The logs simulated: each server's Security log, this computer's Application log (advapi32.c
 * writes it), and an exported .evtx file a query opened (its records owned by the query).
 */
enum { CHANNEL_SECURITY = 0, CHANNEL_APPLICATION = 1, CHANNEL_FILE = 2, CHANNEL_LSM = 3, CHANNEL_FORWARDED = 4 };

/* The server log (SimLogKind) a channel reads. */
static int log_of(int channel) { return channel == CHANNEL_LSM ? SIM_LOG_LSM : channel == CHANNEL_FORWARDED ? SIM_LOG_FORWARDED : SIM_LOG_SECURITY; }
static LPCWSTR channel_name(int channel) {
  return channel == CHANNEL_LSM ? SIM_LSM_CHANNEL : channel == CHANNEL_FORWARDED ? L"ForwardedEvents" : channel == CHANNEL_APPLICATION ? L"Application" : L"Security";
}
/* When a record can be read: a forwarded one once it reached the collector. */
static int64_t visible_at(const SimEventRecord *r) { return r->deliveredAt ? r->deliveredAt : r->timeCreated; }

enum { H_SESSION = 1, H_QUERY, H_SUBSCRIPTION, H_EVENT, H_BOOKMARK, H_SIGNAL, H_LOG, H_RENDER_CONTEXT };
enum { EvtOpenChannelPath = 1, EvtOpenFilePath = 2 };
enum { EvtLogNumberOfLogRecords = 5, EvtLogOldestRecordNumber = 6 };
#define EVT_MAGIC 0x45565448u /* "EVTH" */

typedef struct SimSignal {
  int set;
  uint64_t seenGeneration; /* the log generation when the event was last reset */
} SimSignal;

typedef struct SimEvtHandle {
  uint32_t magic;
  int kind;
  WCHAR server[256];   /* session: the server (empty = this computer) */
  int local;
  /* session: EVT_RPC_LOGIN's account, if it named one; query, subscription: the account they were opened as */
  SimIdentity login;
  /* query / subscription */
  SimFilter filter;
  int reverse;
  uint64_t cursor;     /* forward: last record id handed out; reverse: next must be below it */
  uint64_t *snapshot;  /* query: matching record ids at query time */
  size_t snapshotCount, snapshotNext;
#ifdef _WIN32
  HANDLE signalEvent;  /* subscription: our duplicate of the caller's kernel32 event */
#else
  struct SimEvtHandle *signal;
#endif
  SimServerRef serverRef; /* subscription: the server whose log it follows */
  int strict;          /* subscription: EvtSubscribeStrict, records missed are an error, not skipped */
  DWORD staleError;    /* subscription: once stale, every EvtNext answers this until the handle is closed */
  int channel;         /* query, subscription, log, event, bookmark: CHANNEL_SECURITY, CHANNEL_LSM, CHANNEL_APPLICATION or CHANNEL_FILE */
  SimFileLog file;     /* a file query: the records it matched, in the file's order */
  size_t fileNext;
  WCHAR *xml;          /* a file's event: its XML, owned by this handle */
  struct SimEvtHandle *nextSubscription;
  /* event */
  SimEventRecord record;
  SimAppRecord app;    /* an Application event: a copy, its strings owned by this handle */
  WCHAR computer[256];
  /* bookmark */
  uint64_t bookmarkRecordId;
  int bookmarkSet;
  /* signal */
  SimSignal sig;
  /* render context: its XPaths, in the caller's order */
  SimValuePath *paths;
  DWORD pathCount;
} SimEvtHandle;

static int64_t g_evtOpenHandles;
static SimEvtHandle *g_subscriptions; /* every open subscription, to signal when its log grows */

/* Called with the lock held each time a record is appended to a server's log. */
void sim_log_grew_locked(int server) {
#ifdef _WIN32
  /* One whose farm was replaced may follow this server under a new index: a spare wake is harmless, a missed one is not. */
  for (SimEvtHandle *s = g_subscriptions; s; s = s->nextSubscription)
    if (sim_server_locked(s->serverRef) == server || sim_server_locked(s->serverRef) < 0) SetEvent(s->signalEvent);
#else
  (void)server; /* off Windows a wait compares the log generation itself, woken here */
  sim_log_wake_all_locked();
#endif
}


#define FAIL_WITH(code, value) do { sim_set_last_error(code); return (value); } while (0)

/* For callers that already hold the simulator lock. */
static SimEvtHandle *new_handle_locked(int kind) {
  SimEvtHandle *h = (SimEvtHandle *)calloc(1, sizeof(SimEvtHandle));
  if (!h) return NULL;
  h->magic = EVT_MAGIC;
  h->kind = kind;
  g_evtOpenHandles++;
  return h;
}

static SimEvtHandle *new_handle(int kind) {
  sim_lock();
  SimEvtHandle *h = new_handle_locked(kind);
  sim_unlock();
  return h;
}

static SimEvtHandle *as_handle(EVT_HANDLE h, int kind) {
  SimEvtHandle *e = (SimEvtHandle *)h;
  return (e && e->magic == EVT_MAGIC && (kind == 0 || e->kind == kind)) ? e : NULL;
}

static int wstarts(LPCWSTR s, LPCWSTR prefix) {
  while (*prefix) if (*s++ != *prefix++) return 0;
  return 1;
}


static uint64_t parse_number(LPCWSTR *p) {
  uint64_t n = 0;
  while (**p >= L'0' && **p <= L'9') { n = n * 10 + (uint64_t)(**p - L'0'); (*p)++; }
  return n;
}

static void skip_spaces(LPCWSTR *p) { while (**p == L' ') (*p)++; }

/*
 * "*", or "*[System[(EventID=a or EventID=b) and TimeCreated[timediff(@SystemTime) <= N]]]" and its
 * parts, or "*[System[Provider[@Name='X']]]".
 */
static int parse_query(LPCWSTR q, SimFilter *f) {
  memset(f, 0, sizeof *f);
  if (!q || (q[0] == L'*' && q[1] == 0)) return 1;
  if (!wstarts(q, L"*[System[")) return 0;
  LPCWSTR p = q + 9;
  if (wstarts(p, L"Provider[@Name='")) {
    p += 16;
    size_t n = 0;
    while (*p && *p != L'\'' && n + 1 < 128) f->provider[n++] = *p++;
    f->provider[n] = 0;
    return n > 0 && wstarts(p, L"']]]") && p[4] == 0;
  }
  if (wstarts(p, L"EventRecordID=")) {
    p += 14;
    if (*p < L'1' || *p > L'9') return 0;
    f->recordId = parse_number(&p);
    return wstarts(p, L"]]") && p[2] == 0;
  }
  int parens = 0;
  if (*p == L'(') { parens = 1; p++; }
  while (wstarts(p, L"EventID=")) {
    p += 8;
    if (f->idCount == MAX_EVENT_IDS || *p < L'0' || *p > L'9') return 0;
    f->ids[f->idCount++] = (DWORD)parse_number(&p);
    skip_spaces(&p);
    if (wstarts(p, L"or ")) { p += 3; skip_spaces(&p); continue; }
    break;
  }
  if (parens) { if (*p != L')') return 0; p++; }
  skip_spaces(&p);
  if (wstarts(p, L"and ")) { p += 4; skip_spaces(&p); }
  if (wstarts(p, L"TimeCreated[timediff(@SystemTime) <= ")) {
    p += 37;
    if (*p < L'0' || *p > L'9') return 0;
    f->maxAgeMs = (int64_t)parse_number(&p);
    if (*p != L']') return 0;
    p++;
  }
  if (!wstarts(p, L"]]") || p[2] != 0) return 0;
  return f->idCount > 0 || f->maxAgeMs > 0;
}

static int matches_app(const SimFilter *f, const SimAppRecord *r, int64_t nowFiletime) {
  if (f->recordId && r->recordId != f->recordId) return 0;
  if (f->maxAgeMs > 0 && (nowFiletime - r->timeCreated) / 10000 > f->maxAgeMs) return 0;
  if (f->provider[0] && !sim_wequal_ci(f->provider, r->provider)) return 0;
  if (f->idCount == 0) return 1;
  for (int i = 0; i < f->idCount; i++) if (f->ids[i] == r->eventId) return 1;
  return 0;
}

static LPCWSTR provider_of(int channel) {
  return channel == CHANNEL_LSM ? L"Microsoft-Windows-TerminalServices-LocalSessionManager" : L"Microsoft-Windows-Security-Auditing";
}

static int matches(const SimFilter *f, int channel, const SimEventRecord *r, int64_t nowFiletime) {
  if (f->provider[0] && !sim_wequal_ci(f->provider, provider_of(channel))) return 0;
  if (visible_at(r) > nowFiletime) return 0; /* not happened yet (a logoff still completing), or not yet forwarded */
  /* A forwarded event's EventRecordID is its source's. */
  if (f->recordId && (channel == CHANNEL_FORWARDED ? r->sourceRecordId : r->recordId) != f->recordId) return 0;
  if (f->maxAgeMs > 0 && (nowFiletime - r->timeCreated) / 10000 > f->maxAgeMs) return 0;
  if (f->idCount == 0) return 1;
  for (int i = 0; i < f->idCount; i++) if (f->ids[i] == r->eventId) return 1;
  return 0;
}

/* Connect to the session's server and check the log; returns 0 or the error. */
static DWORD open_log(const SimEvtHandle *session, LPCWSTR channel, SimServerRef *serverOut, int *channelOut) {
  int application = channel && sim_wequal_ci(channel, L"Application");
  int lsm = channel && sim_wequal_ci(channel, SIM_LSM_CHANNEL);
  int forwarded = channel && sim_wequal_ci(channel, L"ForwardedEvents");
  if (!channel || (!application && !lsm && !forwarded && !sim_wequal_ci(channel, L"Security"))) return SIM_ERROR_EVT_CHANNEL_NOT_FOUND;
  *channelOut = application ? CHANNEL_APPLICATION : lsm ? CHANNEL_LSM : forwarded ? CHANNEL_FORWARDED : CHANNEL_SECURITY;
  DWORD err = sim_connect(session->local ? NULL : session->server, &session->login, serverOut);
  if (err) return err;
  /* The server's event logs (Security, LocalSessionManager) share its latency and faults. */
  if (application) return 0;
  sim_lock();
  int server = sim_server_locked(*serverOut);
  int64_t latencyMs = server < 0 ? 0 : sim_event_latency_locked(server);
  sim_unlock();
  if (server < 0) return SIM_RPC_S_CALL_FAILED;
  if (latencyMs > 0) sim_sleep_ms(latencyMs);
  sim_lock();
  server = sim_server_locked(*serverOut);
  if (server < 0) { sim_unlock(); return SIM_RPC_S_CALL_FAILED; }
  sim_generate_background_locked(server);
  DWORD fault = sim_event_fault_locked(server);
  sim_unlock();
  if (fault == SIM_EVT_FAULT_ACCESS_DENIED) return SIM_ERROR_ACCESS_DENIED;
  if (fault == SIM_EVT_FAULT_CHANNEL_NOT_FOUND) return SIM_ERROR_EVT_CHANNEL_NOT_FOUND;
  return 0;
}

static SimEvtHandle g_localSession = { .magic = EVT_MAGIC, .kind = H_SESSION, .local = 1 };

SIM_EXPORT EVT_HANDLE WINAPI EvtOpenSession(int LoginClass, PVOID Login, DWORD Timeout, DWORD Flags) {
  (void)Timeout;
  if (LoginClass != EvtRpcLogin || Login == NULL || Flags != 0) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  const EVT_RPC_LOGIN *login = (const EVT_RPC_LOGIN *)Login;
  if (!login->Server || !login->Server[0]) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  SimEvtHandle *h = new_handle(H_SESSION);
  if (!h) FAIL_WITH(8, NULL);
  /* As on Windows, nothing is checked until the session is first used: not the server, not the account. */
  sim_wcopy(h->server, 256, login->Server);
  if (login->User && login->User[0]) {
    h->login.set = 1;
    sim_wcopy(h->login.user, SIM_IDENTITY_CHARS, login->User);
    sim_wcopy(h->login.domain, SIM_IDENTITY_CHARS, login->Domain);
    sim_wcopy(h->login.password, SIM_IDENTITY_CHARS, login->Password);
  }
  return h;
}

/* The account a query or subscription keeps for its later round trips: the session's, else the thread's now. */
static SimIdentity opened_as(const SimEvtHandle *session) {
  if (session->login.set) return session->login;
  const SimIdentity *thread = sim_thread_identity();
  if (thread) return *thread;
  SimIdentity none;
  memset(&none, 0, sizeof none);
  return none;
}

/* A query, subscription or log handle on a log the session reached: its server, the account it keeps for later round trips, the channel. */
static SimEvtHandle *handle_on_log(const SimEvtHandle *session, int kind, int channel) {
  SimEvtHandle *h = new_handle(kind);
  if (!h) return NULL;
  sim_wcopy(h->server, 256, session->local ? L"" : session->server);
  h->login = opened_as(session);
  h->local = session->local;
  h->channel = channel;
  return h;
}

static SimEvtHandle *session_or_local(EVT_HANDLE Session) {
  return Session == NULL ? &g_localSession : as_handle(Session, H_SESSION);
}

typedef struct { const SimFilter *filter; int64_t now; } FileMatch;

static int file_record_matches(const void *context, DWORD eventId, int64_t timeCreated) {
  const FileMatch *m = (const FileMatch *)context;
  if (m->filter->maxAgeMs > 0 && (m->now - timeCreated) / 10000 > m->filter->maxAgeMs) return 0;
  if (m->filter->idCount == 0) return 1;
  for (int i = 0; i < m->filter->idCount; i++) if (m->filter->ids[i] == eventId) return 1;
  return 0;
}

/* EvtQuery over an exported log on this computer: its matching records are read at once, as a snapshot. */
static EVT_HANDLE query_file(LPCWSTR path, const SimFilter *filter, DWORD flags) {
  /* A provider or record test needs more of each record than the file's index; the console never asks a file for one. */
  if (filter->provider[0] || filter->recordId) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, NULL);
  if (!path || !path[0]) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  FileMatch match = { filter, sim_now_filetime() };
  SimFileLog log;
  DWORD err = sim_evtx_read(path, file_record_matches, &match, &log);
  if (err) FAIL_WITH(err, NULL);
  SimEvtHandle *q = new_handle(H_QUERY);
  if (!q) { sim_evtx_free(&log); FAIL_WITH(8, NULL); }
  q->local = 1;
  q->channel = CHANNEL_FILE;
  q->filter = *filter;
  q->reverse = (flags & EvtQueryReverseDirection) != 0;
  q->file = log;
  return q;
}

SIM_EXPORT EVT_HANDLE WINAPI EvtQuery(EVT_HANDLE Session, LPCWSTR Path, LPCWSTR Query, DWORD Flags) {
  SimEvtHandle *session = session_or_local(Session);
  if (!session) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, NULL);
  int byFile = (Flags & EvtQueryFilePath) != 0;
  if (byFile && (Flags & EvtQueryChannelPath)) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  if ((Flags & EvtQueryForwardDirection) && (Flags & EvtQueryReverseDirection)) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  SimFilter filter;
  if (!parse_query(Query, &filter)) FAIL_WITH(SIM_ERROR_EVT_INVALID_QUERY, NULL);
  /* A file on another server would be read there; only this computer's files are simulated. */
  if (byFile) { if (!session->local) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, NULL); return query_file(Path, &filter, Flags); }
  SimServerRef ref;
  int channel = CHANNEL_SECURITY;
  DWORD err = open_log(session, Path, &ref, &channel);
  if (err) FAIL_WITH(err, NULL);
  SimEvtHandle *q = handle_on_log(session, H_QUERY, channel);
  if (!q) FAIL_WITH(8, NULL);
  q->filter = filter;
  q->reverse = (Flags & EvtQueryReverseDirection) != 0;
  sim_lock();
  int server = sim_server_locked(ref);
  if (server < 0) { q->magic = 0; g_evtOpenHandles--; sim_unlock(); free(q); FAIL_WITH(SIM_RPC_S_CALL_FAILED, NULL); }
  int64_t now = sim_now_filetime();
  /* Only this computer's Application log is simulated; another server's holds none of the console's events. */
  size_t n = channel == CHANNEL_APPLICATION ? (server == sim_local_server_locked() ? sim_app_count_locked() : 0) : sim_log_count_locked(server, log_of(channel));
  q->snapshot = (uint64_t *)malloc((n ? n : 1) * sizeof(uint64_t));
  if (q->snapshot && channel == CHANNEL_APPLICATION) {
    for (size_t i = 0; i < n; i++) {
      const SimAppRecord *r = sim_app_at_locked(q->reverse ? n - 1 - i : i);
      if (matches_app(&filter, r, now)) q->snapshot[q->snapshotCount++] = r->recordId;
    }
  } else if (q->snapshot) {
    for (size_t i = 0; i < n; i++) {
      size_t index = q->reverse ? n - 1 - i : i;
      const SimEventRecord *r = sim_log_at_locked(server, log_of(channel), index);
      if (matches(&filter, channel, r, now)) q->snapshot[q->snapshotCount++] = r->recordId;
    }
  }
  sim_unlock();
  return q;
}

/*
 * A channel's metadata (EvtGetLogInfo). Like a query, nothing is asked of the server until the
 * handle is used; each EvtGetLogInfo is a round trip. Exported files are not simulated here.
 */
SIM_EXPORT EVT_HANDLE WINAPI EvtOpenLog(EVT_HANDLE Session, LPCWSTR Path, DWORD Flags) {
  SimEvtHandle *session = session_or_local(Session);
  if (!session) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, NULL);
  if (Flags == EvtOpenFilePath) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, NULL);
  if (Flags != EvtOpenChannelPath || !Path) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  SimServerRef ref;
  int channel = CHANNEL_SECURITY;
  DWORD err = open_log(session, Path, &ref, &channel);
  if (err) FAIL_WITH(err, NULL);
  SimEvtHandle *log = handle_on_log(session, H_LOG, channel);
  if (!log) FAIL_WITH(8, NULL);
  return log;
}

SIM_EXPORT BOOL WINAPI EvtGetLogInfo(EVT_HANDLE Log, int PropertyId, DWORD PropertyValueBufferSize, EVT_VARIANT *PropertyValueBuffer, PDWORD PropertyValueBufferUsed) {
  SimEvtHandle *log = as_handle(Log, H_LOG);
  if (!log) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
  if (!PropertyValueBufferUsed) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, FALSE);
  if (PropertyId != EvtLogOldestRecordNumber && PropertyId != EvtLogNumberOfLogRecords) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, FALSE);
  *PropertyValueBufferUsed = (DWORD)sizeof(EVT_VARIANT);
  if (!PropertyValueBuffer || PropertyValueBufferSize < sizeof(EVT_VARIANT)) FAIL_WITH(SIM_ERROR_INSUFFICIENT_BUFFER, FALSE);
  SimServerRef ref;
  DWORD err = sim_connect(log->local ? NULL : log->server, &log->login, &ref);
  if (err) FAIL_WITH(err, FALSE);
  sim_lock();
  int server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL_WITH(SIM_RPC_S_CALL_FAILED, FALSE); }
  uint64_t count, oldest;
  if (log->channel == CHANNEL_APPLICATION) {
    count = sim_app_count_locked();
    oldest = count ? sim_app_at_locked(0)->recordId : 0;
  } else {
    sim_generate_background_locked(server);
    count = sim_log_count_locked(server, log_of(log->channel));
    oldest = count ? sim_log_at_locked(server, log_of(log->channel), 0)->recordId : 0;
  }
  sim_unlock();
  memset(PropertyValueBuffer, 0, sizeof *PropertyValueBuffer);
  PropertyValueBuffer->UInt64Val = PropertyId == EvtLogOldestRecordNumber ? oldest : count;
  PropertyValueBuffer->Type = EvtVarTypeUInt64;
  return TRUE;
}

SIM_EXPORT EVT_HANDLE WINAPI EvtCreateBookmark(LPCWSTR BookmarkXml) {
  SimEvtHandle *b = new_handle(H_BOOKMARK);
  if (!b) FAIL_WITH(8, NULL);
  if (BookmarkXml) {
    /* <BookmarkList><Bookmark Channel='Security' RecordId='N' IsCurrent='true'/></BookmarkList> */
    LPCWSTR p = BookmarkXml;
    for (LPCWSTR c = BookmarkXml; *c; c++) {
      if (!wstarts(c, L"Channel='")) continue;
      if (wstarts(c + 9, SIM_LSM_CHANNEL) && c[9 + wcslen(SIM_LSM_CHANNEL)] == L'\'') b->channel = CHANNEL_LSM;
      if (wstarts(c + 9, L"ForwardedEvents'")) b->channel = CHANNEL_FORWARDED;
      break;
    }
    for (; *p; p++) if (wstarts(p, L"RecordId='")) break;
    if (!*p) { free(b); sim_lock(); g_evtOpenHandles--; sim_unlock(); FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL); }
    p += 10;
    b->bookmarkRecordId = parse_number(&p);
    b->bookmarkSet = 1;
  }
  return b;
}

SIM_EXPORT BOOL WINAPI EvtUpdateBookmark(EVT_HANDLE Bookmark, EVT_HANDLE Event) {
  SimEvtHandle *b = as_handle(Bookmark, H_BOOKMARK), *e = as_handle(Event, H_EVENT);
  if (!b || !e) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
  b->bookmarkRecordId = e->channel == CHANNEL_APPLICATION ? e->app.recordId : e->record.recordId;
  b->channel = e->channel;
  b->bookmarkSet = 1;
  return TRUE;
}

/* A subscription that could not start: given back (called with the lock held, which it releases), failing with `error`. */
static EVT_HANDLE discard_subscription_locked(SimEvtHandle *s, DWORD error) {
  s->magic = 0; g_evtOpenHandles--;
  sim_unlock();
#ifdef _WIN32
  CloseHandle(s->signalEvent);
#endif
  free(s);
  FAIL_WITH(error, NULL);
}

SIM_EXPORT EVT_HANDLE WINAPI EvtSubscribe(EVT_HANDLE Session, HANDLE SignalEvent, LPCWSTR ChannelPath, LPCWSTR Query,
                                          EVT_HANDLE Bookmark, PVOID Context, PVOID Callback, DWORD Flags) {
  (void)Context;
  SimEvtHandle *session = session_or_local(Session);
  if (!session) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, NULL);
  /* Pull mode only: a signal event, no callback (exactly one of the two, as Windows requires). */
#ifdef _WIN32
  if (SignalEvent == NULL || Callback != NULL) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
#else
  SimEvtHandle *signal = as_handle(SignalEvent, H_SIGNAL);
  if (!signal || Callback != NULL) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
#endif
  DWORD mode = Flags & 0x3;
  if ((Flags & ~(DWORD)(0x3 | EvtSubscribeTolerateQueryErrors | EvtSubscribeStrict)) != 0) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  int strict = (Flags & EvtSubscribeStrict) != 0;
  SimEvtHandle *bookmark = NULL;
  if (mode == EvtSubscribeStartAfterBookmark) {
    bookmark = as_handle(Bookmark, H_BOOKMARK);
    if (!bookmark) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  } else if (mode != EvtSubscribeToFutureEvents && mode != EvtSubscribeStartAtOldestRecord) {
    FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  }
  SimFilter filter;
  if (!parse_query(Query, &filter)) FAIL_WITH(SIM_ERROR_EVT_INVALID_QUERY, NULL);
  SimServerRef ref;
  int channel = CHANNEL_SECURITY;
  DWORD err = open_log(session, ChannelPath, &ref, &channel);
  if (err) FAIL_WITH(err, NULL);
  /* Subscriptions follow the servers' logs; the console reads its Application copies by query. */
  if (channel == CHANNEL_APPLICATION) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, NULL);
  SimEvtHandle *s = handle_on_log(session, H_SUBSCRIPTION, channel);
  if (!s) FAIL_WITH(8, NULL);
  s->filter = filter;
  s->serverRef = ref;
#ifdef _WIN32
  /* The caller may close its handle before the subscription: keep one of our own. */
  if (!DuplicateHandle(GetCurrentProcess(), SignalEvent, GetCurrentProcess(), &s->signalEvent, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
    DWORD error = GetLastError();
    sim_lock(); s->magic = 0; g_evtOpenHandles--; sim_unlock();
    free(s);
    FAIL_WITH(error ? error : SIM_ERROR_INVALID_HANDLE, NULL);
  }
#else
  s->signal = signal;
#endif
  sim_lock();
  int server = sim_server_locked(ref);
  if (server < 0) return discard_subscription_locked(s, SIM_RPC_S_CALL_FAILED);
  size_t n = sim_log_count_locked(server, log_of(channel));
  uint64_t newest = n ? sim_log_at_locked(server, log_of(channel), n - 1)->recordId : 0;
  uint64_t oldest = n ? sim_log_at_locked(server, log_of(channel), 0)->recordId : 1;
  if (mode == EvtSubscribeToFutureEvents) s->cursor = newest;
  else if (mode == EvtSubscribeStartAtOldestRecord) s->cursor = oldest - 1;
  else s->cursor = bookmark->bookmarkSet ? bookmark->bookmarkRecordId : newest;
  s->strict = strict;
  /* Strict: the bookmarked record must still be in the log, or records after it may be gone (1168). */
  if (strict && mode == EvtSubscribeStartAfterBookmark && (!bookmark->bookmarkSet || n == 0 || s->cursor < oldest || s->cursor > newest))
    return discard_subscription_locked(s, SIM_ERROR_NOT_FOUND);
  s->nextSubscription = g_subscriptions;
  g_subscriptions = s;
  /* Records older than the log now holds were overwritten: start at the oldest it still has. */
  if (s->cursor + 1 < oldest) s->cursor = oldest - 1;
  /* There may be events already. */
#ifdef _WIN32
  SetEvent(s->signalEvent);
#else
  signal->sig.set = 1;
#endif
  sim_unlock();
  return s;
}

void sim_log_cleared_locked(int server, int log) {
  for (SimEvtHandle *s = g_subscriptions; s; s = s->nextSubscription)
    if (sim_server_locked(s->serverRef) == server && log_of(s->channel) == log) s->staleError = SIM_ERROR_EVT_QUERY_RESULT_STALE;
}

static SimEvtHandle *make_event_locked(int server, int channel, const SimEventRecord *r) {
  SimEvtHandle *e = new_handle_locked(H_EVENT);
  if (!e) return NULL;
  e->channel = channel;
  e->record = *r;
  /* A forwarded event names the computer that logged it, not the collector. */
  int from = channel == CHANNEL_FORWARDED && r->sourceServer >= 0 && (size_t)r->sourceServer < sim_server_count_locked() ? r->sourceServer : server;
  sim_wcopy(e->computer, 256, sim_server_computer_locked(from));
  return e;
}

static SimEvtHandle *make_app_event_locked(int server, const SimAppRecord *r) {
  SimEvtHandle *e = new_handle_locked(H_EVENT);
  if (!e) return NULL;
  e->channel = CHANNEL_APPLICATION;
  e->app = *r;
  e->app.strings = (WCHAR *)malloc((r->stringChars ? r->stringChars : 1) * sizeof(WCHAR));
  if (e->app.strings) memcpy(e->app.strings, r->strings, r->stringChars * sizeof(WCHAR));
  else e->app.stringCount = 0;
  sim_wcopy(e->computer, 256, sim_server_computer_locked(server));
  return e;
}

SIM_EXPORT BOOL WINAPI EvtClose(EVT_HANDLE Object);

static SimEvtHandle *make_file_event(const SimFileEvent *r) {
  SimEvtHandle *e = new_handle(H_EVENT);
  if (!e) return NULL;
  e->channel = CHANNEL_FILE;
  e->record.recordId = r->recordId;
  e->record.eventId = r->eventId;
  e->record.timeCreated = r->timeCreated;
  e->xml = (WCHAR *)malloc((r->xmlChars + 1) * sizeof(WCHAR));
  if (!e->xml) { EvtClose(e); return NULL; }
  memcpy(e->xml, r->xml, (r->xmlChars + 1) * sizeof(WCHAR));
  return e;
}

/* A file query's next batch: no round trip, the file was read when the query was made. */
static BOOL next_file_events(SimEvtHandle *rs, DWORD size, EVT_HANDLE *out, PDWORD returned) {
  DWORD count = 0;
  while (count < size && rs->fileNext < rs->file.count) {
    size_t index = rs->reverse ? rs->file.count - 1 - rs->fileNext : rs->fileNext;
    SimEvtHandle *e = make_file_event(&rs->file.events[index]);
    if (!e) {
      /* Out of memory: what this call made is given back, and the position stays where it was. */
      for (DWORD i = 0; i < count; i++) EvtClose(out[i]);
      rs->fileNext -= count;
      FAIL_WITH(8, FALSE);
    }
    rs->fileNext++;
    out[count++] = e;
  }
  if (count == 0) FAIL_WITH(SIM_ERROR_NO_MORE_ITEMS, FALSE);
  *returned = count;
  return TRUE;
}

/* An Application query's next batch: records rolled out of the log since the query are skipped. */
static DWORD next_app_events_locked(SimEvtHandle *rs, int server, DWORD size, EVT_HANDLE *out) {
  DWORD count = 0;
  size_t n = sim_app_count_locked();
  uint64_t first = n > 0 ? sim_app_at_locked(0)->recordId : 0;
  while (count < size && rs->snapshotNext < rs->snapshotCount) {
    uint64_t wanted = rs->snapshot[rs->snapshotNext++];
    if (n == 0 || wanted < first || wanted - first >= n) continue;
    const SimAppRecord *r = sim_app_at_locked((size_t)(wanted - first));
    if (r->recordId == wanted) out[count++] = make_app_event_locked(server, r);
  }
  return count;
}

SIM_EXPORT BOOL WINAPI EvtNext(EVT_HANDLE ResultSet, DWORD EventArraySize, EVT_HANDLE *EventArray, DWORD Timeout, DWORD Flags, PDWORD Returned) {
  (void)Timeout;
  SimEvtHandle *rs = as_handle(ResultSet, 0);
  if (!rs || (rs->kind != H_QUERY && rs->kind != H_SUBSCRIPTION)) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
  if (!EventArray || !Returned || EventArraySize == 0 || Flags != 0) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, FALSE);
  *Returned = 0;
  if (rs->channel == CHANNEL_FILE) return next_file_events(rs, EventArraySize, EventArray, Returned);
  SimServerRef ref;
  /* Each batch is a round trip to the server, which may have gone away since the last one. */
  DWORD err = sim_connect(rs->local ? NULL : rs->server, &rs->login, &ref);
  if (err) FAIL_WITH(err, FALSE);
  sim_lock();
  int server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL_WITH(SIM_RPC_S_CALL_FAILED, FALSE); }
  if (rs->channel == CHANNEL_APPLICATION) {
    DWORD got = next_app_events_locked(rs, server, EventArraySize, EventArray);
    sim_unlock();
    if (got == 0) FAIL_WITH(SIM_ERROR_NO_MORE_ITEMS, FALSE);
    *Returned = got;
    return TRUE;
  }
  sim_generate_background_locked(server);
  DWORD fault = sim_event_fault_locked(server);
  if (rs->kind == H_SUBSCRIPTION && fault == SIM_EVT_FAULT_DROP) { sim_unlock(); FAIL_WITH(SIM_RPC_S_CALL_FAILED, FALSE); }
  if (fault == SIM_EVT_FAULT_ACCESS_DENIED) { sim_unlock(); FAIL_WITH(SIM_ERROR_ACCESS_DENIED, FALSE); }
  DWORD count = 0;
  size_t n = sim_log_count_locked(server, log_of(rs->channel));
  if (rs->kind == H_QUERY) {
    /* Walk the snapshot; records rolled out of the log since the query are skipped. */
    /* Record ids in the log run without gaps, oldest first, so a record's position is its id's offset. */
    uint64_t first = n > 0 ? sim_log_at_locked(server, log_of(rs->channel), 0)->recordId : 0;
    while (count < EventArraySize && rs->snapshotNext < rs->snapshotCount) {
      uint64_t wanted = rs->snapshot[rs->snapshotNext++];
      if (n == 0 || wanted < first || wanted - first >= n) continue;
      const SimEventRecord *r = sim_log_at_locked(server, log_of(rs->channel), (size_t)(wanted - first));
      if (r->recordId == wanted) EventArray[count++] = make_event_locked(server, rs->channel, r);
    }
  } else {
    int64_t now = sim_now_filetime();
    uint64_t first = n > 0 ? sim_log_at_locked(server, log_of(rs->channel), 0)->recordId : 0;
    /* What readers of live subscriptions met on Windows: each leaves the handle as Windows did. */
    if (!rs->staleError && rs->strict && n > 0 && rs->cursor + 1 < first) rs->staleError = SIM_ERROR_EVT_QUERY_RESULT_STALE; /* records it had not read were overwritten */
    if (!rs->staleError && fault == SIM_EVT_FAULT_STALE) { rs->staleError = SIM_ERROR_EVT_QUERY_RESULT_STALE; sim_event_fault_fired_locked(server); }
    if (rs->staleError) { DWORD stale = rs->staleError; sim_unlock(); FAIL_WITH(stale, FALSE); }
    if (fault == SIM_EVT_FAULT_INVALID_PARAMETER) { sim_event_fault_fired_locked(server); sim_unlock(); FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, FALSE); }
    if (fault == SIM_EVT_FAULT_INVALID_BOUND && EventArraySize > SIM_INVALID_BOUND_MAX_BATCH) {
      /* The batch is dropped, but the position has moved past the events it held. */
      DWORD skipped = 0;
      for (size_t i = rs->cursor >= first && n > 0 ? (size_t)(rs->cursor - first + 1) : 0; i < n && skipped < EventArraySize; i++) {
        const SimEventRecord *r = sim_log_at_locked(server, log_of(rs->channel), i);
        if (visible_at(r) > now) break;
        rs->cursor = r->recordId;
        if (matches(&rs->filter, rs->channel, r, now)) skipped++;
      }
      sim_event_fault_fired_locked(server);
      sim_unlock();
      FAIL_WITH(SIM_RPC_S_INVALID_BOUND, FALSE);
    }
    size_t start = rs->cursor >= first && n > 0 ? (size_t)(rs->cursor - first + 1) : 0;
    for (size_t i = start; i < n && count < EventArraySize; i++) {
      const SimEventRecord *r = sim_log_at_locked(server, log_of(rs->channel), i);
      if (r->recordId <= rs->cursor) continue;
      if (visible_at(r) > now) break; /* records are in time order; the rest have not happened (or arrived) yet */
      rs->cursor = r->recordId;
      if (matches(&rs->filter, rs->channel, r, now)) EventArray[count++] = make_event_locked(server, rs->channel, r);
    }
  }
  sim_unlock();
  if (count == 0) FAIL_WITH(SIM_ERROR_NO_MORE_ITEMS, FALSE);
  *Returned = count;
  return TRUE;
}

/* FILETIME → "2015-09-09T02:27:57.877205900Z", the way event XML writes SystemTime. */
static void format_system_time(int64_t filetime, WCHAR *out, size_t cap) {
  int64_t ticks = filetime - SIM_FILETIME_UNIX_EPOCH;
  int64_t seconds = ticks / 10000000, fraction = ticks % 10000000;
  if (fraction < 0) { fraction += 10000000; seconds--; }
  int64_t days = seconds / 86400, rem = seconds % 86400;
  if (rem < 0) { rem += 86400; days--; }
  /* Howard Hinnant's days → civil date. */
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  swprintf(out, cap, L"%04d-%02d-%02dT%02d:%02d:%02d.%07d00Z", (int)y, (int)m, (int)d,
           (int)(rem / 3600), (int)(rem % 3600 / 60), (int)(rem % 60), (int)fraction);
}

/* Writes text escaped for XML; returns characters written (or needed). */
static size_t put_escaped(WCHAR *out, size_t at, size_t cap, LPCWSTR text) {
  for (; *text; text++) {
    const WCHAR *rep = NULL;
    WCHAR one[2] = { *text, 0 };
    switch (*text) {
      case L'&': rep = L"&amp;"; break;
      case L'<': rep = L"&lt;"; break;
      case L'>': rep = L"&gt;"; break;
      case L'"': rep = L"&quot;"; break;
      default: rep = one;
    }
    for (; *rep; rep++, at++) if (at < cap) out[at] = *rep;
  }
  return at;
}

static size_t put_raw(WCHAR *out, size_t at, size_t cap, LPCWSTR text) {
  for (; *text; text++, at++) if (at < cap) out[at] = *text;
  return at;
}

/*
 * The System element from <Keywords> to </Computer>, as every channel's events have it:
 * `correlation` and `execution` are the elements between the record id and the channel.
 */
static size_t put_system_tail(WCHAR *out, size_t at, size_t cap, LPCWSTR keywords, int64_t timeCreated, uint64_t recordId,
                              LPCWSTR correlation, LPCWSTR execution, LPCWSTR channel, LPCWSTR computer) {
  WCHAR scratch[64];
  at = put_raw(out, at, cap, L"<Keywords>");
  at = put_raw(out, at, cap, keywords);
  at = put_raw(out, at, cap, L"</Keywords><TimeCreated SystemTime='");
  format_system_time(timeCreated, scratch, 64);
  at = put_raw(out, at, cap, scratch);
  swprintf(scratch, 64, L"'/><EventRecordID>%llu</EventRecordID>", (unsigned long long)recordId);
  at = put_raw(out, at, cap, scratch);
  at = put_raw(out, at, cap, correlation);
  at = put_raw(out, at, cap, execution);
  at = put_raw(out, at, cap, L"<Channel>");
  at = put_raw(out, at, cap, channel);
  at = put_raw(out, at, cap, L"</Channel><Computer>");
  at = put_escaped(out, at, cap, computer);
  return put_raw(out, at, cap, L"</Computer>");
}

/* A classic event as Windows renders one from the Application log: its insertion strings as unnamed Data. */
static size_t render_app_xml(const SimEvtHandle *e, WCHAR *out, size_t cap) {
  WCHAR scratch[160];
  const SimAppRecord *r = &e->app;
  unsigned level = r->eventType == 0x0001 ? 2u : r->eventType == 0x0002 ? 3u : 4u;
  size_t at = 0;
  at = put_raw(out, at, cap, L"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='");
  at = put_escaped(out, at, cap, r->provider);
  swprintf(scratch, 160, L"'/><EventID Qualifiers='0'>%u</EventID><Version>0</Version><Level>%u</Level><Task>%u</Task><Opcode>0</Opcode>",
           (unsigned)r->eventId, level, (unsigned)r->category);
  at = put_raw(out, at, cap, scratch);
  at = put_system_tail(out, at, cap, L"0x80000000000000", r->timeCreated, r->recordId, L"<Correlation/>", L"<Execution ProcessID='0' ThreadID='0'/>", L"Application", e->computer);
  at = put_raw(out, at, cap, L"<Security/></System><EventData>");
  const WCHAR *s = r->strings;
  for (WORD i = 0; i < r->stringCount; i++) {
    at = put_raw(out, at, cap, L"<Data>");
    at = put_escaped(out, at, cap, s);
    at = put_raw(out, at, cap, L"</Data>");
    s += wcslen(s) + 1;
  }
  at = put_raw(out, at, cap, L"</EventData></Event>");
  return at;
}

/* <Data Name='name'>text</Data>, the text escaped. */
static size_t put_data(WCHAR *out, size_t at, size_t cap, LPCWSTR name, LPCWSTR text) {
  at = put_raw(out, at, cap, L"<Data Name='");
  at = put_raw(out, at, cap, name);
  at = put_raw(out, at, cap, L"'>");
  at = put_escaped(out, at, cap, text);
  return put_raw(out, at, cap, L"</Data>");
}

/* The task (category) Windows files each event under: Logon, Logoff, Other Logon/Logoff Events. */
static unsigned event_task(DWORD eventId) {
  return eventId == 4624 ? 12544u : (eventId == 4778 || eventId == 4779) ? 12551u : 12545u;
}

/* One field of an event's EventData or UserData, with its type as Windows' manifest gives it. */
typedef struct { LPCWSTR name; DWORD type; LPCWSTR text; uint64_t number; } SimField;
#define SIM_MAX_FIELDS 24
typedef struct {
  SimField field[SIM_MAX_FIELDS];
  int count;
  WCHAR scratch[160]; /* text a field is built from: 4624's machine account, an LSM event's DOMAIN\\user */
} SimFields;

static void add_text(SimFields *fs, LPCWSTR name, DWORD type, LPCWSTR text) {
  if (fs->count < SIM_MAX_FIELDS) fs->field[fs->count++] = (SimField){ name, type, text, 0 };
}
static void add_number(SimFields *fs, LPCWSTR name, DWORD type, uint64_t number) {
  if (fs->count < SIM_MAX_FIELDS) fs->field[fs->count++] = (SimField){ name, type, NULL, number };
}

/* A field as event XML writes it: numbers in decimal, hex ones (and pointers) as 0x…, the rest as text. */
static LPCWSTR field_text(const SimField *f, WCHAR *scratch, size_t cap) {
  if (f->text) return f->text;
  if (f->type == EvtVarTypeHexInt64 || f->type == EvtVarTypeSizeT) swprintf(scratch, cap, L"0x%llx", (unsigned long long)f->number);
  else swprintf(scratch, cap, L"%llu", (unsigned long long)f->number);
  return scratch;
}

/*
 * The EventData of each Security event, with the fields Windows writes for it, in its order: 4634
 * and 4647 (Target*, LogonType for 4634), 4624 (Subject*, Target*, how and where from), 4778 and
 * 4779 (AccountName, AccountDomain, LogonID, SessionName, ClientName, ClientAddress).
 */
static void security_fields(const SimEvtHandle *e, SimFields *fs) {
  const SimEventRecord *r = &e->record;
  fs->count = 0;
  if (r->eventId == 4778 || r->eventId == 4779) {
    add_text(fs, L"AccountName", EvtVarTypeString, r->userName);
    add_text(fs, L"AccountDomain", EvtVarTypeString, r->domain);
    add_number(fs, L"LogonID", EvtVarTypeHexInt64, r->logonId);
    add_text(fs, L"SessionName", EvtVarTypeString, r->sessionName);
    add_text(fs, L"ClientName", EvtVarTypeString, r->clientName);
    add_text(fs, L"ClientAddress", EvtVarTypeString, r->clientAddress);
    return;
  }
  if (r->eventId == 4624) {
    /* The machine account logs the logon on the user's behalf: COMPUTER$, its NetBIOS name. */
    size_t n = 0;
    for (; e->computer[n] && e->computer[n] != L'.' && n + 2 < 64; n++) fs->scratch[n] = e->computer[n];
    fs->scratch[n++] = L'$'; fs->scratch[n] = 0;
    add_text(fs, L"SubjectUserSid", EvtVarTypeSid, L"S-1-5-18");
    add_text(fs, L"SubjectUserName", EvtVarTypeString, fs->scratch);
    add_text(fs, L"SubjectDomainName", EvtVarTypeString, r->domain);
    add_number(fs, L"SubjectLogonId", EvtVarTypeHexInt64, 0x3e7);
  }
  add_text(fs, L"TargetUserSid", EvtVarTypeSid, r->userSid);
  add_text(fs, L"TargetUserName", EvtVarTypeString, r->userName);
  add_text(fs, L"TargetDomainName", EvtVarTypeString, r->domain);
  add_number(fs, L"TargetLogonId", EvtVarTypeHexInt64, r->logonId);
  if (r->eventId == 4647) return;
  add_number(fs, L"LogonType", EvtVarTypeUInt32, r->logonType);
  if (r->eventId != 4624) return;
  /* Remote Desktop logons come through User32 (padded to eight characters, as Windows logs it). */
  add_text(fs, L"LogonProcessName", EvtVarTypeString, r->logonType == 3 ? L"NtLmSsp " : L"User32 ");
  add_text(fs, L"AuthenticationPackageName", EvtVarTypeString, L"Negotiate");
  add_text(fs, L"WorkstationName", EvtVarTypeString, r->clientName[0] ? r->clientName : L"-");
  add_text(fs, L"LogonGuid", EvtVarTypeGuid, L"{00000000-0000-0000-0000-000000000000}");
  add_text(fs, L"TransmittedServices", EvtVarTypeString, L"-");
  add_text(fs, L"LmPackageName", EvtVarTypeString, L"-");
  add_number(fs, L"KeyLength", EvtVarTypeUInt32, 0);
  add_number(fs, L"ProcessId", EvtVarTypeSizeT, 0x2a4);
  add_text(fs, L"ProcessName", EvtVarTypeString, L"C:\\Windows\\System32\\svchost.exe");
  add_text(fs, L"IpAddress", EvtVarTypeString, r->clientAddress[0] ? r->clientAddress : L"-");
  add_text(fs, L"IpPort", EvtVarTypeString, L"0");
}

/* A LocalSessionManager Operational event's UserData fields: User (DOMAIN\\user), SessionID, and Address (none in 23, a logoff). */
static void lsm_fields(const SimEvtHandle *e, SimFields *fs) {
  const SimEventRecord *r = &e->record;
  fs->count = 0;
  swprintf(fs->scratch, 160, L"%ls\\%ls", r->domain, r->userName);
  add_text(fs, L"User", EvtVarTypeString, fs->scratch);
  add_number(fs, L"SessionID", EvtVarTypeUInt32, r->sessionId);
  if (r->eventId != 23) add_text(fs, L"Address", EvtVarTypeString, r->clientAddress);
}

static size_t render_event_data(const SimEvtHandle *e, WCHAR *out, size_t at, size_t cap) {
  SimFields fs;
  WCHAR number[32];
  security_fields(e, &fs);
  for (int i = 0; i < fs.count; i++) at = put_data(out, at, cap, fs.field[i].name, field_text(&fs.field[i], number, 32));
  return at;
}

/*
 * A LocalSessionManager Operational event as Windows renders it: its fields in UserData, under an
 * EventXML element of the Event_NS namespace.
 */
static size_t render_lsm_xml(const SimEvtHandle *e, WCHAR *out, size_t cap) {
  WCHAR scratch[160];
  const SimEventRecord *r = &e->record;
  size_t at = 0;
  at = put_raw(out, at, cap, L"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
                             L"<Provider Name='Microsoft-Windows-TerminalServices-LocalSessionManager' Guid='{5D896912-022D-40AA-A3A8-4FA5515C76D7}'/>");
  swprintf(scratch, 160, L"<EventID>%u</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode>", (unsigned)r->eventId);
  at = put_raw(out, at, cap, scratch);
  at = put_system_tail(out, at, cap, L"0x1000000000000000", r->timeCreated, r->recordId, L"<Correlation ActivityID='{00000000-0000-0000-0000-000000000000}'/>",
                       L"<Execution ProcessID='1060' ThreadID='1524'/>", SIM_LSM_CHANNEL, e->computer);
  at = put_raw(out, at, cap, L"<Security UserID='S-1-5-18'/></System><UserData><EventXML xmlns='Event_NS'>");
  SimFields fs;
  lsm_fields(e, &fs);
  for (int i = 0; i < fs.count; i++) {
    at = put_raw(out, at, cap, L"<");
    at = put_raw(out, at, cap, fs.field[i].name);
    at = put_raw(out, at, cap, L">");
    at = put_escaped(out, at, cap, field_text(&fs.field[i], scratch, 160));
    at = put_raw(out, at, cap, L"</");
    at = put_raw(out, at, cap, fs.field[i].name);
    at = put_raw(out, at, cap, L">");
  }
  return put_raw(out, at, cap, L"</EventXML></UserData></Event>");
}

static size_t render_event_xml(const SimEvtHandle *e, WCHAR *out, size_t cap) {
  if (e->channel == CHANNEL_APPLICATION) return render_app_xml(e, out, cap);
  if (e->channel == CHANNEL_FILE) return put_raw(out, 0, cap, e->xml);
  if (e->channel == CHANNEL_LSM) return render_lsm_xml(e, out, cap);
  WCHAR scratch[128];
  const SimEventRecord *r = &e->record;
  size_t at = 0;
  at = put_raw(out, at, cap, L"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
                             L"<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>");
  swprintf(scratch, 128, L"<EventID>%u</EventID><Version>%u</Version><Level>0</Level><Task>%u</Task><Opcode>0</Opcode>",
           (unsigned)r->eventId, r->eventId == 4624 ? 2u : 0u, event_task(r->eventId));
  at = put_raw(out, at, cap, scratch);
  /* A forwarded event is the source's own: its record id there, its channel (the collector's position is the bookmark's). */
  at = put_system_tail(out, at, cap, L"0x8020000000000000", r->timeCreated, e->channel == CHANNEL_FORWARDED ? r->sourceRecordId : r->recordId,
                       L"<Correlation/>", L"<Execution ProcessID='516' ThreadID='832'/>", L"Security", e->computer);
  at = put_raw(out, at, cap, L"<Security/></System><EventData>");
  at = render_event_data(e, out, at, cap);
  return put_raw(out, at, cap, L"</EventData></Event>");
}

/* ---- values (EvtCreateRenderContext, EvtRender with EvtRenderEventValues) ---------------------- */

/* Reads `*p` past `prefix` when it starts with it. */
static int take(LPCWSTR *p, LPCWSTR prefix) {
  if (!wstarts(*p, prefix)) return 0;
  *p += sim_wlen(prefix);
  return 1;
}

/* Copies a name up to `stop` (or the end); 0 when it is empty, too long, or holds a '/'. */
static int take_name(LPCWSTR *p, WCHAR stop, WCHAR *out) {
  size_t n = 0;
  while (**p && **p != stop && **p != L'/' && n + 1 < 64) out[n++] = *(*p)++;
  out[n] = 0;
  return n > 0 && (**p == stop || (stop == 0 && **p == 0));
}

/*
 * Where an XPath of a render context points: Event/System/{EventID, EventRecordID, Computer,
 * Channel, TimeCreated/@SystemTime, Provider/@Name}, Event/EventData/Data[@Name='X'], or
 * Event/UserData/<element>/X. Any other path is one no simulated event holds: its value is Null.
 */
static void parse_value_path(LPCWSTR path, SimValuePath *out) {
  memset(out, 0, sizeof *out);
  LPCWSTR p = path;
  if (*p == L'/') p++;
  if (!take(&p, L"Event/")) return;
  if (take(&p, L"System/")) {
    static const struct { LPCWSTR path; int where; } system[] = {
      { L"EventID", VALUE_EVENT_ID }, { L"EventRecordID", VALUE_RECORD_ID }, { L"TimeCreated/@SystemTime", VALUE_TIME_CREATED },
      { L"Computer", VALUE_COMPUTER }, { L"Channel", VALUE_CHANNEL }, { L"Provider/@Name", VALUE_PROVIDER },
    };
    for (size_t i = 0; i < sizeof system / sizeof system[0]; i++) if (wcscmp(p, system[i].path) == 0) out->where = system[i].where;
    return;
  }
  if (take(&p, L"EventData/Data[@Name=")) {
    WCHAR quote = *p;
    if (quote != L'\'' && quote != L'"') return;
    p++;
    if (take_name(&p, quote, out->name) && p[0] == quote && p[1] == L']' && p[2] == 0) out->where = VALUE_DATA;
    return;
  }
  WCHAR element[64];
  if (take(&p, L"UserData/") && take_name(&p, L'/', element) && take(&p, L"/") && take_name(&p, 0, out->name)) out->where = VALUE_USER_DATA;
}

SIM_EXPORT EVT_HANDLE WINAPI EvtCreateRenderContext(DWORD ValuePathsCount, LPCWSTR *ValuePaths, DWORD Flags) {
  /* The System and User contexts (every System property, every user field) are not simulated: the console names its paths. */
  if (Flags == EvtRenderContextSystem || Flags == EvtRenderContextUser) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, NULL);
  if (Flags != EvtRenderContextValues || ValuePathsCount == 0 || !ValuePaths) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  for (DWORD i = 0; i < ValuePathsCount; i++) if (!ValuePaths[i] || !ValuePaths[i][0]) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, NULL);
  SimValuePath *paths = (SimValuePath *)calloc(ValuePathsCount, sizeof *paths);
  if (!paths) FAIL_WITH(8, NULL);
  for (DWORD i = 0; i < ValuePathsCount; i++) parse_value_path(ValuePaths[i], &paths[i]);
  SimEvtHandle *context = new_handle(H_RENDER_CONTEXT);
  if (!context) { free(paths); FAIL_WITH(8, NULL); }
  context->paths = paths;
  context->pathCount = ValuePathsCount;
  return context;
}

/* A field's bytes after the variants: a string with its NUL, a binary SID, a GUID. 0 for a number. */
static size_t value_bytes(const SimField *f, BYTE *sid) {
  if (f->type == EvtVarTypeString) return (sim_wlen(f->text) + 1) * sizeof(WCHAR);
  if (f->type == EvtVarTypeSid) return sim_sid_from_text(f->text, sid);
  if (f->type == EvtVarTypeGuid) return 16;
  return 0;
}

/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" as a GUID's 16 bytes (its first three parts little-endian, as GUID holds them). */
static void guid_from_text(LPCWSTR text, BYTE *out) {
  BYTE digits[16] = { 0 };
  int n = 0;
  for (LPCWSTR p = text; *p && n < 32; p++) {
    int v = *p >= L'0' && *p <= L'9' ? *p - L'0' : *p >= L'a' && *p <= L'f' ? *p - L'a' + 10 : *p >= L'A' && *p <= L'F' ? *p - L'A' + 10 : -1;
    if (v < 0) continue;
    digits[n / 2] = (BYTE)(digits[n / 2] << 4 | v);
    n++;
  }
  static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
  for (int i = 0; i < 16; i++) out[i] = digits[order[i]];
}

/*
 * An event's values for a render context, as Windows lays them out: one EVT_VARIANT per path, in
 * the context's order, then the strings, SIDs and GUIDs they point to, in the same buffer. Returns
 * the bytes needed; writes only when they fit in `cap`.
 */
static size_t render_values(const SimEvtHandle *context, const SimEvtHandle *e, BYTE *buffer, size_t cap) {
  SimFields fields;
  if (e->channel == CHANNEL_LSM) lsm_fields(e, &fields); else security_fields(e, &fields);
  const SimEventRecord *r = &e->record;
  size_t at = context->pathCount * sizeof(EVT_VARIANT);
  int fits = buffer != NULL;
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 1 && (!fits || at > cap)) return at;
    at = context->pathCount * sizeof(EVT_VARIANT);
    for (DWORD i = 0; i < context->pathCount; i++) {
      const SimValuePath *path = &context->paths[i];
      SimField field = { NULL, EvtVarTypeNull, NULL, 0 };
      switch (path->where) {
        case VALUE_EVENT_ID: field = (SimField){ NULL, EvtVarTypeUInt16, NULL, r->eventId & 0xFFFF }; break;
        /* A forwarded event is the source's own: its record id there. */
        case VALUE_RECORD_ID: field = (SimField){ NULL, EvtVarTypeUInt64, NULL, e->channel == CHANNEL_FORWARDED ? r->sourceRecordId : r->recordId }; break;
        case VALUE_TIME_CREATED: field = (SimField){ NULL, EvtVarTypeFileTime, NULL, (uint64_t)r->timeCreated }; break;
        case VALUE_COMPUTER: field = (SimField){ NULL, EvtVarTypeString, e->computer, 0 }; break;
        case VALUE_CHANNEL: field = (SimField){ NULL, EvtVarTypeString, e->channel == CHANNEL_LSM ? SIM_LSM_CHANNEL : L"Security", 0 }; break;
        case VALUE_PROVIDER: field = (SimField){ NULL, EvtVarTypeString, provider_of(e->channel), 0 }; break;
        case VALUE_DATA:
        case VALUE_USER_DATA:
          /* Security events keep their fields in EventData, LocalSessionManager's in UserData. */
          if ((path->where == VALUE_USER_DATA) != (e->channel == CHANNEL_LSM)) break;
          for (int f = 0; f < fields.count; f++) if (wcscmp(fields.field[f].name, path->name) == 0) { field = fields.field[f]; break; }
          break;
        default: break;
      }
      BYTE sid[SIM_SID_MAX];
      size_t extra = field.type == EvtVarTypeNull ? 0 : value_bytes(&field, sid);
      /* A SID field whose text is not a SID is written as its text, as a string. */
      if (field.type == EvtVarTypeSid && extra == 0) { field.type = EvtVarTypeString; extra = value_bytes(&field, sid); }
      at = (at + 7) & ~(size_t)7;
      if (pass == 1) {
        EVT_VARIANT *v = (EVT_VARIANT *)buffer + i;
        memset(v, 0, sizeof *v);
        v->Type = field.type;
        if (field.type == EvtVarTypeString || field.type == EvtVarTypeSid || field.type == EvtVarTypeGuid) {
          BYTE *target = buffer + at;
          if (field.type == EvtVarTypeString) memcpy(target, field.text, extra);
          else if (field.type == EvtVarTypeSid) memcpy(target, sid, extra);
          else guid_from_text(field.text, target);
          v->UInt64Val = (uint64_t)(uintptr_t)target;
        } else if (field.type == EvtVarTypeUInt16) {
          v->UInt64Val = field.number & 0xFFFF;
        } else if (field.type == EvtVarTypeUInt32) {
          v->UInt32Val = (uint32_t)field.number;
        } else {
          v->UInt64Val = field.number;
        }
      }
      at += extra;
    }
  }
  return at;
}

SIM_EXPORT BOOL WINAPI EvtRender(EVT_HANDLE Context, EVT_HANDLE Fragment, DWORD Flags, DWORD BufferSize, PVOID Buffer,
                                 PDWORD BufferUsed, PDWORD PropertyCount) {
  if (!BufferUsed || !PropertyCount) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, FALSE);
  size_t chars;
  WCHAR bookmark[256];
  SimEvtHandle *h = as_handle(Fragment, 0);
  if (Flags == EvtRenderEventValues) {
    SimEvtHandle *context = as_handle(Context, H_RENDER_CONTEXT);
    if (!context || !h || h->kind != H_EVENT) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
    /* A file's records are kept as their XML, the Application log's as ReportEventW's strings: their values are not simulated. */
    if (h->channel == CHANNEL_FILE || h->channel == CHANNEL_APPLICATION) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, FALSE);
    size_t needed = render_values(context, h, (BYTE *)Buffer, Buffer == NULL ? 0 : BufferSize);
    *BufferUsed = (DWORD)needed;
    *PropertyCount = context->pathCount;
    if (Buffer == NULL || BufferSize < needed) FAIL_WITH(SIM_ERROR_INSUFFICIENT_BUFFER, FALSE);
    return TRUE;
  }
  if (Flags == EvtRenderEventXml) {
    if (Context != NULL) FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, FALSE);
    if (!h || h->kind != H_EVENT) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
    /* One pass: what fits is written, all of it counted (a buffer too small gets a failure whatever it holds). */
    chars = render_event_xml(h, (WCHAR *)Buffer, Buffer == NULL ? 0 : BufferSize / sizeof(WCHAR));
  } else if (Flags == EvtRenderBookmark) {
    if (!h || h->kind != H_BOOKMARK) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
    swprintf(bookmark, 256, L"<BookmarkList><Bookmark Channel='%ls' RecordId='%llu' IsCurrent='true'/></BookmarkList>", channel_name(h->channel),
             (unsigned long long)h->bookmarkRecordId);
    chars = wcslen(bookmark);
  } else {
    FAIL_WITH(SIM_ERROR_INVALID_PARAMETER, FALSE);
  }
  DWORD needed = (DWORD)((chars + 1) * sizeof(WCHAR));
  *BufferUsed = needed;
  *PropertyCount = 0;
  if (Buffer == NULL || BufferSize < needed) FAIL_WITH(SIM_ERROR_INSUFFICIENT_BUFFER, FALSE);
  WCHAR *out = (WCHAR *)Buffer;
  if (Flags == EvtRenderBookmark) memcpy(out, bookmark, chars * sizeof(WCHAR));
  out[chars] = 0;
  return TRUE;
}

SIM_EXPORT BOOL WINAPI EvtClose(EVT_HANDLE Object) {
  SimEvtHandle *h = as_handle(Object, 0);
  if (!h || h == &g_localSession) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
  sim_lock();
  h->magic = 0;
  g_evtOpenHandles--;
  if (h->kind == H_SUBSCRIPTION) {
    for (SimEvtHandle **link = &g_subscriptions; *link; link = &(*link)->nextSubscription) {
      if (*link == h) { *link = h->nextSubscription; break; }
    }
  }
  sim_unlock();
#ifdef _WIN32
  if (h->kind == H_SUBSCRIPTION && h->signalEvent) CloseHandle(h->signalEvent);
#endif
  free(h->snapshot);
  if (h->kind == H_EVENT && h->channel == CHANNEL_APPLICATION) free(h->app.strings);
  if (h->kind == H_QUERY && h->channel == CHANNEL_FILE) sim_evtx_free(&h->file);
  free(h->xml);
  free(h->paths);
  memset(&h->login, 0, sizeof h->login); /* no password left in freed memory */
  free(h);
  return TRUE;
}

/* ---- kernel32 event objects (off Windows only) -------------------------------------------- */
#ifndef _WIN32
#define WAIT_OBJECT_0 0u
#define WAIT_TIMEOUT 258u
#define WAIT_FAILED 0xFFFFFFFFu

SIM_EXPORT HANDLE WINAPI CreateEventW(PVOID attributes, BOOL manualReset, BOOL initialState, LPCWSTR name) {
  (void)attributes; (void)name;
  if (!manualReset) FAIL_WITH(SIM_ERROR_NOT_SUPPORTED, NULL); /* the console uses manual-reset events */
  SimEvtHandle *h = new_handle(H_SIGNAL);
  if (!h) FAIL_WITH(8, NULL);
  sim_lock();
  h->sig.set = initialState ? 1 : 0;
  h->sig.seenGeneration = sim_log_generation_locked();
  sim_unlock();
  return h;
}

SIM_EXPORT BOOL WINAPI ResetEvent(HANDLE hEvent) {
  SimEvtHandle *h = as_handle(hEvent, H_SIGNAL);
  if (!h) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, FALSE);
  sim_lock(); h->sig.set = 0; h->sig.seenGeneration = sim_log_generation_locked(); sim_unlock();
  return TRUE;
}

/*
 * Set once any server's log has grown since the last reset (the simulator's stand-in for the
 * Event Log service signalling a subscriber); the caller then asks EvtNext, which may find that
 * nothing matched. Records that become visible later (a logoff still completing) are found by the
 * caller's next EvtNext after a timed-out wait.
 */
SIM_EXPORT DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds) {
  SimEvtHandle *h = as_handle(hHandle, H_SIGNAL);
  if (!h) FAIL_WITH(SIM_ERROR_INVALID_HANDLE, WAIT_FAILED);
  int64_t deadline = sim_now_ms() + dwMilliseconds;
  sim_lock();
  for (;;) {
    sim_generate_all_background_locked();
    if (sim_log_generation_locked() != h->sig.seenGeneration) h->sig.set = 1;
    if (h->sig.set) { sim_unlock(); return WAIT_OBJECT_0; }
    int64_t left = deadline - sim_now_ms();
    if (left <= 0) { sim_unlock(); return WAIT_TIMEOUT; }
    /* Woken as soon as a log grows; every 20 ms at most, for the background events that time brings. */
    sim_log_wait_locked(left < 20 ? left : 20);
  }
}

SIM_EXPORT BOOL WINAPI CloseHandle(HANDLE hObject) { return EvtClose(hObject); }
#endif

/* Control: how many wevtapi / event-object handles are open (for leak tests). */
SIM_EXPORT int64_t WtsSimEvtOpenHandles(void) {
  sim_lock(); int64_t n = g_evtOpenHandles; sim_unlock();
  return n;
}
