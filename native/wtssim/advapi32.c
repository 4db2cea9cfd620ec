/*
 * advapi32.c: the event-logging part of advapi32 the console calls (RegisterEventSourceW,
 * ReportEventW, DeregisterEventSource), over this computer's Application log, which wevtapi.c
 * reads back through EvtQuery on the "Application" channel, as Windows' Event Log service does.
 *
 * As on Windows: a source needs no registration to write (the Event Viewer then lacks its message
 * text); each insertion string is limited to 31,839 characters; the strings are copied; a bad
 * handle fails with ERROR_INVALID_HANDLE. Only this computer's log is simulated: a remote
 * lpUNCServerName fails with ERROR_NOT_SUPPORTED rather than pretending to reach one.
 */
/* windows.h declares these functions as imported from advapi32.dll; here they are defined and exported. */
#define WINADVAPI
#include "wtssim.h"

#include <stdlib.h>
#include <string.h>

#define EVENTLOG_MAGIC 0x474f4c45u /* "ELOG" */
#define MAX_INSERTION_CHARS 31839
#define APP_LOG_CAP 65536

typedef struct { uint32_t magic; WCHAR source[256]; } SimEventSource;

static SimAppRecord *g_appLog; /* ring of the newest APP_LOG_CAP records */
static size_t g_appStart, g_appCount;
static uint64_t g_appNextRecordId = 1;
static DWORD g_reportFailure; /* nonzero: ReportEventW fails with this code (a full log, say) */

void sim_app_set_report_failure_locked(DWORD code) { g_reportFailure = code; }

size_t sim_app_count_locked(void) { return g_appCount; }
const SimAppRecord *sim_app_at_locked(size_t index) { return &g_appLog[(g_appStart + index) % APP_LOG_CAP]; }

void sim_app_reset_locked(void) {
  for (size_t i = 0; i < g_appCount; i++) free(g_appLog[(g_appStart + i) % APP_LOG_CAP].strings);
  free(g_appLog);
  g_appLog = NULL;
  g_appStart = g_appCount = 0;
  g_appNextRecordId = 1;
  g_reportFailure = 0;
}

static int append_locked(SimAppRecord *record) {
  if (!g_appLog) {
    g_appLog = (SimAppRecord *)calloc(APP_LOG_CAP, sizeof(SimAppRecord));
    if (!g_appLog) return 0;
  }
  size_t slot;
  if (g_appCount < APP_LOG_CAP) {
    slot = (g_appStart + g_appCount) % APP_LOG_CAP;
    g_appCount++;
  } else { /* the log rolls over, as a full Application log set to overwrite does */
    slot = g_appStart;
    free(g_appLog[slot].strings);
    g_appStart = (g_appStart + 1) % APP_LOG_CAP;
  }
  record->recordId = g_appNextRecordId++;
  g_appLog[slot] = *record;
  return 1;
}

SIM_EXPORT HANDLE WINAPI RegisterEventSourceW(LPCWSTR lpUNCServerName, LPCWSTR lpSourceName) {
  if (lpUNCServerName != NULL && lpUNCServerName[0] != 0) { sim_set_last_error(SIM_ERROR_NOT_SUPPORTED); return NULL; }
  if (lpSourceName == NULL || lpSourceName[0] == 0) { sim_set_last_error(SIM_ERROR_INVALID_PARAMETER); return NULL; }
  SimEventSource *source = (SimEventSource *)calloc(1, sizeof(SimEventSource));
  if (!source) { sim_set_last_error(8 /* ERROR_NOT_ENOUGH_MEMORY */); return NULL; }
  source->magic = EVENTLOG_MAGIC;
  sim_wcopy(source->source, 256, lpSourceName);
  return source;
}

SIM_EXPORT BOOL WINAPI DeregisterEventSource(HANDLE hEventLog) {
  SimEventSource *source = (SimEventSource *)hEventLog;
  if (!source || source->magic != EVENTLOG_MAGIC) { sim_set_last_error(SIM_ERROR_INVALID_HANDLE); return FALSE; }
  source->magic = 0;
  free(source);
  return TRUE;
}

SIM_EXPORT BOOL WINAPI ReportEventW(HANDLE hEventLog, WORD wType, WORD wCategory, DWORD dwEventID, PVOID lpUserSid, WORD wNumStrings,
                                    DWORD dwDataSize, LPCWSTR *lpStrings, PVOID lpRawData) {
  (void)lpUserSid;
  const SimEventSource *source = (const SimEventSource *)hEventLog;
  if (!source || source->magic != EVENTLOG_MAGIC) { sim_set_last_error(SIM_ERROR_INVALID_HANDLE); return FALSE; }
  if ((wNumStrings > 0 && lpStrings == NULL) || (dwDataSize > 0 && lpRawData == NULL)) { sim_set_last_error(SIM_ERROR_INVALID_PARAMETER); return FALSE; }
  if (wType != EVENTLOG_SUCCESS && wType != EVENTLOG_ERROR_TYPE && wType != EVENTLOG_WARNING_TYPE && wType != EVENTLOG_INFORMATION_TYPE
      && wType != EVENTLOG_AUDIT_SUCCESS && wType != EVENTLOG_AUDIT_FAILURE) { sim_set_last_error(SIM_ERROR_INVALID_PARAMETER); return FALSE; }
  size_t total = 0;
  for (WORD i = 0; i < wNumStrings; i++) {
    if (lpStrings[i] == NULL) { sim_set_last_error(SIM_ERROR_INVALID_PARAMETER); return FALSE; }
    size_t n = wcslen(lpStrings[i]);
    if (n > MAX_INSERTION_CHARS) { sim_set_last_error(SIM_ERROR_INVALID_PARAMETER); return FALSE; }
    total += n + 1;
  }
  SimAppRecord record;
  memset(&record, 0, sizeof record);
  record.eventId = dwEventID;
  record.eventType = wType;
  record.category = wCategory;
  sim_wcopy(record.provider, 256, source->source);
  record.stringCount = wNumStrings;
  record.stringChars = total;
  record.strings = (WCHAR *)malloc((total ? total : 1) * sizeof(WCHAR));
  if (!record.strings) { sim_set_last_error(8); return FALSE; }
  WCHAR *cursor = record.strings;
  for (WORD i = 0; i < wNumStrings; i++) {
    size_t n = wcslen(lpStrings[i]);
    memcpy(cursor, lpStrings[i], (n + 1) * sizeof(WCHAR));
    cursor += n + 1;
  }
  sim_lock();
  DWORD failure = g_reportFailure;
  record.timeCreated = sim_now_filetime();
  int ok = failure == 0 && append_locked(&record);
  sim_unlock();
  if (!ok) { free(record.strings); sim_set_last_error(failure ? failure : 8); return FALSE; }
  return TRUE;
}
