/* fcm-event-log-private.h: how the event log stores its entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The event log is three files:
 *
 *   fcm-event-log.c        the log: a GListModel of entries, its limit, the
 *                          NDJSON export
 *   fcm-event-log-entry.c  one entry (FcmEventLogEntry): kept small, with
 *                          the parsed event and the issue objects made on
 *                          demand
 *   fcm-event-log-store.c  the compact storage of an entry's text (zstd
 *                          against a recent text of its kind as a prefix
 *                          dictionary, in shared chunks) and of its issues
 */

#pragma once

#include "fcm-event-log.h"
#include "fcm-hub-client.h"

G_BEGIN_DECLS

/* the note (FCM_NOTE_…) a change of the client's state makes in the
 * timeline, or %NULL; the monitor's live and a recording's replay alike */
const char *_fcm_event_log_note_for_state (FcmClientState previous,
                                           FcmClientState state,
                                           gboolean       was_live);

typedef struct _FcmTextBase FcmTextBase;
typedef struct _FcmDeltaChunk FcmDeltaChunk;

/* A text stored as a zstd frame (without its magic number) compressed
 * against a recent text with the same key, with an optional NUL-terminated
 * tail (the event id) stored right after the frame. */
typedef struct
{
  FcmTextBase   *base;
  guint8        *delta;      /* the frame, then the tail, in chunk */
  FcmDeltaChunk *chunk;
  guint32        delta_len;
  guint32        text_len;
} FcmPackedText;

#define FCM_PACKED_TEXT_TAIL(packed) ((const char *) (packed)->delta + (packed)->delta_len)

void        _fcm_packed_text_init    (FcmPackedText       *packed,
                                      const char          *key,
                                      const char          *text,
                                      const char          *tail);
void        _fcm_packed_text_clear   (FcmPackedText       *packed);
char       *_fcm_packed_text_dup     (const FcmPackedText *packed);
const char *_fcm_packed_text_get_key (const FcmPackedText *packed);
guint       _fcm_packed_text_get_n_bases (void);

typedef struct
{
  const char  *rule;         /* shared (_fcm_shared_string()), or owned */
  const char  *path;         /* likewise */
  char        *message;
  FcmSeverity  severity;
  guint8       rule_owned;
  guint8       path_owned;
} FcmPackedIssue;

const char *_fcm_shared_string (const char *str);

typedef struct
{
  guint          n;
  FcmPackedIssue items[];
} FcmPackedIssues;

FcmPackedIssues *_fcm_packed_issues_new  (GPtrArray       *issues);
void             _fcm_packed_issues_free (FcmPackedIssues *packed);

struct _FcmEventLogEntry
{
  GObject parent_instance;

  /* Kept small: a timeline holds up to 100,000 of these (see
   * tests/bench/bench-timeline.c). The parsed FcmEvent is not kept; only the
   * text and the few fields the timeline shows. get_event() parses on demand. */
  gint64 received;         /* wall clock, µs since the epoch */
  FcmPackedText text;      /* keyed by the event name (or the kind), the event id as tail */
  FcmPackedIssues *issues; /* NULL when there are none */
  gint32 latency_ms;       /* received - event timestamp; G_MININT32 when unknown */
  guint16 ack_status;      /* 0 = no ack sent */
  guint8 kind;             /* FcmMessageKind */
  guint8 own_echo : 1;     /* the hub's echo of a request we published (C-38) */
  guint8 is_event : 1;
  guint8 has_id : 1;
  guint8 parse_failed : 1;
  guint8 is_note : 1;      /* not received: the monitor's note of a connection change; its code is the tail */
};

/* fcm-event-log-entry.c: a recorded entry gets its recorded receive time
 * (fcm-recording.c); the latency follows from @event's timestamp */
void _fcm_event_log_entry_set_received (FcmEventLogEntry *self,
                                        gint64            received_usec,
                                        FcmEvent         *event);

#define FCM_EVENT_LOG_ENTRY_ID(entry) ((entry)->has_id ? FCM_PACKED_TEXT_TAIL (&(entry)->text) : NULL)

G_END_DECLS
