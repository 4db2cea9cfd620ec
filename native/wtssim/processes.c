/*
 * processes.c: the processes of the farm's sessions, behind WTSEnumerateProcessesExW (level 1)
 * and WTSTerminateProcess.
 *
 * Each session runs what a Windows session host runs in it: session 0 the services (smss,
 * csrss, wininit, services, lsass, svchost under SYSTEM, LOCAL SERVICE and NETWORK SERVICE); a
 * logged-on session its csrss and winlogon (SYSTEM), fontdrvhost (UMFD-n) and dwm (DWM-n), then
 * the user's shell (sihost, svchost, taskhostw, explorer, ctfmon, rdpclip over RDP) and one to
 * four applications chosen by its Logon ID; a session at the logon screen its csrss, winlogon,
 * fontdrvhost, dwm and LogonUI. Listeners and sessions that are down run nothing.
 *
 * A session's processes have ids 4 * (pidBase + slot): a new logon gets a fresh pidBase, so a
 * process id is never that of an earlier logon's process. CPU times grow with the session's age
 * (services': the server's, from ten minutes before its oldest logon) and memory moves every few
 * seconds, by the simulator's clock.
 *
 * As on Windows: the array and everything it points to (names, binary SIDs) is one allocation,
 * freed with WTSFreeMemoryExW(WTSTypeProcessInfoLevel1, p, count); ending a process that does
 * not exist fails with ERROR_INVALID_PARAMETER (what opening a process id that is not in use
 * gives), ending a critical system process with ERROR_ACCESS_DENIED. Level 0 is not modelled:
 * the console never asks for it, so asking fails with ERROR_NOT_SUPPORTED rather than answering
 * something untested. The legacy build (a server before the Ex functions) lacks the export.
 */
#include "wtssim-farm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum Owner { OWNER_SYSTEM, OWNER_LOCAL_SERVICE, OWNER_NETWORK_SERVICE, OWNER_USER, OWNER_DWM, OWNER_UMFD };

typedef struct {
  const WCHAR *name;
  int owner;
  DWORD threads, handles;
  DWORD workingSetKb;
  DWORD cpuPerMille; /* share of the session's age spent in user mode, in thousandths */
  int critical;      /* ending it would bring the session (or the server) down: access denied */
} ProcessKind;

static const ProcessKind SERVICES[] = {
  { L"smss.exe", OWNER_SYSTEM, 2, 53, 1200, 0, 1 },
  { L"csrss.exe", OWNER_SYSTEM, 12, 640, 5200, 1, 1 },
  { L"wininit.exe", OWNER_SYSTEM, 1, 160, 6800, 0, 1 },
  { L"services.exe", OWNER_SYSTEM, 9, 720, 10400, 2, 1 },
  { L"lsass.exe", OWNER_SYSTEM, 10, 1650, 24000, 3, 1 },
  { L"svchost.exe", OWNER_SYSTEM, 24, 1900, 38000, 4, 0 },
  { L"svchost.exe", OWNER_LOCAL_SERVICE, 18, 820, 21000, 2, 0 },
  { L"svchost.exe", OWNER_NETWORK_SERVICE, 14, 760, 19000, 2, 0 },
  { L"spoolsv.exe", OWNER_SYSTEM, 11, 520, 15000, 0, 0 },
  { L"svchost.exe", OWNER_NETWORK_SERVICE, 30, 1400, 42000, 6, 0 }, /* TermService */
};

static const ProcessKind LOGON_SCREEN[] = {
  { L"csrss.exe", OWNER_SYSTEM, 11, 480, 4800, 1, 1 },
  { L"winlogon.exe", OWNER_SYSTEM, 5, 260, 9800, 0, 1 },
  { L"fontdrvhost.exe", OWNER_UMFD, 5, 40, 3400, 0, 0 },
  { L"dwm.exe", OWNER_DWM, 14, 820, 52000, 8, 0 },
  { L"LogonUI.exe", OWNER_SYSTEM, 12, 700, 48000, 3, 0 },
};

/* The first ten run in every logged-on session (rdpclip only over RDP); then the applications. */
#define USER_SHELL 10
static const ProcessKind USER_SESSION[] = {
  { L"csrss.exe", OWNER_SYSTEM, 11, 480, 4800, 1, 1 },
  { L"winlogon.exe", OWNER_SYSTEM, 5, 260, 9800, 0, 1 },
  { L"fontdrvhost.exe", OWNER_UMFD, 5, 40, 3400, 0, 0 },
  { L"dwm.exe", OWNER_DWM, 14, 820, 52000, 8, 0 },
  { L"sihost.exe", OWNER_USER, 11, 560, 26000, 1, 0 },
  { L"svchost.exe", OWNER_USER, 9, 410, 18000, 1, 0 },
  { L"taskhostw.exe", OWNER_USER, 8, 330, 14000, 1, 0 },
  { L"explorer.exe", OWNER_USER, 68, 2900, 96000, 6, 0 },
  { L"ctfmon.exe", OWNER_USER, 10, 420, 12000, 0, 0 },
  { L"rdpclip.exe", OWNER_USER, 9, 290, 9200, 0, 0 },
  { L"OUTLOOK.EXE", OWNER_USER, 52, 3100, 210000, 9, 0 },
  { L"msedge.exe", OWNER_USER, 38, 1700, 180000, 12, 0 },
  { L"WINWORD.EXE", OWNER_USER, 27, 1200, 150000, 4, 0 },
  { L"EXCEL.EXE", OWNER_USER, 24, 1100, 140000, 5, 0 },
  { L"Teams.exe", OWNER_USER, 45, 1500, 260000, 11, 0 },
  { L"notepad.exe", OWNER_USER, 4, 230, 14000, 0, 0 },
  { L"AcroRd32.exe", OWNER_USER, 20, 800, 90000, 2, 0 },
  { L"POWERPNT.EXE", OWNER_USER, 26, 1150, 160000, 3, 0 },
};
#define USER_APPS (sizeof USER_SESSION / sizeof USER_SESSION[0] - USER_SHELL)

typedef struct { const ProcessKind *kind; DWORD slot; } SimProcess;

/* The processes a session runs now, in order; returns how many (at most 32). */
static size_t session_processes(const SimSession *ss, SimProcess out[32]) {
  size_t n = 0;
  const ProcessKind *table = NULL;
  size_t count = 0;
  if (ss->state == WTSListen || ss->state == WTSDown) return 0;
  if (ss->id == 0) { table = SERVICES; count = sizeof SERVICES / sizeof SERVICES[0]; }
  else if (!ss->user[0]) { table = LOGON_SCREEN; count = sizeof LOGON_SCREEN / sizeof LOGON_SCREEN[0]; }
  if (table) {
    for (size_t i = 0; i < count; i++) if (!(ss->endedProcesses & (1u << i))) out[n++] = (SimProcess){ &table[i], (DWORD)i };
    return n;
  }
  size_t apps = 1 + (size_t)(ss->logonId % 4), first = (size_t)((ss->logonId / 4) % USER_APPS);
  for (size_t i = 0; i < sizeof USER_SESSION / sizeof USER_SESSION[0]; i++) {
    if (i == 9 && ss->protocol != 2) continue; /* rdpclip serves an RDP client's clipboard */
    if (i >= USER_SHELL && (i - USER_SHELL + USER_APPS - first) % USER_APPS >= apps) continue;
    if (ss->endedProcesses & (1u << i)) continue;
    out[n++] = (SimProcess){ &USER_SESSION[i], (DWORD)i };
  }
  return n;
}

static DWORD process_id(const SimSession *ss, DWORD slot) { return 4u * (ss->pidBase + slot); }

#ifndef WTSSIM_NO_EX_EXPORTS
static void owner_sid(const SimSession *ss, int owner, WCHAR *text, size_t cap) {
  char buf[64];
  switch (owner) {
    case OWNER_SYSTEM: snprintf(buf, sizeof buf, "S-1-5-18"); break;
    case OWNER_LOCAL_SERVICE: snprintf(buf, sizeof buf, "S-1-5-19"); break;
    case OWNER_NETWORK_SERVICE: snprintf(buf, sizeof buf, "S-1-5-20"); break;
    case OWNER_DWM: snprintf(buf, sizeof buf, "S-1-5-90-0-%u", (unsigned)ss->id); break;
    case OWNER_UMFD: snprintf(buf, sizeof buf, "S-1-5-96-0-%u", (unsigned)ss->id); break;
    default: sim_wcopy(text, cap, ss->userSid); return;
  }
  size_t i = 0;
  for (; buf[i] && i + 1 < cap; i++) text[i] = (WCHAR)buf[i];
  text[i] = 0;
}

/* What the process reports now: CPU times grow with the session's age, memory moves every 5 s. */
static void fill_counters(WTS_PROCESS_INFO_EXW *p, const SimSession *ss, const ProcessKind *k, int64_t nowFiletime, int64_t bootFiletime) {
  /* A session without a logon (services, the logon screen) has run since the server started. */
  int64_t started = ss->logonTime > 0 ? ss->logonTime : bootFiletime;
  int64_t age = nowFiletime > started ? nowFiletime - started : 0;
  uint64_t wave = (uint64_t)(nowFiletime / 50000000) + p->ProcessId; /* changes every 5 s, differently per process */
  DWORD ws = k->workingSetKb * 1024u;
  DWORD swing = ws / 4;
  p->NumberOfThreads = k->threads + (DWORD)(wave % 3);
  p->HandleCount = k->handles + (DWORD)(wave % 17);
  p->WorkingSetSize = ws + (DWORD)((uint64_t)swing * (wave % 16) / 16);
  p->PeakWorkingSetSize = ws + swing;
  p->PagefileUsage = p->WorkingSetSize / 10 * 6;
  p->PeakPagefileUsage = p->PeakWorkingSetSize / 10 * 6;
  p->UserTime.QuadPart = age / 1000 * (int64_t)k->cpuPerMille;
  p->KernelTime.QuadPart = p->UserTime.QuadPart / 3 + age / 100000;
}

SIM_EXPORT BOOL WINAPI WTSEnumerateProcessesExW(HANDLE hServer, DWORD *pLevel, DWORD SessionId, LPWSTR *ppProcessInfo, DWORD *pCount) {
  SimServerRef ref;
  int server;
  if (!pLevel || !ppProcessInfo || !pCount) { sim_count_call(FN_ENUMERATE_PROCESSES_EX); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  if (*pLevel == 0) { sim_count_call(FN_ENUMERATE_PROCESSES_EX); FAIL(SIM_ERROR_NOT_SUPPORTED); }
  if (*pLevel != WTS_PROCESS_INFO_LEVEL_1) { sim_count_call(FN_ENUMERATE_PROCESSES_EX); FAIL(SIM_ERROR_INVALID_PARAMETER); }
  DWORD err = sim_enter(FN_ENUMERATE_PROCESSES_EX, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimServer *s = &g_servers[server];
  int64_t now = sim_now_ms();
  compact_sessions_locked(s, now);
  /* Two passes over the same locked state: count and size, then fill one block. */
  size_t n = 0, chars = 0, sidBytes = 0;
  SimProcess procs[32];
  for (size_t i = 0; i < s->sessionCount; i++) {
    const SimSession *ss = &s->sessions[i];
    if (!sim_session_alive(ss, now) || (SessionId != WTS_ANY_SESSION && ss->id != SessionId)) continue;
    size_t k = session_processes(ss, procs);
    n += k;
    for (size_t j = 0; j < k; j++) chars += sim_wlen(procs[j].kind->name) + 1;
    sidBytes += k * 68;
  }
  size_t arrayBytes = n * sizeof(WTS_PROCESS_INFO_EXW);
  size_t stringBytes = (chars * sizeof(WCHAR) + 7) & ~(size_t)7;
  BYTE *block = (BYTE *)sim_alloc(arrayBytes + stringBytes + sidBytes + 8, ALLOC_FREE_MEMORY_EX_PROCESS1, n);
  if (!block) { sim_unlock(); FAIL(8); }
  WTS_PROCESS_INFO_EXW *arr = (WTS_PROCESS_INFO_EXW *)block;
  WCHAR *names = (WCHAR *)(block + arrayBytes);
  BYTE *sids = block + arrayBytes + stringBytes;
  int64_t nowFiletime = sim_now_filetime();
  /* The server started before its first logon: ten minutes before the oldest one, or an hour ago. */
  int64_t bootFiletime = nowFiletime - 3600ll * 10000000;
  for (size_t i = 0; i < s->sessionCount; i++)
    if (s->sessions[i].logonTime > 0 && s->sessions[i].logonTime - 6000000000ll < bootFiletime) bootFiletime = s->sessions[i].logonTime - 6000000000ll;
  size_t at = 0;
  for (size_t i = 0; i < s->sessionCount; i++) {
    const SimSession *ss = &s->sessions[i];
    if (!sim_session_alive(ss, now) || (SessionId != WTS_ANY_SESSION && ss->id != SessionId)) continue;
    size_t k = session_processes(ss, procs);
    for (size_t j = 0; j < k; j++, at++) {
      WTS_PROCESS_INFO_EXW *p = &arr[at];
      p->SessionId = ss->id;
      p->ProcessId = process_id(ss, procs[j].slot);
      size_t len = sim_wlen(procs[j].kind->name);
      memcpy(names, procs[j].kind->name, (len + 1) * sizeof(WCHAR));
      p->pProcessName = names;
      names += len + 1;
      WCHAR sidText[64];
      owner_sid(ss, procs[j].kind->owner, sidText, 64);
      size_t sidLength = sim_sid_from_text(sidText, sids);
      p->pUserSid = sidLength ? (PSID)sids : NULL;
      sids += sidLength;
      fill_counters(p, ss, procs[j].kind, nowFiletime, bootFiletime);
    }
  }
  sim_unlock();
  *ppProcessInfo = (LPWSTR)block;
  *pCount = (DWORD)n;
  return TRUE;
}
#endif

SIM_EXPORT BOOL WINAPI WTSTerminateProcess(HANDLE hServer, DWORD ProcessId, DWORD ExitCode) {
  SimServerRef ref;
  int server;
  (void)ExitCode;
  DWORD err = sim_enter(FN_TERMINATE_PROCESS, hServer, &ref);
  if (err) FAIL(err);
  sim_lock();
  server = sim_server_locked(ref);
  if (server < 0) { sim_unlock(); FAIL(SIM_RPC_S_CALL_FAILED); }
  SimServer *s = &g_servers[server];
  int64_t now = sim_now_ms();
  SimProcess procs[32];
  for (size_t i = 0; i < s->sessionCount; i++) {
    SimSession *ss = &s->sessions[i];
    if (!sim_session_alive(ss, now)) continue;
    size_t k = session_processes(ss, procs);
    for (size_t j = 0; j < k; j++) {
      if (process_id(ss, procs[j].slot) != ProcessId) continue;
      if (procs[j].kind->critical) { sim_unlock(); FAIL(SIM_ERROR_ACCESS_DENIED); }
      record_action_locked(FN_TERMINATE_PROCESS, server, ss);
      if (g_actionLog) g_actionLog[(g_actionTotal - 1) % ACTION_LOG_CAP].processId = ProcessId;
      ss->endedProcesses |= 1u << procs[j].slot;
      sim_unlock();
      return TRUE;
    }
  }
  sim_unlock();
  FAIL(SIM_ERROR_INVALID_PARAMETER);
}
