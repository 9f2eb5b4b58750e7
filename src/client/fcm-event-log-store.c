/* fcm-event-log-store.c: how the event log keeps its texts and issues small
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the event log (see fcm-event-log-private.h).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-event-log-private.h"

/* ------------------------------------------------------------------ text deltas */

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

struct _FcmTextBase
{
  grefcount  ref;
  guint32    len;
  guint16   *index;     /* hash of 4 bytes → position + 1; only while current */
  const char *key;      /* interned: the event name, or the kind of message */
  char      *text;
};

static FcmTextBase *
text_base_new (const char *key,
               const char *text,
               gsize       len)
{
  FcmTextBase *base = g_new0 (FcmTextBase, 1);

  g_ref_count_init (&base->ref);
  base->key = key;
  base->len = (guint32) len;
  base->text = g_memdup2 (text, len + 1);
  return base;
}

static FcmTextBase *
text_base_ref (FcmTextBase *base)
{
  g_ref_count_inc (&base->ref);
  return base;
}

static void
text_base_unref (FcmTextBase *base)
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
text_base_build_index (FcmTextBase *base)
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
text_encode (FcmTextBase *base,
             const char  *text,
             gsize        len)
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
text_decode (FcmTextBase  *base,
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

struct _FcmDeltaChunk
{
  grefcount ref;
  guint32   used;
  guint32   size;
  guint8    data[];
};

static FcmDeltaChunk *current_chunk;

static FcmDeltaChunk *
delta_chunk_new (gsize size)
{
  FcmDeltaChunk *chunk = g_malloc (sizeof (FcmDeltaChunk) + size);

  g_ref_count_init (&chunk->ref);
  chunk->used = 0;
  chunk->size = (guint32) size;
  return chunk;
}

static void
delta_chunk_unref (FcmDeltaChunk *chunk)
{
  if (chunk != NULL && g_ref_count_dec (&chunk->ref))
    g_free (chunk);
}

/* Returns @size bytes in a chunk; *@out_chunk holds a new reference to it */
static guint8 *
delta_chunk_alloc (gsize           size,
                   FcmDeltaChunk **out_chunk)
{
  FcmDeltaChunk *chunk;

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

/* ------------------------------------------------------------------ packed text */

/**
 * _fcm_packed_text_init:
 * @key: (not nullable): interned: texts with the same key are encoded
 *   against each other (the event name, or the kind of message)
 * @tail: (nullable): a string kept after the delta (the event id), read back
 *   with FCM_PACKED_TEXT_TAIL()
 */
void
_fcm_packed_text_init (FcmPackedText *packed,
                       const char    *key,
                       const char    *text,
                       const char    *tail)
{
  gsize tail_size = tail != NULL ? strlen (tail) + 1 : 0;
  gsize len = strlen (text);
  g_autoptr(GByteArray) delta = NULL;
  FcmTextBase *base = NULL;
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
  packed->base = text_base_ref (base);
  packed->text_len = (guint32) len;
  packed->delta_len = delta->len;
  /* the delta and the tail, side by side */
  packed->delta = delta_chunk_alloc (delta->len + tail_size, &packed->chunk);
  memcpy (packed->delta, delta->data, delta->len);
  if (tail != NULL)
    memcpy (packed->delta + delta->len, tail, tail_size);
}

void
_fcm_packed_text_clear (FcmPackedText *packed)
{
  g_clear_pointer (&packed->chunk, delta_chunk_unref);
  g_clear_pointer (&packed->base, text_base_unref);
}

/* Returns: (transfer full): the text */
char *
_fcm_packed_text_dup (const FcmPackedText *packed)
{
  char *out = g_malloc (packed->text_len + 1);

  if (!text_decode (packed->base, packed->delta, packed->delta_len, out, packed->text_len))
    g_assert_not_reached ();
  return out;
}

const char *
_fcm_packed_text_get_key (const FcmPackedText *packed)
{
  return packed->base->key;
}

/* ------------------------------------------------------------------ issues */

/* Issues are kept packed (rule ids and paths interned, a peer's habit gives
 * the same ones on every message); the FcmIssue objects are made when
 * fcm_event_log_entry_get_issues() is called. */
FcmPackedIssues *
_fcm_packed_issues_new (GPtrArray *issues)
{
  FcmPackedIssues *packed = g_malloc (sizeof (FcmPackedIssues) + issues->len * sizeof (FcmPackedIssue));

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

void
_fcm_packed_issues_free (FcmPackedIssues *packed)
{
  for (guint i = 0; packed != NULL && i < packed->n; i++)
    g_free (packed->items[i].message);
  g_free (packed);
}
