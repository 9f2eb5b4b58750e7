/* fcm-event-log.c: a timeline of everything a subscriber received (GListModel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-event-log.h"
#include "fcm-json-private.h"

/* ------------------------------------------------------------------ text store */

/* A timeline holds up to 100,000 messages, and the messages of one kind are
 * nearly the same text: a DiagnosticReport-open differs from the previous
 * one in its ids and timestamp only. Each text is therefore stored as a
 * delta against a recent message of the same kind (its "base"): runs copied
 * from the base and literal bytes, ~10 % of the raw size. A text that does not
 * compress well against the current base becomes the new base. Bases are
 * reference-counted and shared by the entries encoded against them.
 *
 * Encoding: a sequence of (varint literal length, literal bytes, varint copy
 * offset, varint copy length); a copy length of 0 ends nothing, the stream
 * ends with the buffer. Main-thread only, as the rest of the log. */

#define MIN_COPY 6
#define INDEX_BITS 12

typedef struct
{
  grefcount  ref;
  guint32    len;
  guint16   *index;     /* hash of 4 bytes → position + 1; only while current */
  const char *key;      /* interned: the event name, or the kind of message */
  char      *text;
} TextBase;

static TextBase *
text_base_new (const char *key,
               const char *text,
               gsize       len)
{
  TextBase *base = g_new0 (TextBase, 1);

  g_ref_count_init (&base->ref);
  base->key = key;
  base->len = (guint32) len;
  base->text = g_memdup2 (text, len + 1);
  return base;
}

static TextBase *
text_base_ref (TextBase *base)
{
  g_ref_count_inc (&base->ref);
  return base;
}

static void
text_base_unref (TextBase *base)
{
  if (base != NULL && g_ref_count_dec (&base->ref))
    {
      g_free (base->index);
      g_free (base->text);
      g_free (base);
    }
}

static inline guint
hash4 (const char *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return (v * 2654435761u) >> (32 - INDEX_BITS);
}

static void
text_base_build_index (TextBase *base)
{
  if (base->index != NULL || base->len > G_MAXUINT16 - 1)
    return;
  base->index = g_new0 (guint16, 1 << INDEX_BITS);
  /* first occurrence wins: the encoder walks forward through similar texts */
  for (guint32 i = base->len >= 4 ? base->len - 4 + 1 : 0; i > 0; i--)
    base->index[hash4 (base->text + i - 1)] = (guint16) i;
}

static void
put_varint (GByteArray *out,
            guint32     v)
{
  while (v >= 0x80)
    {
      guint8 b = (v & 0x7f) | 0x80;

      g_byte_array_append (out, &b, 1);
      v >>= 7;
    }
  {
    guint8 b = (guint8) v;

    g_byte_array_append (out, &b, 1);
  }
}

static gboolean
get_varint (const guint8 **p,
            const guint8  *end,
            guint32       *v)
{
  guint32 result = 0;

  for (guint shift = 0; *p < end && shift < 32; shift += 7)
    {
      guint8 b = *(*p)++;

      result |= (guint32) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *v = result;
          return TRUE;
        }
    }
  return FALSE;
}

static gsize
match_length (const char *a,
              gsize       a_len,
              const char *b,
              gsize       b_len)
{
  gsize n = 0;

  while (n < a_len && n < b_len && a[n] == b[n])
    n++;
  return n;
}

/* Returns the delta of @text against @base, or NULL when @base has no index.
 * Copies come from the base, or (offsets past the base) from the text
 * already encoded: values repeated inside a message (a study UID in three
 * places) are stored once. */
static GByteArray *
text_encode (TextBase   *base,
             const char *text,
             gsize       len)
{
  GByteArray *out;
  g_autofree guint16 *self_index = NULL;
  gsize lit_start = 0;
  gsize i = 0;
  gsize indexed = 0;      /* text positions [0, indexed) are in self_index */
  gsize expect = 0;       /* where the base probably continues */

  if (base->index == NULL || len > G_MAXUINT16 - 1)
    return NULL;

  out = g_byte_array_sized_new (len / 8 + 16);
  self_index = g_new0 (guint16, 1 << INDEX_BITS);
  while (i + 4 <= len)
    {
      gsize best_len = 0, best_off = 0;
      guint h = hash4 (text + i);
      guint16 slot = base->index[h];

      for (; indexed + 4 <= i; indexed++)
        self_index[hash4 (text + indexed)] = (guint16) (indexed + 1);

      if (slot != 0)
        {
          gsize off = slot - 1;
          gsize n = match_length (text + i, len - i, base->text + off, base->len - off);

          if (n > best_len)
            best_len = n, best_off = off;
        }
      if (expect < base->len)
        {
          gsize n = match_length (text + i, len - i, base->text + expect, base->len - expect);

          if (n > best_len)
            best_len = n, best_off = expect;
        }
      slot = self_index[h];
      if (slot != 0)
        {
          gsize off = slot - 1;
          /* the source may run into the bytes being copied: that is fine */
          gsize n = match_length (text + i, len - i, text + off, len - off);

          if (n > best_len + 2)
            best_len = n, best_off = base->len + off;
        }
      if (best_len < MIN_COPY)
        {
          i++;
          expect++;
          continue;
        }
      put_varint (out, (guint32) (i - lit_start));
      g_byte_array_append (out, (const guint8 *) text + lit_start, (guint) (i - lit_start));
      put_varint (out, (guint32) best_off);
      put_varint (out, (guint32) best_len);
      i += best_len;
      lit_start = i;
      if (best_off < base->len)
        expect = best_off + best_len;
    }
  if (lit_start < len)
    {
      put_varint (out, (guint32) (len - lit_start));
      g_byte_array_append (out, (const guint8 *) text + lit_start, (guint) (len - lit_start));
    }
  return out;
}

/* Decodes into @out (raw_len + 1 bytes); FALSE on a corrupt stream */
static gboolean
text_decode (TextBase     *base,
             const guint8 *data,
             gsize         data_len,
             char         *out,
             gsize         raw_len)
{
  const guint8 *p = data, *end = data + data_len;
  gsize o = 0;

  while (p < end)
    {
      guint32 lit, off, n;

      if (!get_varint (&p, end, &lit) || lit > (gsize) (end - p) || o + lit > raw_len)
        return FALSE;
      memcpy (out + o, p, lit);
      p += lit;
      o += lit;
      if (p == end)
        break;
      if (!get_varint (&p, end, &off) || !get_varint (&p, end, &n) || o + n > raw_len)
        return FALSE;
      if (off < base->len)
        {
          if ((gsize) off + n > base->len)
            return FALSE;
          memcpy (out + o, base->text + off, n);
        }
      else
        {
          gsize from = off - base->len;

          if (from >= o)
            return FALSE;
          /* byte by byte: source and destination may overlap */
          for (guint32 k = 0; k < n; k++)
            out[o + k] = out[from + k];
        }
      o += n;
    }
  out[o] = '\0';
  return o == raw_len;
}

/* the current base of each kind of message ("DiagnosticReport-open", "ack" …) */
static GHashTable *current_bases;

/* ------------------------------------------------------------------ delta storage */

/* The deltas of consecutive entries are packed into shared 64 KiB chunks
 * instead of one malloc block each: no per-block header, and the long-lived
 * deltas do not end up scattered between the short-lived JSON trees parsed
 * for each message (heap fragmentation was ~7 MB at 100,000 rows). A chunk is
 * freed when the last entry stored in it goes; the timeline drops its oldest
 * entries first, so chunks are released in order. Main-thread only. */

#define CHUNK_SIZE (64 * 1024 - 64)

typedef struct
{
  grefcount ref;
  guint32   used;
  guint32   size;
  guint8    data[];
} DeltaChunk;

static DeltaChunk *current_chunk;

static DeltaChunk *
delta_chunk_new (gsize size)
{
  DeltaChunk *chunk = g_malloc (sizeof (DeltaChunk) + size);

  g_ref_count_init (&chunk->ref);
  chunk->used = 0;
  chunk->size = (guint32) size;
  return chunk;
}

static void
delta_chunk_unref (DeltaChunk *chunk)
{
  if (chunk != NULL && g_ref_count_dec (&chunk->ref))
    g_free (chunk);
}

/* Returns @size bytes in a chunk; *@out_chunk holds a new reference to it */
static guint8 *
delta_chunk_alloc (gsize        size,
                   DeltaChunk **out_chunk)
{
  DeltaChunk *chunk;

  if (size > CHUNK_SIZE / 8)
    chunk = delta_chunk_new (size);          /* a large one stands alone */
  else
    {
      if (current_chunk == NULL || current_chunk->used + size > current_chunk->size)
        {
          g_clear_pointer (&current_chunk, delta_chunk_unref);
          current_chunk = delta_chunk_new (CHUNK_SIZE);
        }
      chunk = current_chunk;
      g_ref_count_inc (&chunk->ref);
    }
  chunk->used += (guint32) size;
  *out_chunk = chunk;
  return chunk->data + chunk->used - size;
}

/* Issues are kept packed (rule ids and paths interned, a peer's habit gives
 * the same ones on every message); the FcmIssue objects are made when
 * fcm_event_log_entry_get_issues() is called. */
typedef struct
{
  const char *rule;
  const char *path;
  char       *message;
  FcmSeverity severity;
} PackedIssue;

typedef struct
{
  guint       n;
  PackedIssue items[];
} PackedIssues;

static PackedIssues *
pack_issues (GPtrArray *issues)
{
  PackedIssues *packed = g_malloc (sizeof (PackedIssues) + issues->len * sizeof (PackedIssue));

  packed->n = issues->len;
  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      packed->items[i].rule = g_intern_string (fcm_issue_get_rule_id (issue));
      packed->items[i].path = g_intern_string (fcm_issue_get_path (issue));
      packed->items[i].message = g_strdup (fcm_issue_get_message (issue));
      packed->items[i].severity = fcm_issue_get_severity (issue);
    }
  return packed;
}

static void
packed_issues_free (PackedIssues *packed)
{
  for (guint i = 0; packed != NULL && i < packed->n; i++)
    g_free (packed->items[i].message);
  g_free (packed);
}

/* ------------------------------------------------------------------ entry */

typedef struct
{
  char *text;            /* decoded, once get_text () was called */
  FcmEvent *event;       /* parsed on demand (or given without text) */
  GPtrArray *issues;     /* made once get_issues () was called */
} EntryExtra;

struct _FcmEventLogEntry
{
  GObject parent_instance;

  /* Kept small: a timeline holds up to 100,000 of these (see
   * tests/bench/bench-timeline.c). The parsed FcmEvent is not kept; only the
   * text and the few fields the timeline shows. get_event() parses on demand. */
  gint64 received;       /* wall clock, µs since the epoch */
  TextBase *base;        /* the text, as a delta against base (see above) */
  guint8 *delta;         /* the delta, then the event id when has_id, in chunk */
  DeltaChunk *chunk;
  PackedIssues *issues;  /* NULL when there are none */
  guint32 delta_len;
  guint32 text_len;
  gint32 latency_ms;     /* received - event timestamp; G_MININT32 when unknown */
  guint16 ack_status;    /* 0 = no ack sent */
  guint8 kind;           /* FcmMessageKind */
  guint8 own_echo : 1;   /* the hub's echo of a request we published (C-38) */
  guint8 is_event : 1;
  guint8 has_id : 1;
  guint8 parse_failed : 1;
};

#define ENTRY_EVENT_ID(self) ((self)->has_id ? (const char *) (self)->delta + (self)->delta_len : NULL)

/* what only some entries need lives in the object's qdata, not in every entry */
static GQuark extra_quark;

static void
entry_extra_free (gpointer data)
{
  EntryExtra *extra = data;

  g_free (extra->text);
  g_clear_object (&extra->event);
  g_clear_pointer (&extra->issues, g_ptr_array_unref);
  g_free (extra);
}

static EntryExtra *
entry_extra_peek (FcmEventLogEntry *self)
{
  return g_object_get_qdata (G_OBJECT (self), extra_quark);
}

static EntryExtra *
entry_extra (FcmEventLogEntry *self)
{
  EntryExtra *extra = entry_extra_peek (self);

  if (extra == NULL)
    {
      extra = g_new0 (EntryExtra, 1);
      g_object_set_qdata_full (G_OBJECT (self), extra_quark, extra, entry_extra_free);
    }
  return extra;
}

G_DEFINE_FINAL_TYPE (FcmEventLogEntry, fcm_event_log_entry, G_TYPE_OBJECT)

enum {
  ENTRY_PROP_0,
  ENTRY_PROP_RECEIVED,
  ENTRY_PROP_LATENCY_MS,
  ENTRY_PROP_KIND,
  ENTRY_PROP_TEXT,
  ENTRY_PROP_EVENT,
  ENTRY_PROP_ACK_STATUS,
  ENTRY_PROP_OWN_ECHO,
  ENTRY_N_PROPS
};

static GParamSpec *entry_properties[ENTRY_N_PROPS];

static void
fcm_event_log_entry_finalize (GObject *object)
{
  FcmEventLogEntry *self = FCM_EVENT_LOG_ENTRY (object);

  delta_chunk_unref (self->chunk);
  text_base_unref (self->base);
  g_clear_pointer (&self->issues, packed_issues_free);

  G_OBJECT_CLASS (fcm_event_log_entry_parent_class)->finalize (object);
}

static void
fcm_event_log_entry_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FcmEventLogEntry *self = FCM_EVENT_LOG_ENTRY (object);

  switch (prop_id)
    {
    case ENTRY_PROP_RECEIVED:
      g_value_set_int64 (value, self->received);
      break;
    case ENTRY_PROP_LATENCY_MS:
      g_value_set_int64 (value, fcm_event_log_entry_get_latency_ms (self));
      break;
    case ENTRY_PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case ENTRY_PROP_TEXT:
      g_value_take_string (value, fcm_event_log_entry_dup_text (self));
      break;
    case ENTRY_PROP_EVENT:
      g_value_set_object (value, fcm_event_log_entry_get_event (self));
      break;
    case ENTRY_PROP_ACK_STATUS:
      g_value_set_uint (value, self->ack_status);
      break;
    case ENTRY_PROP_OWN_ECHO:
      g_value_set_boolean (value, self->own_echo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_event_log_entry_class_init (FcmEventLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = fcm_event_log_entry_finalize;
  extra_quark = g_quark_from_static_string ("fcm-event-log-entry-extra");
  object_class->get_property = fcm_event_log_entry_get_property;

  entry_properties[ENTRY_PROP_RECEIVED] =
    g_param_spec_int64 ("received", NULL, NULL, 0, G_MAXINT64, 0, ro);
  entry_properties[ENTRY_PROP_LATENCY_MS] =
    g_param_spec_int64 ("latency-ms", NULL, NULL, G_MININT64, G_MAXINT64, G_MININT64, ro);
  entry_properties[ENTRY_PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, FCM_TYPE_MESSAGE_KIND, FCM_MESSAGE_UNKNOWN, ro);
  entry_properties[ENTRY_PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, ro);
  entry_properties[ENTRY_PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, FCM_TYPE_EVENT, ro);
  entry_properties[ENTRY_PROP_ACK_STATUS] =
    g_param_spec_uint ("ack-status", NULL, NULL, 0, 999, 0, ro);
  entry_properties[ENTRY_PROP_OWN_ECHO] =
    g_param_spec_boolean ("own-echo", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, ENTRY_N_PROPS, entry_properties);
}

static void
fcm_event_log_entry_init (FcmEventLogEntry *self)
{
  self->latency_ms = G_MININT32;
}

static void
store_text (FcmEventLogEntry *self,
            const char       *text,
            FcmMessageKind    kind,
            FcmEvent         *event)
{
  const char *event_id = event != NULL ? fcm_event_get_id (event) : NULL;
  gsize id_size = event_id != NULL ? strlen (event_id) + 1 : 0;
  const char *key = event != NULL ? g_intern_string (fcm_event_get_name (event))
                                  : fcm_message_kind_to_string (kind);
  gsize len = strlen (text);
  g_autoptr(GByteArray) delta = NULL;
  TextBase *base = NULL;
  gboolean too_long = len + 1 >= G_MAXUINT16;

  if (current_bases == NULL)
    current_bases = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify) text_base_unref);

  if (too_long)
    {
      /* too long to index: one literal run, against an empty base */
      static GHashTable *empty_bases;

      if (empty_bases == NULL)
        empty_bases = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify) text_base_unref);
      base = g_hash_table_lookup (empty_bases, key);
      if (base == NULL)
        {
          base = text_base_new (key, "", 0);
          g_hash_table_insert (empty_bases, (gpointer) key, base);
        }
      delta = g_byte_array_new ();
      put_varint (delta, (guint32) len);
      g_byte_array_append (delta, (const guint8 *) text, (guint) len);
    }
  else if ((base = g_hash_table_lookup (current_bases, key)) != NULL)
    delta = text_encode (base, text, len);
  if (!too_long && (delta == NULL || delta->len > len / 2))
    {
      /* a new kind of text: it becomes the base of those that follow */
      g_clear_pointer (&delta, g_byte_array_unref);
      if (base != NULL)
        g_clear_pointer (&base->index, g_free);     /* no longer current */
      base = text_base_new (key, text, len);
      text_base_build_index (base);
      g_hash_table_replace (current_bases, (gpointer) key, base);
      delta = text_encode (base, text, len);
    }
  self->base = text_base_ref (base);
  self->text_len = (guint32) len;
  self->delta_len = delta->len;
  /* the delta and the event id, side by side */
  self->delta = delta_chunk_alloc (delta->len + id_size, &self->chunk);
  memcpy (self->delta, delta->data, delta->len);
  if (event_id != NULL)
    {
      memcpy (self->delta + delta->len, event_id, id_size);
      self->has_id = TRUE;
    }
}

/**
 * fcm_event_log_entry_new:
 * @event: (nullable): the parsed notification, if it is one
 * @issues: (nullable) (element-type FcmIssue): validation issues (copied,
 *   packed: fcm_event_log_entry_get_issues() makes equal FcmIssues again)
 *
 * Stamps the receive time now; the latency is computed from the event's
 * timestamp (the hub's send time for a live notification).
 */
FcmEventLogEntry *
fcm_event_log_entry_new (const char     *text,
                         FcmMessageKind  kind,
                         FcmEvent       *event,
                         GPtrArray      *issues)
{
  FcmEventLogEntry *self = g_object_new (FCM_TYPE_EVENT_LOG_ENTRY, NULL);

  self->received = g_get_real_time ();
  self->kind = kind;
  store_text (self, text != NULL ? text : "", kind, event);
  if (issues != NULL && issues->len > 0)
    self->issues = pack_issues (issues);
  if (event != NULL)
    {
      gint64 ts = fcm_event_get_timestamp_usec (event);

      self->is_event = TRUE;
      if (ts > 0)
        self->latency_ms = (gint32) CLAMP ((self->received - ts) / 1000, G_MININT32 + 1, G_MAXINT32);
      /* without a text to parse again later, keep the event itself */
      if (self->text_len == 0)
        entry_extra (self)->event = g_object_ref (event);
    }
  return self;
}

/**
 * fcm_event_log_entry_new_from_message:
 * @message: a received message
 * @issues: (nullable) (element-type FcmIssue): what the validator found in it
 *
 * Like fcm_event_log_entry_new() for the text, kind and event of @message.
 */
FcmEventLogEntry *
fcm_event_log_entry_new_from_message (FcmMessage *message,
                                      GPtrArray  *issues)
{
  g_return_val_if_fail (message != NULL, NULL);

  return fcm_event_log_entry_new (fcm_message_get_text (message), fcm_message_get_kind (message),
                                  fcm_message_get_event (message), issues);
}

gint64
fcm_event_log_entry_get_received (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), 0);
  return self->received;
}

/**
 * fcm_event_log_entry_get_latency_ms:
 *
 * Returns: hub-to-us latency in ms, %G_MININT64 when unknown (replays keep
 *   their original timestamp, C-21, so theirs is large)
 */
gint64
fcm_event_log_entry_get_latency_ms (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), G_MININT64);
  return self->latency_ms == G_MININT32 ? G_MININT64 : self->latency_ms;
}

FcmMessageKind
fcm_event_log_entry_get_kind (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), FCM_MESSAGE_UNKNOWN);
  return self->kind;
}

const char *
fcm_event_log_entry_get_text (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  /* kept from now on: for many entries, fcm_event_log_entry_dup_text () */
  extra = entry_extra (self);
  if (extra->text == NULL)
    extra->text = fcm_event_log_entry_dup_text (self);
  return extra->text;
}

/**
 * fcm_event_log_entry_dup_text:
 *
 * The message text as received. Unlike fcm_event_log_entry_get_text(), it
 * keeps nothing with the entry, which stores its text compactly: use it when
 * going through many entries (search, export).
 *
 * Returns: (transfer full): the text
 */
char *
fcm_event_log_entry_dup_text (FcmEventLogEntry *self)
{
  EntryExtra *extra;
  char *out;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  extra = entry_extra_peek (self);
  if (extra != NULL && extra->text != NULL)
    return g_strdup (extra->text);
  out = g_malloc (self->text_len + 1);
  if (!text_decode (self->base, self->delta, self->delta_len, out, self->text_len))
    g_assert_not_reached ();
  return out;
}

/**
 * fcm_event_log_entry_get_event:
 *
 * The event is parsed from the text on first use and then kept with the
 * entry (the timeline parses only the entries someone looks at).
 *
 * Returns: (transfer none) (nullable):
 */
FcmEvent *
fcm_event_log_entry_get_event (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  extra = entry_extra_peek (self);
  if ((extra == NULL || extra->event == NULL) && self->is_event && !self->parse_failed)
    {
      g_autofree char *text = fcm_event_log_entry_dup_text (self);

      extra = entry_extra (self);
      extra->event = fcm_event_new_from_json (text, -1, NULL);
      self->parse_failed = extra->event == NULL;
    }
  return extra != NULL ? extra->event : NULL;
}

/**
 * fcm_event_log_entry_get_name:
 *
 * Returns: (nullable): the event name as received, %NULL when the entry is not an event
 */
const char *
fcm_event_log_entry_get_name (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);
  /* the text's base was chosen by the event name */
  return self->is_event ? self->base->key : NULL;
}

/**
 * fcm_event_log_entry_get_event_id:
 *
 * Returns: (nullable): the event id, %NULL when the entry is not an event
 */
const char *
fcm_event_log_entry_get_event_id (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);
  return ENTRY_EVENT_ID (self);
}

/**
 * fcm_event_log_entry_count_issues:
 * @severity: the severity to count
 *
 * Returns: the number of issues of @severity
 */
guint
fcm_event_log_entry_count_issues (FcmEventLogEntry *self,
                                  FcmSeverity       severity)
{
  guint n = 0;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), 0);

  if (self->issues == NULL)
    return 0;
  for (guint i = 0; i < self->issues->n; i++)
    if (self->issues->items[i].severity == severity)
      n++;
  return n;
}

/**
 * fcm_event_log_entry_get_issues:
 *
 * Returns: (transfer none) (element-type FcmIssue):
 */
GPtrArray *
fcm_event_log_entry_get_issues (FcmEventLogEntry *self)
{
  EntryExtra *extra;

  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), NULL);

  /* made only when asked for, and then kept */
  extra = entry_extra (self);
  if (extra->issues == NULL)
    {
      guint n = self->issues != NULL ? self->issues->n : 0;

      extra->issues = g_ptr_array_new_full (n, g_object_unref);
      for (guint i = 0; i < n; i++)
        {
          PackedIssue *p = &self->issues->items[i];

          g_ptr_array_add (extra->issues, fcm_issue_new (p->severity, p->rule, p->path, p->message));
        }
    }
  return extra->issues;
}

guint
fcm_event_log_entry_get_ack_status (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), 0);
  return self->ack_status;
}

void
fcm_event_log_entry_set_ack_status (FcmEventLogEntry *self,
                                    guint             status)
{
  g_return_if_fail (FCM_IS_EVENT_LOG_ENTRY (self));
  g_return_if_fail (status <= 999);

  if (self->ack_status == status)
    return;
  self->ack_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_ACK_STATUS]);
}

/**
 * fcm_event_log_entry_get_own_echo:
 *
 * Returns: %TRUE if the entry is the hub's echo of a request this client published (C-38)
 */
gboolean
fcm_event_log_entry_get_own_echo (FcmEventLogEntry *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG_ENTRY (self), FALSE);
  return self->own_echo;
}

void
fcm_event_log_entry_set_own_echo (FcmEventLogEntry *self,
                                  gboolean          own_echo)
{
  g_return_if_fail (FCM_IS_EVENT_LOG_ENTRY (self));

  own_echo = !!own_echo;
  if (self->own_echo == own_echo)
    return;
  self->own_echo = own_echo;
  g_object_notify_by_pspec (G_OBJECT (self), entry_properties[ENTRY_PROP_OWN_ECHO]);
}

/* ------------------------------------------------------------------ log */

#define DEFAULT_MAX_ENTRIES 10000

struct _FcmEventLog
{
  GObject parent_instance;

  GPtrArray *entries;
  guint max_entries;
};

static void fcm_event_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FcmEventLog, fcm_event_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fcm_event_log_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_MAX_ENTRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
fcm_event_log_get_item_type (GListModel *model)
{
  return FCM_TYPE_EVENT_LOG_ENTRY;
}

static guint
fcm_event_log_get_n_items (GListModel *model)
{
  return FCM_EVENT_LOG (model)->entries->len;
}

static gpointer
fcm_event_log_get_item (GListModel *model,
                        guint       position)
{
  FcmEventLog *self = FCM_EVENT_LOG (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
fcm_event_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fcm_event_log_get_item_type;
  iface->get_n_items = fcm_event_log_get_n_items;
  iface->get_item = fcm_event_log_get_item;
}

static void
fcm_event_log_finalize (GObject *object)
{
  FcmEventLog *self = FCM_EVENT_LOG (object);

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (fcm_event_log_parent_class)->finalize (object);
}

static void
fcm_event_log_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FcmEventLog *self = FCM_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    case PROP_MAX_ENTRIES:
      g_value_set_uint (value, self->max_entries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_event_log_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FcmEventLog *self = FCM_EVENT_LOG (object);

  switch (prop_id)
    {
    case PROP_MAX_ENTRIES:
      fcm_event_log_set_max_entries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_event_log_class_init (FcmEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fcm_event_log_finalize;
  object_class->get_property = fcm_event_log_get_property;
  object_class->set_property = fcm_event_log_set_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_ENTRIES] =
    g_param_spec_uint ("max-entries", NULL, NULL, 1, G_MAXUINT, DEFAULT_MAX_ENTRIES,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_event_log_init (FcmEventLog *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = DEFAULT_MAX_ENTRIES;
}

FcmEventLog *
fcm_event_log_new (void)
{
  return g_object_new (FCM_TYPE_EVENT_LOG, NULL);
}

/* a lowered limit: oldest out at the front, one change over the whole list */
static void
trim (FcmEventLog *self)
{
  guint old_len = self->entries->len;

  if (old_len <= self->max_entries)
    return;
  g_ptr_array_remove_range (self->entries, 0, old_len - self->max_entries);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->entries->len);
}

void
fcm_event_log_append (FcmEventLog      *self,
                      FcmEventLogEntry *entry)
{
  g_return_if_fail (FCM_IS_EVENT_LOG (self));
  g_return_if_fail (FCM_IS_EVENT_LOG_ENTRY (entry));

  /* a full log: the oldest out at the front, then the newest in at the end,
   * as two small changes, so that filter models and list views do not redo
   * the whole list for every message */
  if (self->entries->len >= self->max_entries)
    {
      guint drop = self->entries->len - self->max_entries + 1;

      g_ptr_array_remove_range (self->entries, 0, drop);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, drop, 0);
    }
  g_ptr_array_add (self->entries, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * fcm_event_log_find_event:
 *
 * Returns: (transfer none) (nullable): the newest entry for @event_id
 */
FcmEventLogEntry *
fcm_event_log_find_event (FcmEventLog *self,
                          const char  *event_id)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  for (guint i = self->entries->len; i > 0; i--)
    {
      FcmEventLogEntry *entry = g_ptr_array_index (self->entries, i - 1);

      if (entry->has_id && strcmp ((const char *) entry->delta + entry->delta_len, event_id) == 0)
        return entry;
    }
  return NULL;
}

void
fcm_event_log_clear (FcmEventLog *self)
{
  guint n;

  g_return_if_fail (FCM_IS_EVENT_LOG (self));

  n = self->entries->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->entries, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

guint
fcm_event_log_get_max_entries (FcmEventLog *self)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), 0);
  return self->max_entries;
}

void
fcm_event_log_set_max_entries (FcmEventLog *self,
                               guint        max_entries)
{
  g_return_if_fail (FCM_IS_EVENT_LOG (self));
  g_return_if_fail (max_entries > 0);

  if (self->max_entries == max_entries)
    return;
  self->max_entries = max_entries;
  trim (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ENTRIES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ------------------------------------------------------------------ NDJSON export */

static char *
format_received (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

static JsonNode *
entry_to_json (FcmEventLogEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *received = format_received (entry->received);
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *text = fcm_event_log_entry_dup_text (entry);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "received");
  json_builder_add_string_value (b, received);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, fcm_message_kind_to_string (entry->kind));
  json_builder_set_member_name (b, "latencyMs");
  if (entry->latency_ms != G_MININT32)
    json_builder_add_int_value (b, entry->latency_ms);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "ack");
  if (entry->ack_status != 0)
    json_builder_add_int_value (b, entry->ack_status);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "ownEcho");
  json_builder_add_boolean_value (b, entry->own_echo);
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  for (guint i = 0; entry->issues != NULL && i < entry->issues->n; i++)
    {
      PackedIssue *issue = &entry->issues->items[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, issue->rule);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, fcm_severity_to_string (issue->severity));
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, issue->path);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, issue->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "message");
  /* the original message as JSON, or as a string when it was not JSON */
  message = fcm_json_parse (text, -1, NULL);
  if (message != NULL)
    json_builder_add_value (b, g_steal_pointer (&message));
  else
    json_builder_add_string_value (b, text);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/**
 * fcm_event_log_to_ndjson:
 * @subset: (nullable): a #GListModel of #FcmEventLogEntry to write (e.g. a
 *   filtered view of @self), or %NULL for every entry of @self
 *
 * One JSON object per line (newline-delimited JSON): `received` (ISO 8601
 * UTC with milliseconds), `kind`, `latencyMs` (or null), `ack` (or null),
 * `ownEcho`, `issues` (`rule`, `severity`, `path`, `message`) and `message`
 * (the original message as JSON, or a string when it was not JSON).
 *
 * Returns: (transfer full): the NDJSON text
 */
GBytes *
fcm_event_log_to_ndjson (FcmEventLog *self,
                         GListModel  *subset)
{
  GListModel *model;
  GString *out;
  guint n;

  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), NULL);
  g_return_val_if_fail (subset == NULL || G_IS_LIST_MODEL (subset), NULL);

  model = subset != NULL ? subset : G_LIST_MODEL (self);
  n = g_list_model_get_n_items (model);
  out = g_string_sized_new (n * 256 + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *line = NULL;

      if (!FCM_IS_EVENT_LOG_ENTRY (item))
        continue;
      node = entry_to_json (FCM_EVENT_LOG_ENTRY (item));
      line = fcm_json_to_string (node, FALSE);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  return g_string_free_to_bytes (out);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * fcm_event_log_export_async:
 *
 * Writes every entry to @file as NDJSON (see fcm_event_log_to_ndjson()),
 * replacing it.
 */
void
fcm_event_log_export_async (FcmEventLog         *self,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  fcm_event_log_export_subset_async (self, NULL, file, cancellable, callback, user_data);
}

/**
 * fcm_event_log_export_subset_async:
 * @subset: (nullable): the entries to write, e.g. a filtered view of the log;
 *   %NULL for all
 *
 * Like fcm_event_log_export_async(), for the entries of @subset only.
 * Finish with fcm_event_log_export_finish().
 */
void
fcm_event_log_export_subset_async (FcmEventLog         *self,
                                   GListModel          *subset,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (FCM_IS_EVENT_LOG (self));
  g_return_if_fail (subset == NULL || G_IS_LIST_MODEL (subset));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fcm_event_log_export_async);
  bytes = fcm_event_log_to_ndjson (self, subset);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_done_cb, g_steal_pointer (&task));
}

gboolean
fcm_event_log_export_finish (FcmEventLog   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (FCM_IS_EVENT_LOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
