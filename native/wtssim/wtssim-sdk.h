/*
 * The Windows SDK declarations the simulator implements, as a Windows program gets them from
 * windows.h and wtsapi32.h: base types (from windows.h on Windows), the wtsapi32 structs,
 * constants and function prototypes. The simulator and the bench's C peer both include it, so
 * there is one copy of each layout.
 */
#ifndef WTSSIM_SDK_H
#define WTSSIM_SDK_H

#include <stdint.h>
#include <stddef.h>
#include <wchar.h>

#ifdef _WIN32
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wincred.h>
#else
typedef wchar_t WCHAR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef uint32_t DWORD;
typedef DWORD *PDWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint16_t USHORT;
typedef uint16_t WORD;
typedef uint8_t BYTE;
typedef int BOOL;
typedef void *HANDLE;
typedef void *PVOID;
typedef int64_t LONGLONG;
typedef union { struct { uint32_t LowPart; int32_t HighPart; } u; LONGLONG QuadPart; } LARGE_INTEGER;
typedef void *PSID;
#define TRUE 1
#define FALSE 0
#define WINAPI
#endif


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

#define CLIENTNAME_LENGTH 20
#define CLIENTADDRESS_LENGTH 30
#ifndef MAX_PATH
#define MAX_PATH 260
#endif
/* WTSClientInfo's answer. ClientAddress holds an IPv4 address as text ("10.0.0.5"), IPv6 as its 16 bytes. */
typedef struct _WTSCLIENTW {
  WCHAR ClientName[CLIENTNAME_LENGTH + 1];
  WCHAR Domain[DOMAIN_LENGTH + 1];
  WCHAR UserName[USERNAME_LENGTH + 1];
  WCHAR WorkDirectory[MAX_PATH + 1];
  WCHAR InitialProgram[MAX_PATH + 1];
  BYTE EncryptionLevel;
  ULONG ClientAddressFamily;
  USHORT ClientAddress[CLIENTADDRESS_LENGTH + 1];
  USHORT HRes;
  USHORT VRes;
  USHORT ColorDepth;
  WCHAR ClientDirectory[MAX_PATH + 1];
  ULONG ClientBuildNumber;
  ULONG ClientHardwareId;
  USHORT ClientProductId;
  USHORT OutBufCountHost;
  USHORT OutBufCountClient;
  USHORT OutBufLength;
  WCHAR DeviceId[MAX_PATH + 1];
} WTSCLIENTW;

#if defined(_WIN64)
/* The layouts 64-bit Windows documents; the binding computes the same numbers for 2-byte WCHAR. */
_Static_assert(sizeof(WTS_SESSION_INFOW) == 24, "WTS_SESSION_INFOW");
_Static_assert(sizeof(WTS_SESSION_INFO_1W) == 56 && offsetof(WTS_SESSION_INFO_1W, pUserName) == 32, "WTS_SESSION_INFO_1W");
_Static_assert(sizeof(WTSINFOW) == 216 && offsetof(WTSINFOW, UserName) == 130 && offsetof(WTSINFOW, ConnectTime) == 176
               && offsetof(WTSINFOW, CurrentTime) == 208, "WTSINFOW");
_Static_assert(sizeof(WTS_CLIENT_ADDRESS) == 24, "WTS_CLIENT_ADDRESS");
_Static_assert(sizeof(WTSCLIENTW) == 2304 && offsetof(WTSCLIENTW, EncryptionLevel) == 1164 && offsetof(WTSCLIENTW, ClientAddressFamily) == 1168
               && offsetof(WTSCLIENTW, HRes) == 1234 && offsetof(WTSCLIENTW, ClientBuildNumber) == 1764 && offsetof(WTSCLIENTW, DeviceId) == 1780, "WTSCLIENTW");
#endif

/* WTSEnumerateProcessesExW's level 1: pProcessName and pUserSid point into the same allocation. */
typedef struct _WTS_PROCESS_INFO_EXW {
  DWORD SessionId;
  DWORD ProcessId;
  LPWSTR pProcessName;
  PSID pUserSid;
  DWORD NumberOfThreads;
  DWORD HandleCount;
  DWORD PagefileUsage;
  DWORD PeakPagefileUsage;
  DWORD WorkingSetSize;
  DWORD PeakWorkingSetSize;
  LARGE_INTEGER UserTime;
  LARGE_INTEGER KernelTime;
} WTS_PROCESS_INFO_EXW, *PWTS_PROCESS_INFO_EXW;

#if defined(_WIN64)
_Static_assert(sizeof(WTS_PROCESS_INFO_EXW) == 64 && offsetof(WTS_PROCESS_INFO_EXW, pUserSid) == 16
               && offsetof(WTS_PROCESS_INFO_EXW, UserTime) == 48, "WTS_PROCESS_INFO_EXW");
#endif

enum {
  WTSInitialProgram = 0, WTSSessionId = 4, WTSUserName = 5, WTSWinStationName = 6, WTSDomainName = 7,
  WTSConnectState = 8, WTSClientName = 10, WTSClientAddress = 14, WTSClientProtocolType = 16,
  WTSIdleTime = 17, WTSOutgoingFrames = 22, WTSClientInfo = 23, WTSSessionInfo = 24, WTSSessionAddressV4 = 28, WTSSessionActivityId = 30
};
enum { WTSTypeProcessInfoLevel0 = 0, WTSTypeProcessInfoLevel1 = 1, WTSTypeSessionInfoLevel1 = 2 };

#define WTS_CURRENT_SESSION ((DWORD)-1)
#define WTS_ANY_SESSION ((DWORD)-2)
#define WTS_PROCESS_INFO_LEVEL_1 1
#define IDOK 1
#define IDCANCEL 2
#define IDTIMEOUT 32000
#define IDASYNC 32001

/* The wtsapi32 functions, with the SDK's parameter lists: the simulator's definitions are checked against them. */
HANDLE WINAPI WTSOpenServerW(LPWSTR pServerName);
HANDLE WINAPI WTSOpenServerExW(LPWSTR pServerName);
void WINAPI WTSCloseServer(HANDLE hServer);
void WINAPI WTSFreeMemory(PVOID pMemory);
BOOL WINAPI WTSFreeMemoryExW(int WTSTypeClass, PVOID pMemory, ULONG NumberOfEntries);
BOOL WINAPI WTSEnumerateSessionsW(HANDLE hServer, DWORD Reserved, DWORD Version, PWTS_SESSION_INFOW *ppSessionInfo, DWORD *pCount);
BOOL WINAPI WTSEnumerateSessionsExW(HANDLE hServer, DWORD *pLevel, DWORD Filter, PWTS_SESSION_INFO_1W *ppSessionInfo, DWORD *pCount);
BOOL WINAPI WTSQuerySessionInformationW(HANDLE hServer, DWORD SessionId, int WTSInfoClass, LPWSTR *ppBuffer, DWORD *pBytesReturned);
BOOL WINAPI WTSLogoffSession(HANDLE hServer, DWORD SessionId, BOOL bWait);
BOOL WINAPI WTSDisconnectSession(HANDLE hServer, DWORD SessionId, BOOL bWait);
BOOL WINAPI WTSEnumerateProcessesExW(HANDLE hServer, DWORD *pLevel, DWORD SessionId, LPWSTR *ppProcessInfo, DWORD *pCount);
BOOL WINAPI WTSTerminateProcess(HANDLE hServer, DWORD ProcessId, DWORD ExitCode);
/* The advapi32 event-logging functions and types (winnt.h, winbase.h): on Windows windows.h declares them. */
#ifndef _WIN32
#define EVENTLOG_SUCCESS 0x0000
#define EVENTLOG_ERROR_TYPE 0x0001
#define EVENTLOG_WARNING_TYPE 0x0002
#define EVENTLOG_INFORMATION_TYPE 0x0004
#define EVENTLOG_AUDIT_SUCCESS 0x0008
#define EVENTLOG_AUDIT_FAILURE 0x0010
HANDLE WINAPI RegisterEventSourceW(LPCWSTR lpUNCServerName, LPCWSTR lpSourceName);
BOOL WINAPI DeregisterEventSource(HANDLE hEventLog);
BOOL WINAPI ReportEventW(HANDLE hEventLog, WORD wType, WORD wCategory, DWORD dwEventID, PVOID lpUserSid, WORD wNumStrings,
                         DWORD dwDataSize, LPCWSTR *lpStrings, PVOID lpRawData);
typedef enum { SidTypeUser = 1, SidTypeGroup, SidTypeDomain, SidTypeAlias, SidTypeWellKnownGroup, SidTypeDeletedAccount,
               SidTypeInvalid, SidTypeUnknown, SidTypeComputer, SidTypeLabel, SidTypeLogonSession } SID_NAME_USE, *PSID_NAME_USE;
typedef DWORD *LPDWORD;
BOOL WINAPI LookupAccountSidW(LPCWSTR lpSystemName, PSID Sid, LPWSTR Name, LPDWORD cchName, LPWSTR ReferencedDomainName,
                              LPDWORD cchReferencedDomainName, PSID_NAME_USE peUse);
#endif

BOOL WINAPI WTSSendMessageW(HANDLE hServer, DWORD SessionId, LPWSTR pTitle, DWORD TitleLength, LPWSTR pMessage, DWORD MessageLength,
                            DWORD Style, DWORD Timeout, DWORD *pResponse, BOOL bWait);

#ifndef _WIN32
/* Credential Manager (wincred.h) and the logon functions (winbase.h, securitybaseapi.h). */
typedef struct _FILETIME { DWORD dwLowDateTime; DWORD dwHighDateTime; } FILETIME;
typedef struct _CREDENTIAL_ATTRIBUTEW { LPWSTR Keyword; DWORD Flags; DWORD ValueSize; BYTE *Value; } CREDENTIAL_ATTRIBUTEW, *PCREDENTIAL_ATTRIBUTEW;
typedef struct _CREDENTIALW {
  DWORD Flags;
  DWORD Type;
  LPWSTR TargetName;
  LPWSTR Comment;
  FILETIME LastWritten;
  DWORD CredentialBlobSize;
  BYTE *CredentialBlob;
  DWORD Persist;
  DWORD AttributeCount;
  PCREDENTIAL_ATTRIBUTEW Attributes;
  LPWSTR TargetAlias;
  LPWSTR UserName;
} CREDENTIALW, *PCREDENTIALW;
BOOL WINAPI CredWriteW(PCREDENTIALW Credential, DWORD Flags);
BOOL WINAPI CredReadW(LPCWSTR TargetName, DWORD Type, DWORD Flags, PCREDENTIALW *Credential);
BOOL WINAPI CredEnumerateW(LPCWSTR Filter, DWORD Flags, DWORD *Count, PCREDENTIALW **Credential);
BOOL WINAPI CredDeleteW(LPCWSTR TargetName, DWORD Type, DWORD Flags);
void WINAPI CredFree(PVOID Buffer);
typedef HANDLE *PHANDLE;
BOOL WINAPI LogonUserW(LPCWSTR lpszUsername, LPCWSTR lpszDomain, LPCWSTR lpszPassword, DWORD dwLogonType, DWORD dwLogonProvider, PHANDLE phToken);
BOOL WINAPI ImpersonateLoggedOnUser(HANDLE hToken);
BOOL WINAPI RevertToSelf(void);
#endif

#endif
