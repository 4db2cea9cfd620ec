/*
 * The bench's C peer: the same wtsapi32 calls the TypeScript refresh makes, on the same simulator
 * library, so that the difference between the two is the cost of the FFI layer and of building
 * JavaScript objects. It takes the SDK declarations from the same header the simulator implements.
 *
 * usage: ffi-peer <sessions> <runs>   prints one line of JSON: {"runsMs":[...], "calls":N}
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include "../wtssim/wtssim-sdk.h"
#include "../wtssim/wtssim-control.h"

/* Simulator control, used only to build the farm before timing starts. */
void WtsSimReset(void);
int WtsSimAddServer(LPCWSTR, LPCWSTR, int, int64_t, int64_t, int64_t);
int WtsSimAddSession(LPCWSTR, const WtsSimSessionSpec *);

/* What one session becomes: the fields the console shows. */
typedef struct {
  DWORD id; int state; WCHAR name[33]; WCHAR user[64]; WCHAR domain[64]; WCHAR client[21];
  DWORD family; BYTE address[20]; USHORT protocol; int64_t logon, connect, disconnect, input, now;
} Row;

static double now_ms(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6; }

static long refresh(Row *rows, DWORD *count) {
  long calls = 0;
  HANDLE server = WTSOpenServerExW(L"BENCH");
  DWORD level = 1, n = 0;
  WTS_SESSION_INFO_1W *list = NULL;
  calls++;
  if (!WTSEnumerateSessionsExW(server, &level, 0, &list, &n)) { fprintf(stderr, "enumerate failed\n"); exit(1); }
  for (DWORD i = 0; i < n; i++) {
    Row *row = &rows[i];
    LPWSTR buffer; DWORD bytes;
    calls++;
    if (!WTSQuerySessionInformationW(server, list[i].SessionId, WTSSessionInfo, &buffer, &bytes)) continue;
    WTSINFOW *info = (WTSINFOW *)buffer;
    row->id = list[i].SessionId; row->state = list[i].State;
    wcsncpy(row->name, list[i].pSessionName, 32);
    wcsncpy(row->user, list[i].pUserName ? list[i].pUserName : info->UserName, 63);
    wcsncpy(row->domain, list[i].pDomainName ? list[i].pDomainName : info->Domain, 63);
    row->logon = info->LogonTime.QuadPart; row->connect = info->ConnectTime.QuadPart;
    row->disconnect = info->DisconnectTime.QuadPart; row->input = info->LastInputTime.QuadPart; row->now = info->CurrentTime.QuadPart;
    WTSFreeMemory(buffer);
    if (!list[i].pUserName || !list[i].pUserName[0]) continue;
    /* The client in one WTSClientInfo; the protocol type only when the WinStation name does not tell it. */
    calls++;
    if (WTSQuerySessionInformationW(server, row->id, WTSClientInfo, &buffer, &bytes)) {
      WTSCLIENTW *client = (WTSCLIENTW *)buffer;
      wcsncpy(row->client, client->ClientName, 20);
      row->family = client->ClientAddressFamily;
      memcpy(row->address, client->ClientAddress, sizeof row->address);
      WTSFreeMemory(buffer);
    }
    if (wcsncmp(row->name, L"RDP-", 4) == 0) row->protocol = 2;
    else if (wcscmp(row->name, L"Console") == 0) row->protocol = 0;
    else {
      calls++;
      if (WTSQuerySessionInformationW(server, row->id, WTSClientProtocolType, &buffer, &bytes)) { row->protocol = *(USHORT *)buffer; WTSFreeMemory(buffer); }
    }
  }
  WTSFreeMemoryExW(WTSTypeSessionInfoLevel1, list, n);
  WTSCloseServer(server);
  *count = n;
  return calls;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: ffi-peer <sessions> <runs>\n"); return 2; }
  int sessions = atoi(argv[1]), runs = atoi(argv[2]);
  WtsSimReset();
  WtsSimAddServer(L"BENCH", L"", 0, 0, 0, 0);
  BYTE address[20] = { 0, 0, 10, 1, 0, 0 };
  const int64_t hour = 36000000000ll, base = 133800000000000000ll;
  for (int i = 0; i < sessions; i++) {
    WCHAR user[21], station[33], client[21];
    swprintf(user, 21, L"user%05d", i); swprintf(station, 33, L"RDP-Tcp#%d", i + 1); swprintf(client, 21, L"PC-%05d", i);
    address[4] = (BYTE)(i >> 8); address[5] = (BYTE)i;
    WtsSimSessionSpec spec = { .Id = (uint32_t)(i + 1), .State = 0, .AddressFamily = 2, .Protocol = 2, .MessageAnswer = 1, .LogonType = 10,
      .LogonTime = base, .ConnectTime = base, .DisconnectTime = 0, .LastInputTime = base + hour, .LogonId = 0x100000ull + (uint64_t)i };
    memcpy(spec.Address, address, sizeof spec.Address);
    wcsncpy(spec.WinStation, station, WTSSIM_WINSTATION_CHARS - 1); wcsncpy(spec.User, user, WTSSIM_USER_CHARS - 1);
    wcsncpy(spec.Domain, L"CONTOSO", WTSSIM_DOMAIN_CHARS - 1); wcsncpy(spec.UserSid, L"S-1-5-21-1-2-3-1000", WTSSIM_SID_CHARS - 1);
    wcsncpy(spec.ClientName, client, WTSSIM_CLIENT_CHARS - 1);
    WtsSimAddSession(L"BENCH", &spec);
  }
  Row *rows = calloc((size_t)sessions, sizeof(Row));
  DWORD count = 0;
  long calls = refresh(rows, &count); /* warm-up */
  if ((int)count != sessions) { fprintf(stderr, "expected %d sessions, enumerated %u\n", sessions, count); return 1; }
  printf("{\"calls\":%ld,\"runsMs\":[", calls);
  for (int r = 0; r < runs; r++) {
    double start = now_ms();
    refresh(rows, &count);
    printf("%s%.3f", r ? "," : "", now_ms() - start);
  }
  printf("]}\n");
  free(rows);
  return 0;
}
