/*
 * credentials.c: the Credential Manager part of advapi32 the console uses (CredWriteW, CredReadW,
 * CredEnumerateW, CredDeleteW, CredFree), for generic credentials.
 *
 * As on Windows: a credential is keyed by its target name and type (a write replaces one with the
 * same key); the blob is at most 2,560 bytes (CRED_MAX_CREDENTIAL_BLOB_SIZE, 5 * 512), a user name
 * at most 513 characters, a comment 256; Persist is 1 (this logon session), 2 (this computer) or 3
 * (roaming); CredReadW and CredEnumerateW hand back one allocation each, freed with CredFree; a
 * missing credential is ERROR_NOT_FOUND, also for an enumeration that matches nothing; a filter is
 * a target name, or a prefix ending in "*". Not simulated: other credential types
 * (ERROR_NOT_SUPPORTED), attributes, and flags other than CRED_PRESERVE_CREDENTIAL_BLOB
 * (ERROR_INVALID_FLAGS).
 *
 * Where they live: persisted credentials (2 and 3) in the file the control API names, read again at
 * every call so that the console and wtsc, two processes, share them as Credential Manager shares
 * them between a user's processes; session ones (1) in this process only. Unlike Windows, the file
 * is not encrypted (DPAPI does that there): it holds the simulator's test accounts only.
 */
#define WINADVAPI
#include "wtssim-farm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_CRED_TYPE_GENERIC 1u
#define SIM_CRED_PRESERVE_CREDENTIAL_BLOB 0x1u
#define SIM_CRED_MAX_BLOB 2560u
#define SIM_CRED_MAX_USERNAME 513u
#define SIM_CRED_MAX_STRING 256u
#define SIM_CRED_MAX_TARGET 32767u


typedef struct {
  WCHAR *target, *userName, *comment; /* owned; NULL: none */
  BYTE *blob;
  DWORD blobSize, persist;
  int64_t lastWritten;
} SimCredential;

static SimCredential *g_creds;
static size_t g_credCount;
static char *g_credFile; /* NULL: persisted credentials stay in memory too */

static WCHAR *wdup(LPCWSTR s) {
  if (!s) return NULL;
  size_t n = sim_wlen(s);
  WCHAR *out = (WCHAR *)malloc((n + 1) * sizeof(WCHAR));
  if (out) memcpy(out, s, (n + 1) * sizeof(WCHAR));
  return out;
}

static void drop(SimCredential *c) {
  if (c->blob) memset(c->blob, 0, c->blobSize);
  free(c->target); free(c->userName); free(c->comment); free(c->blob);
  memset(c, 0, sizeof *c);
}

static void remove_at(size_t i) {
  drop(&g_creds[i]);
  g_creds[i] = g_creds[--g_credCount];
}

void sim_credentials_reset_locked(void) {
  while (g_credCount) remove_at(g_credCount - 1);
  free(g_creds); g_creds = NULL;
  free(g_credFile); g_credFile = NULL;
}

/* ---- the file: a line a credential, every field in hex (WCHARs as 8 digits, so 2- and 4-byte WCHARs read alike) ---- */

static void put_wide(FILE *f, LPCWSTR s) {
  if (!s) { fputc('-', f); return; }
  fputc('w', f);
  for (; *s; s++) fprintf(f, "%08x", (unsigned)*s);
}

static void put_bytes(FILE *f, const BYTE *b, DWORD n) {
  fputc('b', f);
  for (DWORD i = 0; i < n; i++) fprintf(f, "%02x", b[i]);
}

static int hexval(int c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

/* One field from *p (up to a space or the end); 0 when it is malformed. */
static int get_field(char **p, WCHAR **wide, BYTE **bytes, DWORD *byteCount) {
  char *s = *p, *end = s;
  while (*end && *end != ' ') end++;
  size_t len = (size_t)(end - s);
  *p = *end ? end + 1 : end;
  if (len == 1 && s[0] == '-') { if (wide) *wide = NULL; return wide != NULL; }
  if (len == 0) return 0;
  size_t digits = len - 1;
  if (wide && s[0] == 'w' && digits % 8 == 0) {
    WCHAR *out = (WCHAR *)calloc(digits / 8 + 1, sizeof(WCHAR));
    if (!out) return 0;
    for (size_t i = 0; i < digits / 8; i++) {
      unsigned v = 0;
      for (size_t k = 0; k < 8; k++) { int h = hexval(s[1 + i * 8 + k]); if (h < 0) { free(out); return 0; } v = v * 16 + (unsigned)h; }
      out[i] = (WCHAR)v;
    }
    *wide = out;
    return 1;
  }
  if (bytes && s[0] == 'b' && digits % 2 == 0) {
    BYTE *out = (BYTE *)malloc(digits / 2 + 1);
    if (!out) return 0;
    for (size_t i = 0; i < digits / 2; i++) {
      int hi = hexval(s[1 + i * 2]), lo = hexval(s[2 + i * 2]);
      if (hi < 0 || lo < 0) { free(out); return 0; }
      out[i] = (BYTE)(hi * 16 + lo);
    }
    *bytes = out;
    *byteCount = (DWORD)(digits / 2);
    return 1;
  }
  return 0;
}

static char *read_line(FILE *f) {
  size_t cap = 256, n = 0;
  char *line = (char *)malloc(cap);
  int c;
  if (!line) return NULL;
  while ((c = fgetc(f)) != EOF && c != '\n') {
    if (n + 1 >= cap) { char *grown = (char *)realloc(line, cap * 2); if (!grown) { free(line); return NULL; } line = grown; cap *= 2; }
    line[n++] = (char)c;
  }
  if (c == EOF && n == 0) { free(line); return NULL; }
  line[n] = 0;
  return line;
}

static int append(const SimCredential *c) {
  SimCredential *grown = (SimCredential *)realloc(g_creds, (g_credCount + 1) * sizeof *g_creds);
  if (!grown) return 0;
  g_creds = grown;
  g_creds[g_credCount++] = *c;
  return 1;
}

/* Replaces the persisted credentials in memory with the file's (session ones stay). */
static void load_locked(void) {
  if (!g_credFile) return;
  for (size_t i = g_credCount; i-- > 0;) if (g_creds[i].persist != 1) remove_at(i);
  FILE *f = fopen(g_credFile, "rb");
  if (!f) return; /* none stored yet */
  char *line;
  while ((line = read_line(f)) != NULL) {
    SimCredential c;
    memset(&c, 0, sizeof c);
    unsigned persist = 0;
    long long written = 0;
    int used = 0;
    char *p = line;
    if (sscanf(p, "%u %lld %n", &persist, &written, &used) == 2 && used > 0) {
      p += used;
      c.persist = persist;
      c.lastWritten = written;
      if (get_field(&p, &c.target, NULL, NULL) && c.target && get_field(&p, &c.userName, NULL, NULL) &&
          get_field(&p, &c.comment, NULL, NULL) && get_field(&p, NULL, &c.blob, &c.blobSize) && (persist == 2 || persist == 3)) {
        if (!append(&c)) drop(&c);
      } else {
        drop(&c);
      }
    }
    memset(line, 0, strlen(line));
    free(line);
  }
  fclose(f);
}

/* Writes the persisted credentials; 0 with the error when the file cannot be written. */
static DWORD save_locked(void) {
  if (!g_credFile) return 0;
  size_t len = strlen(g_credFile);
  char *temp = (char *)malloc(len + 5);
  if (!temp) return 8;
  memcpy(temp, g_credFile, len);
  memcpy(temp + len, ".new", 5);
  FILE *f = fopen(temp, "wb");
  if (!f) { free(temp); return SIM_ERROR_ACCESS_DENIED; }
  for (size_t i = 0; i < g_credCount; i++) {
    const SimCredential *c = &g_creds[i];
    if (c->persist == 1) continue;
    fprintf(f, "%u %lld ", (unsigned)c->persist, (long long)c->lastWritten);
    put_wide(f, c->target); fputc(' ', f);
    put_wide(f, c->userName); fputc(' ', f);
    put_wide(f, c->comment); fputc(' ', f);
    put_bytes(f, c->blob, c->blobSize); fputc('\n', f);
  }
  int failed = fclose(f) != 0;
#ifdef _WIN32
  if (!failed) failed = !MoveFileExA(temp, g_credFile, MOVEFILE_REPLACE_EXISTING);
#else
  if (!failed) failed = rename(temp, g_credFile) != 0;
#endif
  if (failed) remove(temp);
  free(temp);
  return failed ? SIM_ERROR_ACCESS_DENIED : 0;
}

static size_t find_locked(LPCWSTR target) {
  for (size_t i = 0; i < g_credCount; i++) if (sim_wequal_ci(g_creds[i].target, target)) return i;
  return (size_t)-1;
}

/* Control: where persisted credentials live (NULL or "": in memory only). */
SIM_EXPORT void WtsSimSetCredentialFile(const char *path) {
  sim_lock();
  free(g_credFile);
  g_credFile = NULL;
  if (path && path[0]) {
    size_t n = strlen(path);
    g_credFile = (char *)malloc(n + 1);
    if (g_credFile) memcpy(g_credFile, path, n + 1);
  }
  sim_unlock();
}

SIM_EXPORT BOOL WINAPI CredWriteW(PCREDENTIALW Credential, DWORD Flags) {
  if (!Credential) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (Flags & ~SIM_CRED_PRESERVE_CREDENTIAL_BLOB) FAIL(SIM_ERROR_INVALID_FLAGS);
  if (Credential->Type != SIM_CRED_TYPE_GENERIC) FAIL(SIM_ERROR_NOT_SUPPORTED);
  if (Credential->AttributeCount != 0) FAIL(SIM_ERROR_NOT_SUPPORTED);
  if (!Credential->TargetName || !Credential->TargetName[0] || sim_wlen(Credential->TargetName) > SIM_CRED_MAX_TARGET) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (Credential->Persist < 1 || Credential->Persist > 3) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (Credential->CredentialBlobSize > SIM_CRED_MAX_BLOB || (Credential->CredentialBlobSize > 0 && !Credential->CredentialBlob)) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (sim_wlen(Credential->UserName) > SIM_CRED_MAX_USERNAME || sim_wlen(Credential->Comment) > SIM_CRED_MAX_STRING) FAIL(SIM_ERROR_INVALID_PARAMETER);
  SimCredential c;
  memset(&c, 0, sizeof c);
  c.target = wdup(Credential->TargetName);
  c.userName = wdup(Credential->UserName);
  c.comment = wdup(Credential->Comment);
  c.persist = Credential->Persist;
  c.lastWritten = sim_now_filetime();
  sim_lock();
  load_locked();
  size_t old = find_locked(Credential->TargetName);
  const BYTE *blob = Credential->CredentialBlob;
  DWORD blobSize = Credential->CredentialBlobSize;
  if ((Flags & SIM_CRED_PRESERVE_CREDENTIAL_BLOB) && old != (size_t)-1) { blob = g_creds[old].blob; blobSize = g_creds[old].blobSize; }
  c.blob = (BYTE *)malloc(blobSize + 1);
  if (c.blob) { if (blobSize) memcpy(c.blob, blob, blobSize); c.blobSize = blobSize; }
  if (!c.target || !c.blob || (Credential->UserName && !c.userName) || (Credential->Comment && !c.comment)) { sim_unlock(); drop(&c); FAIL(8); }
  if (old != (size_t)-1) remove_at(old);
  if (!append(&c)) { sim_unlock(); drop(&c); FAIL(8); }
  DWORD err = save_locked();
  sim_unlock();
  if (err) FAIL(err);
  return TRUE;
}

/* The bytes CredReadW hands back for one credential: the struct, then its strings and blob. */
static size_t cred_size(const SimCredential *c) {
  size_t n = sizeof(CREDENTIALW) + c->blobSize + 16; /* the struct's and the blob's alignment */
  if (c->target) n += (sim_wlen(c->target) + 1) * sizeof(WCHAR);
  if (c->userName) n += (sim_wlen(c->userName) + 1) * sizeof(WCHAR);
  if (c->comment) n += (sim_wlen(c->comment) + 1) * sizeof(WCHAR);
  return n;
}

static BYTE *put_string(BYTE *at, LPWSTR *field, LPCWSTR s) {
  if (!s) { *field = NULL; return at; }
  size_t bytes = (sim_wlen(s) + 1) * sizeof(WCHAR);
  memcpy(at, s, bytes);
  *field = (LPWSTR)(void *)at;
  return at + bytes;
}

/* Fills `out` from `c`, its strings and blob written from `at`; returns where they end. */
static BYTE *fill(CREDENTIALW *out, const SimCredential *c, BYTE *at) {
  memset(out, 0, sizeof *out);
  out->Type = SIM_CRED_TYPE_GENERIC;
  out->Persist = c->persist;
  out->LastWritten.dwLowDateTime = (DWORD)((uint64_t)c->lastWritten & 0xffffffffu);
  out->LastWritten.dwHighDateTime = (DWORD)((uint64_t)c->lastWritten >> 32);
  at = put_string(at, &out->TargetName, c->target);
  at = put_string(at, &out->UserName, c->userName);
  at = put_string(at, &out->Comment, c->comment);
  at = (BYTE *)(((uintptr_t)at + 7) & ~(uintptr_t)7);
  out->CredentialBlobSize = c->blobSize;
  out->CredentialBlob = c->blobSize ? at : NULL;
  if (c->blobSize) memcpy(at, c->blob, c->blobSize);
  return at + c->blobSize;
}

SIM_EXPORT BOOL WINAPI CredReadW(LPCWSTR TargetName, DWORD Type, DWORD Flags, PCREDENTIALW *Credential) {
  if (!TargetName || !TargetName[0] || !Credential) FAIL(SIM_ERROR_INVALID_PARAMETER);
  *Credential = NULL;
  if (Flags != 0) FAIL(SIM_ERROR_INVALID_FLAGS);
  if (Type != SIM_CRED_TYPE_GENERIC) FAIL(SIM_ERROR_NOT_FOUND);
  sim_lock();
  load_locked();
  size_t i = find_locked(TargetName);
  if (i == (size_t)-1) { sim_unlock(); FAIL(SIM_ERROR_NOT_FOUND); }
  CREDENTIALW *out = (CREDENTIALW *)sim_alloc(cred_size(&g_creds[i]), ALLOC_CRED_FREE, 1);
  if (!out) { sim_unlock(); FAIL(8); }
  fill(out, &g_creds[i], (BYTE *)(out + 1));
  sim_unlock();
  *Credential = out;
  return TRUE;
}

/* A filter is a target name, or a prefix ending in '*' (Windows allows the asterisk only there). */
static int matches(LPCWSTR filter, LPCWSTR target) {
  if (!filter) return 1;
  size_t n = sim_wlen(filter);
  if (n > 0 && filter[n - 1] == L'*') {
    for (size_t i = 0; i + 1 < n; i++) if (!target[i] || sim_wlower(target[i]) != sim_wlower(filter[i])) return 0;
    return 1;
  }
  return sim_wequal_ci(filter, target);
}

SIM_EXPORT BOOL WINAPI CredEnumerateW(LPCWSTR Filter, DWORD Flags, DWORD *Count, PCREDENTIALW **Credential) {
  if (!Count || !Credential) FAIL(SIM_ERROR_INVALID_PARAMETER);
  *Count = 0;
  *Credential = NULL;
  if (Flags != 0) FAIL(SIM_ERROR_INVALID_FLAGS);
  if (Filter && (!Filter[0] || (wcschr(Filter, L'*') != NULL && wcschr(Filter, L'*') != Filter + sim_wlen(Filter) - 1))) FAIL(SIM_ERROR_INVALID_PARAMETER);
  sim_lock();
  load_locked();
  size_t found = 0, bytes = 0;
  for (size_t i = 0; i < g_credCount; i++) if (matches(Filter, g_creds[i].target)) { found++; bytes += cred_size(&g_creds[i]); }
  if (found == 0) { sim_unlock(); FAIL(SIM_ERROR_NOT_FOUND); }
  /* One allocation: the pointer array, then each credential with its strings. */
  PCREDENTIALW *array = (PCREDENTIALW *)sim_alloc(found * sizeof(PCREDENTIALW) + bytes, ALLOC_CRED_FREE, 1);
  if (!array) { sim_unlock(); FAIL(8); }
  BYTE *at = (BYTE *)(array + found);
  size_t k = 0;
  for (size_t i = 0; i < g_credCount; i++) {
    if (!matches(Filter, g_creds[i].target)) continue;
    at = (BYTE *)(((uintptr_t)at + 7) & ~(uintptr_t)7);
    CREDENTIALW *c = (CREDENTIALW *)(void *)at;
    array[k++] = c;
    at = fill(c, &g_creds[i], at + sizeof(CREDENTIALW));
  }
  sim_unlock();
  *Count = (DWORD)found;
  *Credential = array;
  return TRUE;
}

SIM_EXPORT BOOL WINAPI CredDeleteW(LPCWSTR TargetName, DWORD Type, DWORD Flags) {
  if (!TargetName || !TargetName[0]) FAIL(SIM_ERROR_INVALID_PARAMETER);
  if (Flags != 0) FAIL(SIM_ERROR_INVALID_FLAGS);
  if (Type != SIM_CRED_TYPE_GENERIC) FAIL(SIM_ERROR_NOT_FOUND);
  sim_lock();
  load_locked();
  size_t i = find_locked(TargetName);
  if (i == (size_t)-1) { sim_unlock(); FAIL(SIM_ERROR_NOT_FOUND); }
  remove_at(i);
  DWORD err = save_locked();
  sim_unlock();
  if (err) FAIL(err);
  return TRUE;
}

SIM_EXPORT void WINAPI CredFree(PVOID Buffer) {
  if (Buffer) sim_free(Buffer, ALLOC_CRED_FREE, 1, 0);
}
