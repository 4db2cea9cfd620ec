/*
 * evtx-file.c: the records of an exported .evtx file, for EvtQuery(EvtQueryFilePath). Windows'
 * Event Log reads the file itself; here libevtx (Debian's libevtx-dev) parses the binary XML,
 * linked when the build found it (WTSSIM_HAVE_LIBEVTX). Without it a file query fails with
 * ERROR_NOT_SUPPORTED, and says so, rather than pretending the file is empty.
 *
 * Each record is handed back as the XML Windows' EvtRender would give, as far as the two
 * renderers differ in ways a reader sees: libevtx indents and writes hex integers zero-padded
 * (0x00000000000003e7), Windows writes them bare (0x3e7) and on one line. Attribute quotes
 * (double here, single from Windows) are left, as any XML reader takes both.
 */
#include "wtssim.h"

#include <stdlib.h>
#include <string.h>

int sim_evtx_supported(void) {
#ifdef WTSSIM_HAVE_LIBEVTX
  return 1;
#else
  return 0;
#endif
}

void sim_evtx_free(SimFileLog *log) {
  if (!log) return;
  for (size_t i = 0; i < log->count; i++) free(log->events[i].xml);
  free(log->events);
  log->events = NULL;
  log->count = 0;
}

#ifndef WTSSIM_HAVE_LIBEVTX

DWORD sim_evtx_read(LPCWSTR path, SimFileKeep keep, const void *context, SimFileLog *out) {
  (void)path; (void)keep; (void)context;
  memset(out, 0, sizeof *out);
  return SIM_ERROR_NOT_SUPPORTED;
}

#else

#include <libevtx.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

/* The platform's wide path as UTF-8, for libevtx_file_open; NULL when it is not valid text. */
static char *utf8_path(LPCWSTR path) {
  size_t chars = wcslen(path);
  char *out = (char *)malloc(chars * 4 + 1);
  if (!out) return NULL;
  size_t at = 0;
  for (size_t i = 0; i < chars; i++) {
    uint32_t c = (uint32_t)path[i];
    if (sizeof(WCHAR) == 2 && c >= 0xD800 && c <= 0xDBFF && i + 1 < chars) {
      uint32_t low = (uint32_t)path[i + 1];
      if (low >= 0xDC00 && low <= 0xDFFF) { c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00); i++; }
    }
    if (c == 0 || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) { free(out); return NULL; }
    if (c < 0x80) out[at++] = (char)c;
    else if (c < 0x800) { out[at++] = (char)(0xC0 | (c >> 6)); out[at++] = (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { out[at++] = (char)(0xE0 | (c >> 12)); out[at++] = (char)(0x80 | ((c >> 6) & 0x3F)); out[at++] = (char)(0x80 | (c & 0x3F)); }
    else { out[at++] = (char)(0xF0 | (c >> 18)); out[at++] = (char)(0x80 | ((c >> 12) & 0x3F)); out[at++] = (char)(0x80 | ((c >> 6) & 0x3F)); out[at++] = (char)(0x80 | (c & 0x3F)); }
  }
  out[at] = 0;
  return out;
}

/* UTF-16 from libevtx → the platform's WCHAR (UTF-32 off Windows); returns the characters written. */
static size_t widen(const uint16_t *in, size_t units, WCHAR *out) {
  size_t at = 0;
  for (size_t i = 0; i < units && in[i]; i++) {
    uint32_t c = in[i];
    if (sizeof(WCHAR) == 4 && c >= 0xD800 && c <= 0xDBFF && i + 1 < units && in[i + 1] >= 0xDC00 && in[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + ((uint32_t)in[i + 1] - 0xDC00);
      i++;
    }
    out[at++] = (WCHAR)c;
  }
  out[at] = 0;
  return at;
}

static int is_hex(WCHAR c) { return (c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'f') || (c >= L'A' && c <= L'F'); }
static int is_space(WCHAR c) { return c == L' ' || c == L'\t' || c == L'\r' || c == L'\n'; }

/*
 * In place: drops the indentation between elements (a run of white space holding a line break,
 * between '>' and '<'), and the zero padding of a Data element's value that is a whole 8- or
 * 16-digit hex integer, the way libevtx writes HexInt32 and HexInt64.
 */
static size_t as_windows_renders(WCHAR *xml, size_t chars) {
  size_t start = 0;
  while (start < chars && is_space(xml[start])) start++;
  size_t out = 0;
  size_t lastTagOpen = (size_t)-1; /* in the output: where the newest start tag began */
  for (size_t i = start; i < chars; i++) {
    WCHAR c = xml[i];
    if (c == L'>' ) {
      xml[out++] = c;
      size_t j = i + 1, newline = 0;
      while (j < chars && is_space(xml[j])) { if (xml[j] == L'\n') newline = 1; j++; }
      if (newline && (j == chars || xml[j] == L'<')) { i = j - 1; continue; }
      /* A Data element's hex value, written zero-padded. */
      int inData = lastTagOpen != (size_t)-1 && out - lastTagOpen >= 6 && wcsncmp(&xml[lastTagOpen], L"<Data", 5) == 0 &&
                   (xml[lastTagOpen + 5] == L' ' || xml[lastTagOpen + 5] == L'>');
      if (inData && i + 2 < chars && xml[i + 1] == L'0' && xml[i + 2] == L'x') {
        size_t digits = 0;
        while (i + 3 + digits < chars && is_hex(xml[i + 3 + digits])) digits++;
        if ((digits == 8 || digits == 16) && i + 3 + digits < chars && xml[i + 3 + digits] == L'<') {
          size_t first = 0;
          while (first + 1 < digits && xml[i + 3 + first] == L'0') first++;
          xml[out++] = L'0';
          xml[out++] = L'x';
          for (size_t d = first; d < digits; d++) xml[out++] = xml[i + 3 + d];
          i += 2 + digits;
        }
      }
      continue;
    }
    if (c == L'<') lastTagOpen = out;
    xml[out++] = c;
  }
  while (out > 0 && is_space(xml[out - 1])) out--;
  xml[out] = 0;
  return out;
}

#define ERROR_EVENTLOG_FILE_CORRUPT 1500u

static DWORD open_error(const char *path) {
  struct stat info;
  /* A folder or a device is no event log; reading one (a pipe, /dev/zero) could also never end. */
  if (stat(path, &info) == 0 && !S_ISREG(info.st_mode)) return ERROR_EVENTLOG_FILE_CORRUPT;
  FILE *probe = fopen(path, "rb");
  if (!probe) return errno == ENOENT || errno == ENOTDIR ? SIM_ERROR_FILE_NOT_FOUND : errno == EACCES ? SIM_ERROR_ACCESS_DENIED : ERROR_EVENTLOG_FILE_CORRUPT;
  fclose(probe);
  return 0;
}

DWORD sim_evtx_read(LPCWSTR path, SimFileKeep keep, const void *context, SimFileLog *out) {
  memset(out, 0, sizeof *out);
  char *utf8 = utf8_path(path);
  if (!utf8) return SIM_ERROR_INVALID_PARAMETER;
  DWORD err = open_error(utf8);
  if (err) { free(utf8); return err; }
  libevtx_file_t *file = NULL;
  libevtx_error_t *error = NULL;
  if (libevtx_file_initialize(&file, &error) != 1) { libevtx_error_free(&error); free(utf8); return 8; }
  if (libevtx_file_open(file, utf8, LIBEVTX_OPEN_READ, &error) != 1) {
    libevtx_error_free(&error);
    libevtx_file_free(&file, NULL);
    free(utf8);
    return ERROR_EVENTLOG_FILE_CORRUPT;
  }
  free(utf8);
  int records = 0;
  if (libevtx_file_get_number_of_records(file, &records, &error) != 1) { libevtx_error_free(&error); records = 0; err = ERROR_EVENTLOG_FILE_CORRUPT; }
  size_t capacity = 0;
  uint16_t *utf16 = NULL;
  size_t utf16Capacity = 0;
  for (int i = 0; i < records && !err; i++) {
    libevtx_record_t *record = NULL;
    uint64_t recordId = 0, written = 0;
    uint32_t eventId = 0;
    size_t units = 0;
    /* A record libevtx cannot read is left out, as Windows skips one it cannot render; the rest still come. */
    if (libevtx_file_get_record_by_index(file, i, &record, &error) != 1) { libevtx_error_free(&error); continue; }
    int ok = libevtx_record_get_identifier(record, &recordId, &error) == 1 &&
             libevtx_record_get_event_identifier(record, &eventId, &error) == 1 &&
             libevtx_record_get_written_time(record, &written, &error) == 1;
    if (ok && keep(context, (DWORD)(eventId & 0xFFFF), (int64_t)written)) {
      ok = libevtx_record_get_utf16_xml_string_size(record, &units, &error) == 1 && units > 0;
      if (ok && units > utf16Capacity) {
        uint16_t *grown = (uint16_t *)realloc(utf16, units * sizeof(uint16_t));
        if (!grown) err = 8; else { utf16 = grown; utf16Capacity = units; }
      }
      ok = ok && !err && libevtx_record_get_utf16_xml_string(record, utf16, units, &error) == 1;
      if (ok && out->count == capacity) {
        size_t wanted = capacity ? capacity * 2 : 64;
        SimFileEvent *grown = (SimFileEvent *)realloc(out->events, wanted * sizeof(SimFileEvent));
        if (!grown) err = 8; else { out->events = grown; capacity = wanted; }
      }
      WCHAR *xml = ok && !err ? (WCHAR *)malloc((units + 1) * sizeof(WCHAR)) : NULL;
      if (ok && !err && !xml) err = 8;
      if (xml) {
        size_t chars = as_windows_renders(xml, widen(utf16, units, xml));
        SimFileEvent *event = &out->events[out->count++];
        event->recordId = recordId;
        event->eventId = (DWORD)(eventId & 0xFFFF);
        event->timeCreated = (int64_t)written;
        event->xml = xml;
        event->xmlChars = chars;
      }
    }
    if (error) libevtx_error_free(&error);
    libevtx_record_free(&record, NULL);
  }
  free(utf16);
  libevtx_file_close(file, NULL);
  libevtx_file_free(&file, NULL);
  if (err) sim_evtx_free(out);
  return err;
}

#endif
