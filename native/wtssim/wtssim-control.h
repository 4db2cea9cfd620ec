/*
 * The simulator's control API types: what a test or the bench passes to WtsSim* functions.
 * Plain C types only, so that any C program (the bench's peer) can include it beside
 * wtssim-sdk.h. The TypeScript side lays these out with the same struct machinery as
 * the SDK structs, and the layout test compares them with this compiler's offsetof().
 */
#ifndef WTSSIM_CONTROL_H
#define WTSSIM_CONTROL_H

#include <stdint.h>
#include <wchar.h>

#define WTSSIM_WINSTATION_CHARS 33 /* WINSTATIONNAME_LENGTH + 1 */
#define WTSSIM_USER_CHARS 21       /* USERNAME_LENGTH + 1 */
#define WTSSIM_DOMAIN_CHARS 18     /* DOMAIN_LENGTH + 1 */
#define WTSSIM_SID_CHARS 64
#define WTSSIM_CLIENT_CHARS 21     /* CLIENTNAME_LENGTH + 1 */

/* One session as a farm file describes it: WtsSimAddSession's argument. Strings are NUL-terminated within their arrays. */
typedef struct WtsSimSessionSpec {
  uint32_t Id;
  uint32_t State;              /* WTS_CONNECTSTATE_CLASS */
  uint32_t AddressFamily;      /* AF_INET, AF_INET6, or 0 */
  uint32_t Protocol;           /* WTSClientProtocolType: 0 console, 2 RDP */
  int32_t MessageAnswer;       /* IDOK, IDCANCEL, or 0: no answer until the timeout */
  uint32_t LogonType;          /* for the 4634 its logoff writes */
  int32_t VanishBeforeAction;  /* the session ends just before an action reaches it */
  uint32_t ClientBuild;        /* WTSCLIENTW.ClientBuildNumber */
  uint32_t HRes, VRes;         /* the client's display, in pixels */
  uint32_t ColorDepth;         /* WTS_CLIENT_DISPLAY.ColorDepth code: 1, 2, 4, 8, 16, 24 or 32 */
  uint32_t EncryptionLevel;    /* WTSCLIENTW.EncryptionLevel */
  int64_t LogonTime, ConnectTime, DisconnectTime, LastInputTime; /* FILETIMEs */
  uint64_t LogonId;
  uint8_t Address[20];         /* WTS_CLIENT_ADDRESS.Address */
  wchar_t WinStation[WTSSIM_WINSTATION_CHARS];
  wchar_t User[WTSSIM_USER_CHARS];
  wchar_t Domain[WTSSIM_DOMAIN_CHARS];
  wchar_t UserSid[WTSSIM_SID_CHARS];
  wchar_t ClientName[WTSSIM_CLIENT_CHARS];
} WtsSimSessionSpec;

#define WTSSIM_EVENT_TEXT_CHARS 64 /* a seeded record's SID, user, domain and client address */
#define WTSSIM_EVENT_NAME_CHARS 33 /* its session and client names */

/*
 * One record of a farm's seeded history: WtsSimAppendSeededEvents's array element. Log 0 is the
 * Security log (4634 and 4647 as WtsSimAppendEvent writes them; 4624, 4778 and 4779 as
 * WtsSimAppendSessionEvent does), 1 the LocalSessionManager Operational log (21, 23, 24, 25, as
 * WtsSimAppendLsmEvent does). Strings are NUL-terminated within their arrays.
 */
typedef struct WtsSimSeededEvent {
  uint32_t Log;
  uint32_t EventId;
  int64_t TimeCreated;         /* FILETIME */
  uint64_t LogonId;
  uint32_t LogonType;
  uint32_t SessionId;          /* LocalSessionManager records */
  wchar_t UserSid[WTSSIM_EVENT_TEXT_CHARS];
  wchar_t User[WTSSIM_EVENT_TEXT_CHARS];
  wchar_t Domain[WTSSIM_EVENT_TEXT_CHARS];
  wchar_t SessionName[WTSSIM_EVENT_NAME_CHARS];
  wchar_t ClientName[WTSSIM_EVENT_NAME_CHARS];
  wchar_t ClientAddress[WTSSIM_EVENT_TEXT_CHARS];
} WtsSimSeededEvent;

#endif
