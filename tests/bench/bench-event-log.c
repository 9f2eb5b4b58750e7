/* bench-event-log.c: memory and time of the core event log, without GTK
 *
 * Appends N events (1,000,000 by default) to one FcmEventLog sized to keep
 * them all, as FcmMonitor does for every notification it receives: each is
 * a compact DiagnosticReport-open of ~1 KB whose ids, timestamp and context
 * values vary per message (the stream of bench-timeline.c, made from a
 * template so that a million of them take seconds); one in ten uses the
 * legacy lower-case name and one in fifteen lacks a time zone, and those
 * carry the validator's issues (validated once per shape: the issues are
 * the same for every message of a shape). Prints and records:
 *  - RSS of the whole process with the N events in the log (target for
 *    1,000,000: <= 300 MB), and what the log added to it;
 *  - the stored size of the texts as a share of their raw size (zstd
 *    against a recent message of the same kind, fcm-event-log-store.c);
 *  - the time to append one event (encode included).
 * Every 997th entry is decoded again and compared with its text.
 *
 * Usage: bench-event-log [--events N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcm-client.h"
#include "fcm-event-log-private.h"
#include "fcm-bench.h"

#define TOPIC "https://hub.example.org/topic/7f3a9c2e-4b1d-4e8a-9c6f-2d5b8a1e7c40"

/* a uuid-looking id that depends on @i only, so a text can be made again */
static void
make_id (guint  i,
         char   out[37])
{
  guint64 a = (guint64) i * 0x9E3779B97F4A7C15ull;
  guint64 b = a ^ (a >> 29) ^ ((guint64) i << 17);

  g_snprintf (out, 37, "%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x", (guint) (a >> 32),
              (guint) (a >> 16) & 0xffff, (guint) a & 0xfff, 0x8000 | ((guint) (b >> 48) & 0x3fff),
              (guint64) (b & G_GUINT64_CONSTANT (0xffffffffffff)));
}

/* The message of index @i: bench-timeline.c's stream, from a template */
static char *
make_message (const char *template,
              guint       i,
              char        id[37],
              char        stamp[40])
{
  GString *s = g_string_new (template);
  g_autofree char *report = g_strdup_printf ("DR-%08u-%s", i, "2a7c1e9b");
  g_autofree char *patient = g_strdup_printf ("pat-%06u", i % 5000);
  g_autofree char *study = g_strdup_printf ("1.2.840.113619.2.55.3.%u.%u", 604688119u + i, i % 977);
  g_autofree char *accession = g_strdup_printf ("ACC%09u", i);
  g_autofree char *mrn = g_strdup_printf ("MRN-%07u", i % 5000);
  guint ms = i % 1000, sec = (i / 1000) % 60, min = (i / 60000) % 60, hour = 8 + (i / 3600000) % 12;

  make_id (i, id);
  g_snprintf (stamp, 40, "2026-12-06T%02u:%02u:%02u.%03u%s", hour, min, sec, ms, i % 15 == 7 ? "" : "Z");
  g_string_replace (s, "@ID@", id, 0);
  g_string_replace (s, "@TS@", stamp, 0);
  g_string_replace (s, "@NAME@", i % 10 == 9 ? "diagnosticreport-open" : FCM_EVENT_DIAGNOSTIC_REPORT_OPEN, 0);
  g_string_replace (s, "@REPORT@", report, 0);
  g_string_replace (s, "@PATIENT@", patient, 0);
  g_string_replace (s, "@STUDY@", study, 0);
  g_string_replace (s, "@ACCESSION@", accession, 0);
  g_string_replace (s, "@MRN@", mrn, 0);
  return g_string_free (s, FALSE);
}

static char *
make_template (void)
{
  g_autoptr(JsonArray) ctx = fcm_context_build_open ("@REPORT@", "@PATIENT@", "@STUDY@", "@ACCESSION@", "@MRN@");
  g_autoptr(FcmEvent) event = fcm_event_new ("@ID@", "@TS@", TOPIC, "@NAME@", ctx, NULL, NULL);

  return fcm_event_to_json (event, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) octx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmValidator) validator = fcm_validator_new ();
  g_autoptr(FcmEventLog) log = NULL;
  g_autofree char *template = NULL;
  GPtrArray *shape_issues[30] = { NULL, };
  gint n_events = 1000000;
  GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events to append (default 1,000,000)", "N" },
    { NULL }
  };
  guint64 raw = 0, stored = 0;
  double rss0, rss1, append_s, per_event_us, share, rss_mb, added_mb;
  gint64 t0, t1;
  gboolean ok = TRUE;

  g_option_context_add_main_entries (octx, entries, NULL);
  if (!g_option_context_parse (octx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 64;
    }
  n_events = MAX (n_events, 1);

  template = make_template ();
  log = fcm_event_log_new ();
  fcm_event_log_set_max_entries (log, (guint) n_events);
  /* the issues of each shape of message, from the real validator */
  for (guint s = 0; s < G_N_ELEMENTS (shape_issues); s++)
    {
      char id[37], stamp[40];
      g_autofree char *text = make_message (template, s, id, stamp);
      FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

      shape_issues[s] = fcm_validator_validate_text (validator, text, -1, &kind);
      g_assert (kind == FCM_MESSAGE_EVENT);
    }

  rss0 = fcm_bench_rss_kb () / 1024.0;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < (guint) n_events; i++)
    {
      char id[37], stamp[40];
      g_autofree char *text = make_message (template, i, id, stamp);
      g_autoptr(FcmEvent) event = fcm_event_new (id, stamp, TOPIC,
                                                 i % 10 == 9 ? "diagnosticreport-open" : FCM_EVENT_DIAGNOSTIC_REPORT_OPEN,
                                                 NULL, NULL, NULL);
      g_autoptr(FcmEventLogEntry) entry = fcm_event_log_entry_new (text, FCM_MESSAGE_EVENT, event,
                                                                   shape_issues[i % 30]);

      fcm_event_log_entry_set_ack_status (entry, 200);
      fcm_event_log_append (log, entry);
      raw += strlen (text);
      stored += entry->text.delta_len;
    }
  t1 = g_get_monotonic_time ();
  rss1 = fcm_bench_rss_kb () / 1024.0;

  /* they come back exactly */
  for (guint i = 0; i < (guint) n_events; i += 997)
    {
      char id[37], stamp[40];
      g_autofree char *text = make_message (template, i, id, stamp);
      g_autoptr(FcmEventLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autofree char *back = fcm_event_log_entry_dup_text (entry);

      if (g_strcmp0 (back, text) != 0)
        {
          g_printerr ("entry %u does not come back as it was\n", i);
          ok = FALSE;
        }
    }

  append_s = (t1 - t0) / (double) G_USEC_PER_SEC;
  per_event_us = (t1 - t0) / (double) n_events;
  share = raw > 0 ? 100.0 * stored / raw : 0;
  rss_mb = rss1;
  added_mb = rss1 - rss0;
  printf ("FHIRcast Monitor event log benchmark: %d events (%.0f bytes each on average), no GTK\n",
          n_events, raw / (double) n_events);
  {
    g_autofree char *name = g_strdup_printf ("event log RSS, %d events", n_events);
    g_autofree char *added = g_strdup_printf ("event log added RSS, %d events", n_events);
    /* the target is for a million events; other counts are reported only */
    gboolean target = n_events == 1000000;

    ok &= fcm_bench_record ("bench-event-log", name, "MB", target ? "<=" : NULL, 300, &rss_mb, 1);
    fcm_bench_record ("bench-event-log", added, "MB", NULL, 0, &added_mb, 1);
  }
  fcm_bench_record ("bench-event-log", "event log stored text share of raw", "%", NULL, 0, &share, 1);
  fcm_bench_record ("bench-event-log", "event log append, encode included", "us/event", NULL, 0,
                    &per_event_us, 1);
  printf ("(%.1f s to append, %.1f MB of text stored as %.1f MB)\n", append_s, raw / 1048576.0,
          stored / 1048576.0);

  for (guint s = 0; s < G_N_ELEMENTS (shape_issues); s++)
    g_ptr_array_unref (shape_issues[s]);
  return ok ? 0 : 1;
}
