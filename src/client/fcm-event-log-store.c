/* fcm-event-log-store.c: how the event log keeps its texts and issues small
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the event log (see fcm-event-log-private.h).
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include <zstd.h>

#include "fcm-event-log-private.h"

/* ------------------------------------------------------------------ texts */

/* A timeline holds up to 100,000 messages, and the messages of one kind are
 * nearly the same text: a DiagnosticReport-open differs from the previous
 * one in its ids and timestamp only. Each text is therefore compressed with
 * zstd against a recent message of the same kind (its "base"), used as a
 * raw-content prefix dictionary: what the base already says costs a few
 * bytes. A text that does not compress to half its size against the current
 * base becomes the new base. Bases are reference-counted and shared by the
 * entries compressed against them; the decoder needs the same base.
 *
 * Frames are written without checksum, dictionary id or content size (the
 * entry keeps the length), and stored without their 4-byte magic number,
 * which is put back to decode. Main-thread only, as the rest of the log. */

#define ZSTD_LEVEL 1
/* a text longer than this never becomes a base: it is kept against an empty one */
#define MAX_BASE_LEN (64 * 1024)
/* at most this many kinds of text keep a base (each up to MAX_BASE_LEN, for
 * the life of the process): FHIRcast's events and our kinds of message are
 * far fewer; a hub's made-up event names past it are kept against an empty
 * base, as over-long texts are */
#define MAX_BASE_KEYS 256

struct _FcmTextBase
{
  grefcount   ref;
  guint32     len;
  const char *key;      /* interned: the event name, or the kind of message */
  char       *text;
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
      g_free (base->text);
      g_free (base);
    }
}

/* ZSTD_MAGICNUMBER as the frame starts with it (little-endian) */
static const guint8 zstd_magic[4] = {
  ZSTD_MAGICNUMBER & 0xff, (ZSTD_MAGICNUMBER >> 8) & 0xff,
  (ZSTD_MAGICNUMBER >> 16) & 0xff, (ZSTD_MAGICNUMBER >> 24) & 0xff,
};

static ZSTD_CCtx *cctx;
static ZSTD_DCtx *dctx;
static guint8 *scratch;        /* the compressed text, or the frame to decode */
static gsize scratch_size;

static guint8 *
scratch_get (gsize size)
{
  if (size > scratch_size)
    {
      scratch_size = MAX (size, 4096);
      scratch = g_realloc (scratch, scratch_size);
    }
  return scratch;
}

static void
zstd_check (size_t      ret,
            const char *what)
{
  if (ZSTD_isError (ret))
    g_error ("zstd %s: %s", what, ZSTD_getErrorName (ret));
}

/* Compresses @text against @base into scratch (after the 4 bytes of the
 * magic number, which are left out); returns the size without them. */
static gsize
text_encode (FcmTextBase *base,
             const char  *text,
             gsize        len)
{
  gsize bound = ZSTD_compressBound (len);
  guint8 *out = scratch_get (bound);
  size_t n;

  if (cctx == NULL)
    {
      cctx = ZSTD_createCCtx ();
      if (cctx == NULL)
        g_error ("zstd: out of memory");
      zstd_check (ZSTD_CCtx_setParameter (cctx, ZSTD_c_compressionLevel, ZSTD_LEVEL), "level");
      zstd_check (ZSTD_CCtx_setParameter (cctx, ZSTD_c_checksumFlag, 0), "checksum");
      zstd_check (ZSTD_CCtx_setParameter (cctx, ZSTD_c_contentSizeFlag, 0), "content size");
      zstd_check (ZSTD_CCtx_setParameter (cctx, ZSTD_c_dictIDFlag, 0), "dictionary id");
    }
  /* a prefix is used for one frame only; the parameters stay */
  zstd_check (ZSTD_CCtx_reset (cctx, ZSTD_reset_session_only), "reset");
  if (base->len > 0)
    zstd_check (ZSTD_CCtx_refPrefix (cctx, base->text, base->len), "prefix");
  n = ZSTD_compress2 (cctx, out, bound, text, len);
  zstd_check (n, "compress");
  g_assert (n >= 4 && memcmp (out, zstd_magic, 4) == 0);
  return n - 4;
}

/* Decodes into @out (raw_len + 1 bytes); FALSE on a corrupt frame */
static gboolean
text_decode (FcmTextBase  *base,
             const guint8 *data,
             gsize         data_len,
             char         *out,
             gsize         raw_len)
{
  guint8 *frame = scratch_get (data_len + 4);
  size_t n;

  if (dctx == NULL && (dctx = ZSTD_createDCtx ()) == NULL)
    g_error ("zstd: out of memory");
  memcpy (frame, zstd_magic, 4);
  memcpy (frame + 4, data, data_len);
  if (base->len > 0 && ZSTD_isError (ZSTD_DCtx_refPrefix (dctx, base->text, base->len)))
    return FALSE;
  n = ZSTD_decompressDCtx (dctx, out, raw_len, frame, data_len + 4);
  if (ZSTD_isError (n) || n != raw_len)
    return FALSE;
  out[n] = '\0';
  return TRUE;
}

/* the current base of each kind of message ("DiagnosticReport-open", "ack" …) */
static GHashTable *current_bases;

/* ------------------------------------------------------------------ frame storage */

/* The frames ("deltas") of consecutive entries are packed into shared 64 KiB chunks
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
  gsize n = 0;
  FcmTextBase *base;

  if (current_bases == NULL)
    current_bases = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                           (GDestroyNotify) text_base_unref);

  if (len > MAX_BASE_LEN ||
      (g_hash_table_size (current_bases) >= MAX_BASE_KEYS && !g_hash_table_contains (current_bases, key)))
    {
      /* too long to pin as a base: compressed on its own, against an
       * empty base that only keeps the key */
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
      n = text_encode (base, text, len);
    }
  else
    {
      base = g_hash_table_lookup (current_bases, key);
      if (base != NULL)
        n = text_encode (base, text, len);
      if (base == NULL || n > len / 2)
        {
          /* a new kind of text: it becomes the base of those that follow */
          base = text_base_new (key, text, len);
          g_hash_table_replace (current_bases, (gpointer) key, base);
          n = text_encode (base, text, len);
        }
    }
  packed->base = text_base_ref (base);
  packed->text_len = (guint32) len;
  packed->delta_len = (guint32) n;
  /* the frame and the tail, side by side */
  packed->delta = delta_chunk_alloc (n + tail_size, &packed->chunk);
  memcpy (packed->delta, scratch + 4, n);
  if (tail != NULL)
    memcpy (packed->delta + n, tail, tail_size);
}

/* for tests: how many kinds of text keep a base */
guint
_fcm_packed_text_get_n_bases (void)
{
  return current_bases != NULL ? g_hash_table_size (current_bases) : 0;
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

/* At most this many distinct strings are shared for the life of the
 * process: what a peer sends (the paths of its issues name its members and
 * indexes) must not grow a table that is never freed, as g_intern_string()
 * would (a hostile hub sending new names in every message). */
#define MAX_SHARED_STRINGS 4096
#define MAX_SHARED_LEN     256

/**
 * _fcm_shared_string:
 *
 * Returns: (nullable): a copy of @str kept for the life of the process, the
 *   same for equal strings; %NULL for %NULL, for a string over MAX_SHARED_LEN bytes,
 *   or once MAX_SHARED_STRINGS are kept and @str is not one of them (the
 *   caller keeps its own copy). Main thread only.
 */
const char *
_fcm_shared_string (const char *str)
{
  static GHashTable *shared;
  char *kept;

  if (str == NULL || strlen (str) > MAX_SHARED_LEN)
    return NULL;
  if (shared == NULL)
    shared = g_hash_table_new (g_str_hash, g_str_equal);
  kept = g_hash_table_lookup (shared, str);
  if (kept == NULL && g_hash_table_size (shared) < MAX_SHARED_STRINGS)
    {
      kept = g_strdup (str);
      g_hash_table_add (shared, kept);
    }
  return kept;
}

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

      /* rule ids are ours, but a recording read back brings its own */
      packed->items[i].rule = _fcm_shared_string (fcm_issue_get_rule_id (issue));
      packed->items[i].rule_owned = packed->items[i].rule == NULL;
      if (packed->items[i].rule_owned)
        packed->items[i].rule = g_strdup (fcm_issue_get_rule_id (issue));
      packed->items[i].path = _fcm_shared_string (fcm_issue_get_path (issue));
      packed->items[i].path_owned = packed->items[i].path == NULL;
      if (packed->items[i].path_owned)
        packed->items[i].path = g_strdup (fcm_issue_get_path (issue));
      packed->items[i].message = g_strdup (fcm_issue_get_message (issue));
      packed->items[i].severity = fcm_issue_get_severity (issue);
    }
  return packed;
}

void
_fcm_packed_issues_free (FcmPackedIssues *packed)
{
  for (guint i = 0; packed != NULL && i < packed->n; i++)
    {
      g_free (packed->items[i].message);
      if (packed->items[i].path_owned)
        g_free ((char *) packed->items[i].path);
      if (packed->items[i].rule_owned)
        g_free ((char *) packed->items[i].rule);
    }
  g_free (packed);
}
