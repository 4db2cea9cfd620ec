// wtsapi32's public structs, field for field as the Windows SDK declares them.
import { defineStruct } from '../../ffi/layout';

export const WTS_SESSION_INFOW = defineStruct([
  { name: 'SessionId', kind: 'u32' },
  { name: 'pWinStationName', kind: 'ptr' },
  { name: 'State', kind: 'u32' },
]);

export const WTS_SESSION_INFO_1W = defineStruct([
  { name: 'ExecEnvId', kind: 'u32' },
  { name: 'State', kind: 'u32' },
  { name: 'SessionId', kind: 'u32' },
  { name: 'pSessionName', kind: 'ptr' },
  { name: 'pHostName', kind: 'ptr' },
  { name: 'pUserName', kind: 'ptr' },
  { name: 'pDomainName', kind: 'ptr' },
  { name: 'pFarmName', kind: 'ptr' },
]);

export const WINSTATIONNAME_LENGTH = 32;
export const DOMAIN_LENGTH = 17;
export const USERNAME_LENGTH = 20;

export const WTSINFOW = defineStruct([
  { name: 'State', kind: 'u32' },
  { name: 'SessionId', kind: 'u32' },
  { name: 'IncomingBytes', kind: 'u32' },
  { name: 'OutgoingBytes', kind: 'u32' },
  { name: 'IncomingFrames', kind: 'u32' },
  { name: 'OutgoingFrames', kind: 'u32' },
  { name: 'IncomingCompressedBytes', kind: 'u32' },
  { name: 'OutgoingCompressedBytes', kind: 'u32' },
  { name: 'WinStationName', kind: 'wchar[]', count: WINSTATIONNAME_LENGTH },
  { name: 'Domain', kind: 'wchar[]', count: DOMAIN_LENGTH },
  { name: 'UserName', kind: 'wchar[]', count: USERNAME_LENGTH + 1 },
  { name: 'ConnectTime', kind: 'i64' },
  { name: 'DisconnectTime', kind: 'i64' },
  { name: 'LastInputTime', kind: 'i64' },
  { name: 'LogonTime', kind: 'i64' },
  { name: 'CurrentTime', kind: 'i64' },
]);

export const WTS_CLIENT_ADDRESS = defineStruct([
  { name: 'AddressFamily', kind: 'u32' },
  { name: 'Address', kind: 'u8[]', count: 20 },
]);

export const CLIENTNAME_LENGTH = 20;
export const CLIENTADDRESS_LENGTH = 30;
export const MAX_PATH = 260;

/** WTSClientInfo's answer: the client's name, address, display and build in one call. */
export const WTSCLIENTW = defineStruct([
  { name: 'ClientName', kind: 'wchar[]', count: CLIENTNAME_LENGTH + 1 },
  { name: 'Domain', kind: 'wchar[]', count: DOMAIN_LENGTH + 1 },
  { name: 'UserName', kind: 'wchar[]', count: USERNAME_LENGTH + 1 },
  { name: 'WorkDirectory', kind: 'wchar[]', count: MAX_PATH + 1 },
  { name: 'InitialProgram', kind: 'wchar[]', count: MAX_PATH + 1 },
  { name: 'EncryptionLevel', kind: 'u8' },
  { name: 'ClientAddressFamily', kind: 'u32' },
  // USHORTs, not WCHARs: 2 bytes on every platform, the simulator's too.
  { name: 'ClientAddress', kind: 'u16[]', count: CLIENTADDRESS_LENGTH + 1 },
  { name: 'HRes', kind: 'u16' },
  { name: 'VRes', kind: 'u16' },
  { name: 'ColorDepth', kind: 'u16' },
  { name: 'ClientDirectory', kind: 'wchar[]', count: MAX_PATH + 1 },
  { name: 'ClientBuildNumber', kind: 'u32' },
  { name: 'ClientHardwareId', kind: 'u32' },
  { name: 'ClientProductId', kind: 'u16' },
  { name: 'OutBufCountHost', kind: 'u16' },
  { name: 'OutBufCountClient', kind: 'u16' },
  { name: 'OutBufLength', kind: 'u16' },
  { name: 'DeviceId', kind: 'wchar[]', count: MAX_PATH + 1 },
]);

/** WTSEnumerateProcessesExW's level 1; pProcessName and pUserSid point into the same allocation. */
export const WTS_PROCESS_INFO_EXW = defineStruct([
  { name: 'SessionId', kind: 'u32' },
  { name: 'ProcessId', kind: 'u32' },
  { name: 'pProcessName', kind: 'ptr' },
  { name: 'pUserSid', kind: 'ptr' },
  { name: 'NumberOfThreads', kind: 'u32' },
  { name: 'HandleCount', kind: 'u32' },
  { name: 'PagefileUsage', kind: 'u32' },
  { name: 'PeakPagefileUsage', kind: 'u32' },
  { name: 'WorkingSetSize', kind: 'u32' },
  { name: 'PeakWorkingSetSize', kind: 'u32' },
  { name: 'UserTime', kind: 'i64' },
  { name: 'KernelTime', kind: 'i64' },
]);

/** WTS_INFO_CLASS values the console asks for. */
export const WtsInfoClass = {
  SessionId: 4,
  UserName: 5,
  WinStationName: 6,
  DomainName: 7,
  ConnectState: 8,
  ClientName: 10,
  ClientAddress: 14,
  ClientProtocolType: 16,
  ClientInfo: 23,
  SessionInfo: 24,
} as const;

/** WTS_TYPE_CLASS: what WTSFreeMemoryExW is freeing. */
export const WTS_TYPE_PROCESS_INFO_LEVEL1 = 1;
export const WTS_TYPE_SESSION_INFO_LEVEL1 = 2;
export const WTS_PROCESS_INFO_LEVEL_1 = 1;
/** WTSEnumerateProcessesExW's SessionId for every session's processes. */
export const WTS_ANY_SESSION = 0xfffffffe;
export const WTS_CURRENT_SERVER_HANDLE = 0n;

/** Windows' address families, as WTS_CLIENT_ADDRESS reports them (not the host OS's values). */
export const AF_INET = 2;
export const AF_INET6 = 23;

export const MessageResponse = { IDOK: 1, IDCANCEL: 2, IDTIMEOUT: 32000, IDASYNC: 32001 } as const;
export const MB_OKCANCEL = 0x1;
export const MB_ICONWARNING = 0x30;
